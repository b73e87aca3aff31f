"""The deals table (/deals/), its CSV and JSON exports, and the league tables. The rules live in
briefs.deal_table (which deals, filtered and sorted by the API's DealFilter), briefs.deal_paging
and briefs.league; these views only bind the request to them."""

from urllib.parse import urlencode

from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..deal_paging import PARAMS as PAGE_PARAMS
from ..deal_paging import table_page
from ..deal_table import FILTER_PARAMS, csv_lines, filter_deals, json_chunks, table_row, with_rows
from ..freshness.pages import cached_page
from ..league import LEAGUE_ROLES, RANKINGS, league_table
from ..models import Deal
from ..models.choices import DealStatus, DealType, FundingSeries, ParticipantRole
from ..structured_data import absolute

SORTS = (("announced_on", "Date"), ("headline_usd", "Amount (USD)"), ("target", "Target"), ("lead", "Lead"))


def _filters_only(params):
    """The request's filter parameters (paging dropped), for links that keep them."""
    kept = QueryDict(mutable=True)
    for key in FILTER_PARAMS:
        for value in params.getlist(key):
            if value != "":
                kept.appendlist(key, value)
    return kept


def _sort_links(params):
    """Each sortable column's link: descending first (amount and date), ascending first (names),
    toggled when the table is already sorted by it."""
    current = params.get("ordering", "")
    links = {}
    for field, label in SORTS:
        first = f"-{field}" if field in ("announced_on", "headline_usd") else field
        other = first[1:] if first.startswith("-") else f"-{first}"
        target = other if current == first else first
        query = _filters_only(params)
        query["ordering"] = target
        state = "descending" if current == f"-{field}" else "ascending" if current == field else "none"
        if not current and field == "announced_on":
            state, query["ordering"] = "descending", field
        links[field] = {"label": label, "url": f"?{query.urlencode()}", "sort": state}
    return links


def _choices():
    return {
        "types": DealType.choices,
        "series": FundingSeries.choices,
        "statuses": DealStatus.choices,
        "roles": ParticipantRole.choices,
    }


@require_safe
@cached_page(query_params=FILTER_PARAMS + PAGE_PARAMS)
def deal_table(request):
    filterset = filter_deals(request.GET)
    context = {"params": request.GET, "sorts": _sort_links(request.GET), **_choices()}
    if not filterset.is_valid():
        context["errors"] = filterset.errors
        return render(request, "briefs/deal_table.html", context, status=400)
    page = table_page(with_rows(filterset.qs), request.GET)
    kept = _filters_only(request.GET)
    context.update(
        page=page,
        rows=[table_row(deal) for deal in page.object_list],
        kept=kept.urlencode(),
        filtered=any(key != "ordering" for key in kept),
    )
    return render(request, "briefs/deal_table.html", context)


def _export(request, lines, content_type, extension):
    filterset = filter_deals(request.GET)
    if not filterset.is_valid():
        context = {"params": request.GET, "sorts": _sort_links(request.GET), "errors": filterset.errors, **_choices()}
        return render(request, "briefs/deal_table.html", context, status=400)
    response = StreamingHttpResponse(
        lines(filterset.qs, lambda path: absolute(request, path)), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="dealsite-deals.{extension}"'
    return response


@require_safe
def deal_export_csv(request):
    """The filtered deals as CSV, streamed: one header row, then a row per deal."""
    return _export(request, csv_lines, "text/csv", "csv")


@require_safe
def deal_export_json(request):
    """The filtered deals as a JSON array, streamed."""
    return _export(request, json_chunks, "application/json", "json")


LEAGUE_PARAMS = ("year", "deal_type", "by")


@require_safe
@cached_page(query_params=LEAGUE_PARAMS)
def league(request):
    by = request.GET.get("by", "deals")
    by = by if by in RANKINGS else "deals"
    asked = {key: request.GET[key] for key in ("year", "deal_type") if request.GET.get(key)}
    filterset = filter_deals(asked)
    years = [day.year for day in Deal.objects.public().filter(announced_on__isnull=False).dates("announced_on", "year")]
    context = {
        "by": by,
        "rankings": [(key, label) for key, (label, _) in RANKINGS.items()],
        "years": sorted(years, reverse=True),
        "types": DealType.choices,
        "asked": asked,
        "scope": urlencode(asked),
    }
    if not filterset.is_valid():
        context["errors"] = filterset.errors
        return render(request, "briefs/league.html", context, status=400)
    context["tables"] = [
        {"role": role, "title": title, "rows": league_table(filterset.qs, role, by)} for role, title in LEAGUE_ROLES
    ]
    return render(request, "briefs/league.html", context)
