from django.shortcuts import render
from django.views.decorators.http import require_safe

from .service import SORTS, search

FILTERS = ("deal_type", "party", "year", "currency")


@require_safe
def search_page(request):
    """/search/?q=…&deal_type=…&party=…&year=…&currency=…&sort=…&page=…: bookmarkable."""
    params = request.GET
    results = search(
        params.get("q", ""),
        deal_type=params.get("deal_type"),
        party=params.get("party"),
        year=params.get("year"),
        currency=params.get("currency"),
        sort=params.get("sort", "relevance"),
        page=params.get("page", 1),
    )
    state = {"q": results.query, **{k: str(v) for k, v in results.filters.items()}}
    if results.sort != "relevance":
        state["sort"] = results.sort
    return render(
        request,
        "search/search.html",
        {
            "results": results,
            "state": state,
            "sorts": SORTS,
            "facet_titles": {"deal_type": "Deal type", "party": "Party", "year": "Year", "currency": "Currency"},
            "searched": bool(params.get("q", "").strip()) or bool(results.filters),
        },
        status=200,
    )
