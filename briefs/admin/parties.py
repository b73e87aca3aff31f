from django.contrib import admin
from django.db import models

from ..models import BriefParty, Party
from .forms import PartyAdminForm
from .used_in import links_with_briefs, used_in_html


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    form = PartyAdminForm
    list_display = ["name", "kind", "slug", "parent", "affiliation"]
    list_select_related = ["parent", "affiliation"]
    list_filter = ["kind", ("parent", admin.EmptyFieldListFilter), ("wikidata_id", admin.EmptyFieldListFilter)]
    search_fields = ["name", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "affiliation"]
    readonly_fields = ["used_in"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

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
