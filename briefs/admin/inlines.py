"""The brief's links, edited inline: the deals it is about, parties with roles, ordered sources and
quotes, editorial notes.

Each inline names the markup scheme its rows satisfy (`markup_kind`) and the row field that holds
the target (`markup_field`), so BriefAdmin can check the body against the submitted rows.
"""

from django import forms
from django.contrib import admin

from ..models import BriefDeal, BriefParty, BriefQuote, BriefSource, DealStage, Note, Quote
from ..services import workflow

POSITION_WIDGET = forms.NumberInput(attrs={"class": "vIntegerField briefs-position", "min": 0})


def save_in_order(formset):
    """Save an ordered inline formset; rows added without a position go after the others, in form order."""
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    kept = [f.instance for f in formset.forms if f.instance.pk and f not in formset.deleted_forms]
    last = max((obj.position for obj in kept if obj.position is not None), default=-1)
    for obj in instances:
        if obj.position is None:
            last += 1
            obj.position = last
        obj.save()
    formset.save_m2m()


class LinkInline(admin.TabularInline):
    """Rows in the editor's order; a row added with no position goes last (see BriefAdmin.save_formset)."""

    extra = 1
    ordering = ["position", "pk"]
    markup_kind = None
    markup_field = None
    select_related = ()  # what each row's label (the link's __str__) reads

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    # A brief's links and notes are part of the brief: whoever may edit the brief may edit them,
    # so an editor needs the brief's permissions only (plus view on parties, sources and quotes
    # for the autocomplete).
    def _may_edit(self, request, brief):
        if brief is None:
            return request.user.has_perm("briefs.add_brief")
        return workflow.can_edit(request.user, brief)  # Writers: drafts only

    def has_add_permission(self, request, obj):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("briefs.view_brief") or self._may_edit(request, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            kwargs.update(widget=POSITION_WIDGET, help_text="", required=False, initial=None)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class BriefPartyInline(LinkInline):
    model = BriefParty
    fields = ["party", "role", "position"]
    autocomplete_fields = ["party"]
    select_related = ["party"]
    markup_kind = markup_field = "party"


class BriefSourceInline(LinkInline):
    model = BriefSource
    fields = ["source", "position", "footnote"]
    readonly_fields = ["footnote"]
    autocomplete_fields = ["source"]
    select_related = ["source"]
    verbose_name_plural = "sources (in order; footnote numbers are set when the brief is saved)"
    markup_kind = markup_field = "source"

    @admin.display(description="footnote")
    def footnote(self, link):
        return link.number or "—"


class BriefQuoteInline(LinkInline):
    model = BriefQuote
    fields = ["quote", "position"]
    autocomplete_fields = ["quote"]
    select_related = ["quote__speaker"]
    verbose_name_plural = "quotes (in order)"
    markup_kind = markup_field = "quote"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "quote":
            # The selected quote is shown as "speaker: text".
            kwargs["queryset"] = Quote.objects.select_related("speaker")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NoteInline(LinkInline):
    model = Note
    fields = ["key", "text", "position"]
    extra = 0
    markup_kind = "note"
    markup_field = "key"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, stage):
        return f"{stage.deal}: {stage}"


class BriefDealForm(forms.ModelForm):
    """The stage a brief reports must be one of the deal's own; a saved row offers only those."""

    class Meta:
        model = BriefDeal
        fields = ["deal", "stage", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stage = self.fields.get("stage")
        if stage is not None and self.instance.deal_id and not self.is_bound:
            stage.queryset = stage.queryset.filter(deal_id=self.instance.deal_id)

    def clean(self):
        cleaned_data = super().clean()
        deal, stage = cleaned_data.get("deal"), cleaned_data.get("stage")
        if deal is not None and stage is not None and stage.deal_id != deal.pk:
            self.add_error(
                "stage",
                f"“{stage}” is a stage of “{stage.deal}”, not of “{deal}”: choose one of this deal's stages "
                "(save the deal first to see them here), or none.",
            )
        return cleaned_data


class BriefDealInline(LinkInline):
    model = BriefDeal
    form = BriefDealForm
    fields = ["deal", "stage", "position"]
    autocomplete_fields = ["deal"]
    select_related = ["deal", "stage"]
    verbose_name_plural = "deals this brief is about (in order; the stage is the one it reports, if any)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "stage":
            kwargs["queryset"] = DealStage.objects.select_related("deal")
            kwargs["form_class"] = StageChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
