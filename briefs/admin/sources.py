from django.contrib import admin

from ..models import BriefSource, Source
from .accepted_text import AcceptedTextAdmin
from .forms import AssumeHttpsAdmin, SourceAdminForm
from .label_search import SearchByLabelMixin, prefixed_label
from .used_in import links_with_briefs, used_in_html


@admin.register(Source)
class SourceAdmin(AcceptedTextAdmin, SearchByLabelMixin, AssumeHttpsAdmin, admin.ModelAdmin):
    form = SourceAdminForm
    list_display = ["title", "publisher", "kind", "published_on", "link_status", "key"]
    list_filter = ["kind", "link_status", "published_on", "publisher"]
    search_fields = ["title", "publisher", "key", "url"]
    readonly_fields = [
        "link_checked_at",
        "link_status_code",
        "link_final_url",
        "link_error",
        "link_response_ms",
        "used_in",
    ]

    class Media:
        css = {"all": ["briefs_admin/brief_admin.css"]}
        js = ["briefs_admin/source_key.js"]  # the key fills itself until the editor types one

    def search_label(self):
        return prefixed_label("publisher", "title")  # Source.__str__

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["title", "key", "publisher", "url", "kind", "published_on", "accessed_on"]}),
            (
                "Link check",
                {
                    "fields": [
                        "link_status",
                        "link_checked_at",
                        "link_status_code",
                        "link_final_url",
                        "link_error",
                        "link_response_ms",
                    ]
                },
            ),
        ]
        if obj is not None:
            fieldsets.append(("Used in", {"fields": ["used_in"]}))
        return fieldsets

    @admin.display(description="briefs citing this source")
    def used_in(self, source):
        if source is None or source.pk is None:
            return "—"
        return used_in_html(links_with_briefs(BriefSource.objects.filter(source=source)))
