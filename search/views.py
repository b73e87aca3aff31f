from django.shortcuts import render
from django.views.decorators.http import require_safe

from .service import SORTS, search

FILTERS = ("deal_type", "status", "series", "lead", "party", "year", "currency")
SORT_LABELS = {
    "relevance": "relevance",
    "newest": "newest",
    "amount": "amount (USD)",
    "amount_reported": "amount, counting reported figures",
}
FACET_TITLES = {
    "deal_type": "Deal type",
    "status": "Status",
    "series": "Series",
    "lead": "Lead investor",
    "party": "Party",
    "year": "Year announced",
    "currency": "Currency",
}


@require_safe
def search_page(request):
    """/search/?q=…&deal_type=…&status=…&series=…&lead=…&party=…&year=…&currency=…&sort=…&page=…&before=…:
    bookmarkable (`before`: a window of older matches, search.search)."""
    params = request.GET
    results = search(
        params.get("q", ""),
        **{name: params.get(name) for name in FILTERS},
        sort=params.get("sort", "relevance"),
        page=params.get("page", 1),
        before=params.get("before"),
    )
    state = {"q": results.query, **{k: str(v) for k, v in results.filters.items()}}
    if results.before:
        state["before"] = str(results.before)
    if results.sort != "relevance":
        state["sort"] = results.sort
    return render(
        request,
        "search/search.html",
        {
            "results": results,
            "state": state,
            "sorts": [(sort, SORT_LABELS[sort]) for sort in SORTS],
            "facet_titles": FACET_TITLES,
            "searched": bool(params.get("q", "").strip()) or bool(results.filters),
        },
        status=200,
    )
