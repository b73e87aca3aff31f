from django.contrib import admin

from ..labels import shorten
from ..models import BriefQuote, Quote
from .accepted_text import AcceptedTextAdmin
from .label_search import SearchByLabelMixin, prefixed_label
from .used_in import links_with_briefs, used_in_html


@admin.register(Quote)
class QuoteAdmin(AcceptedTextAdmin, SearchByLabelMixin, admin.ModelAdmin):
    list_display = ["key", "speaker", "short_text", "source", "said_on"]
    list_select_related = ["speaker", "source"]
    list_filter = ["said_on", "speaker__kind", "source__kind"]
    search_fields = ["text", "key", "speaker__name"]
    autocomplete_fields = ["speaker", "source"]
    readonly_fields = ["used_in"]

    class Media:
        css = {"all": ["briefs_admin/brief_admin.css"]}

    def search_label(self):
        return prefixed_label("speaker__name", "text")  # Quote.__str__, before shortening

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["key", "text", "speaker", "speaker_role", "source", "said_on"]})]
        if obj is not None:
            fieldsets.append(("Used in", {"fields": ["used_in"]}))
        return fieldsets

    @admin.display(description="text")
    def short_text(self, quote):
        return shorten(quote.text, 90)

    @admin.display(description="briefs quoting this")
    def used_in(self, quote):
        if quote is None or quote.pk is None:
            return "—"
        return used_in_html(links_with_briefs(BriefQuote.objects.filter(quote=quote)))
