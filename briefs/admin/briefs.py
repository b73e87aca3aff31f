"""The editor's brief admin: links inline, markup checked against them, rendered once saved."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from ..deal_wording import describe_size
from ..models import Brief
from .accepted_text import AcceptedTextAdmin
from .forms import BriefAdminForm
from .inlines import BriefDealInline, BriefPartyInline, BriefQuoteInline, BriefSourceInline, NoteInline, save_in_order
from .submission import bind_form, bind_formset, submission_for
from .workflow import BriefWorkflowAdminMixin


def preview_url(brief):
    return reverse("briefs:preview", kwargs={"pk": brief.pk})


@admin.register(Brief)
class BriefAdmin(AcceptedTextAdmin, BriefWorkflowAdminMixin, admin.ModelAdmin):
    form = BriefAdminForm
    inlines = [BriefDealInline, BriefPartyInline, BriefSourceInline, BriefQuoteInline, NoteInline]
    list_display = ["title", "status", "deal_size", "published_at"]
    list_filter = ["status", "deal_links__deal__deal_type", "deal_links__deal__status", "published_at"]
    search_fields = ["title", "dek", "slug", "party_links__party__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related"]
    filter_horizontal = ["authors"]
    readonly_fields = ["preview_link", "rendered_at"]
    save_on_top = True
    fieldsets = [
        ("Content", {"fields": ["title", "slug", "dek", "body"]}),
        ("Publication", {"fields": ["status", "published_at", "authors", "preview_link", "rendered_at"]}),
        ("Related", {"fields": ["related"]}),
    ]

    class Media:
        css = {"all": ["briefs_admin/brief_admin.css"]}
        js = [
            "briefs_admin/a11y.js",  # accessible names for Django's unlabelled admin controls
            "briefs_admin/line_numbers.js",  # the body's line numbers, as the markup errors count them
            "briefs_admin/unsaved_guard.js",  # leaving with unsaved changes asks first
        ]

    # Change list

    def get_queryset(self, request):
        return super().get_queryset(request).with_deals()

    @admin.display(description="deal")
    def deal_size(self, brief):
        link = brief.deal_link
        if link is None:
            return "—"
        return f"{link.deal}: {describe_size(link.deal) or 'size not given'}"

    # Change form

    @admin.display(description="preview")
    def preview_link(self, brief):
        if brief is None or brief.pk is None:
            return "Save the brief to preview it."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview as readers will see it</a>', preview_url(brief)
        )

    def view_on_site(self, brief):
        """The public page once live; until then the staff preview (the public URL would be a 404)."""
        return brief.get_absolute_url() if brief.is_live else preview_url(brief)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "authors":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return bind_form(super().get_form(request, obj, change=change, **kwargs), submission_for(request))

    def get_formsets_with_inlines(self, request, obj=None):
        submission = submission_for(request)
        for formset_class, inline in super().get_formsets_with_inlines(request, obj):
            if getattr(inline, "markup_kind", None):
                formset_class = bind_formset(formset_class, submission, inline.markup_kind, inline.markup_field)
            yield formset_class, inline

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return self._saved_then_preview(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return self._saved_then_preview(request, obj)
        return super().response_change(request, obj)

    def _saved_then_preview(self, request, brief):
        self.message_user(request, f"“{brief}” was saved.")
        return HttpResponseRedirect(preview_url(brief))

    def save_formset(self, request, form, formset, change):
        """Save a link formset; rows added without a position go after the others, in form order."""
        if "position" not in formset.form.base_fields:
            return super().save_formset(request, form, formset, change)
        save_in_order(formset)
