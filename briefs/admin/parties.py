from django.contrib import admin

from ..models import BriefParty, Party
from .accepted_text import AcceptedTextAdmin
from .forms import AssumeHttpsAdmin, PartyAdminForm
from .used_in import links_with_briefs, used_in_html


@admin.register(Party)
class PartyAdmin(AcceptedTextAdmin, AssumeHttpsAdmin, admin.ModelAdmin):
    form = PartyAdminForm
    list_display = ["name", "kind", "slug", "parent", "affiliation"]
    list_select_related = ["parent", "affiliation"]
    list_filter = ["kind", ("parent", admin.EmptyFieldListFilter), ("wikidata_id", admin.EmptyFieldListFilter)]
    search_fields = ["name", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "affiliation"]
    readonly_fields = ["used_in"]

    class Media:
        css = {"all": ["briefs_admin/brief_admin.css"]}

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["name", "slug", "kind", "description", "website", "aliases", "parent", "wikidata_id"]}),
            (
                "People",
                {
                    "fields": ["title", "affiliation"],
                    "description": "For people: their position and the organisation they speak for.",
                },
            ),
        ]
        if obj is not None:
            fieldsets.append(("Used in", {"fields": ["used_in"]}))
        return fieldsets

    @admin.display(description="briefs linking this party (with its roles)")
    def used_in(self, party):
        if party is None or party.pk is None:
            return "—"
        return used_in_html(links_with_briefs(BriefParty.objects.filter(party=party)))
