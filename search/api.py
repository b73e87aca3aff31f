"""The API's view of search: an adapter from the JSON parameters to search.search().

    search_briefs(query: str, filters: dict, sort: str, page: int, page_size: int, before: int | None) -> SearchPage

    filters: {"deal_type": str, "status": str, "series": str, "lead": slug, "party": slug,
              "currency": ISO code, "year": int} (absent = any; see search.search)
    sort:    "relevance" | "newest" | "amount" | "amount_reported"

The site's /search/ page calls the same search(); this module only reshapes its answer for the
serializers and loads the shown briefs' party links in one extra query.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects

from briefs.api.serializers.deals import embedded_deals_prefetch
from briefs.models import BriefParty

from .service import search

MAX_QUERY_LENGTH = 500
FILTERS = ("deal_type", "status", "series", "lead", "party", "currency", "year")


@dataclass
class SearchPage:
    briefs: list
    total: int
    total_is_estimate: bool = False
    ranked: int = 0
    older: int | None = None
    snippets: dict = field(default_factory=dict)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    message: str | None = None


def search_briefs(query, filters, sort, page, page_size, before=None):
    results = search(query, sort=sort, page=page, per_page=page_size, before=before, **filters)
    briefs = [hit.brief for hit in results.hits]
    prefetch_related_objects(
        briefs, Prefetch("party_links", queryset=BriefParty.objects.select_related("party")), embedded_deals_prefetch()
    )
    return SearchPage(
        briefs=briefs,
        total=results.total,
        total_is_estimate=results.total_is_capped,
        ranked=results.ranked,
        older=results.older,
        snippets={hit.brief.pk: str(hit.snippet_html) for hit in results.hits},
        facets={
            name: [{"value": str(value.value), "label": value.label, "count": value.count} for value in values]
            for name, values in results.facets.items()
        },
        suggestion=results.suggestion,
        message=" ".join(results.messages)
        or (None if query.strip() or filters else "Type a word, a party or an amount to search for."),
    )
