"""The API's view of search: one function, `search_briefs`, provided by the search issue.

Interface (the lead connects `briefs.search.search_briefs` when the search branch lands):

    search_briefs(query: str, filters: dict, sort: str, page: int, page_size: int) -> SearchPage

    filters: {"deal_type": str, "party": slug, "currency": ISO code, "year": int} (absent = any)
    sort:    "relevance" | "newest" | "amount"
    SearchPage (any object with these attributes):
        briefs: list[Brief]           published only, in order, party links prefetched (with_deal_line)
        total: int                    number of matches (may be capped / estimated)
        total_is_estimate: bool
        snippets: dict[int, str]      brief id -> highlighted snippet, sanitized HTML (<mark> only)
        facets: dict[str, list[dict]] name -> [{"value": str, "label": str, "count": int}]
        suggestion: str | None        "did you mean" query
        message: str | None           e.g. why a query gave nothing

Until then a plain stand-in (published briefs whose title or dek contains the query) keeps the
endpoint working and its contract tested.
"""
from dataclasses import dataclass, field

from django.db.models import Q

from ..models import Brief

SORTS = ("relevance", "newest", "amount")
MAX_QUERY_LENGTH = 500


@dataclass
class SearchPage:
    briefs: list
    total: int
    total_is_estimate: bool = False
    snippets: dict = field(default_factory=dict)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    message: str | None = None


def _stand_in_search(query, filters, sort, page, page_size):
    briefs = Brief.objects.published()
    words = [word for word in query.split() if word.strip()]
    for word in words:
        briefs = briefs.filter(Q(title__icontains=word) | Q(dek__icontains=word))
    if filters.get("deal_type"):
        briefs = briefs.filter(deal_type=filters["deal_type"])
    if filters.get("currency"):
        briefs = briefs.filter(currency=filters["currency"])
    if filters.get("year"):
        briefs = briefs.filter(announced_on__year=filters["year"])
    if filters.get("party"):
        briefs = briefs.filter(pk__in=Brief.objects.filter(party_links__party__slug=filters["party"]).values("pk"))
    order = {"amount": ("-amount", "-pk")}.get(sort, ("-published_at", "-pk"))
    total = briefs.count()
    start = (page - 1) * page_size
    results = list(briefs.order_by(*order).with_deal_line()[start:start + page_size])
    message = None if words else "Type a word, a party or an amount to search."
    return SearchPage(briefs=results if words else [], total=total if words else 0, message=message)


def search_briefs(query, filters, sort, page, page_size):
    try:
        from ..search import search_briefs as real_search  # the search issue's implementation
    except ImportError:
        real_search = _stand_in_search
    return real_search(query, filters, sort, page, page_size)
