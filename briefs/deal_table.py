"""The deals table and its exports: every public deal (Deal.objects.public()), filtered and sorted
by the API's DealFilter so the same URL parameters give the same deals on the page, in the exports
and at /api/v1/deals/.

Rows are read in a fixed number of queries per page (the deals, their participants with parties,
their figures for the size in words, and the published briefs about them); exports stream the
deals and read their rows chunk by chunk (export_deals), so memory stays flat however many.
"""

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice

from django.db.models import Prefetch
from django.http import QueryDict
from django.urls import reverse

from .api.filters import DealFilter
from .deal_facts import participants_by_role
from .deal_wording import date_iso, date_text, describe_size, kind_text
from .models import BriefDeal, Deal, DealFigure, DealParticipant
from .models.briefs import published_q
from .models.choices import DealStatus, ParticipantRole
from .money import format_money

# The URL parameters the table reads: the API's deal filters, plus its paging.
FILTER_PARAMS = tuple(DealFilter.base_filters)
EXPORT_CHUNK_SIZE = 200  # rows read, with their participants and briefs, per round of queries


def filter_deals(params):
    """The bound DealFilter over the public deals, latest announced first unless `ordering` says
    otherwise. Its `.qs` is the filtered set; when `.is_valid()` is false, `.errors` says why.
    The table's form sends every field, so a field left blank is a parameter left out (the API,
    whose clients send only what they mean, refuses a blank one)."""
    given = QueryDict(mutable=True)
    lists = params.lists() if hasattr(params, "lists") else ((name, [value]) for name, value in params.items())
    for name, values in lists:
        kept = [value for value in values if str(value).strip()]
        if kept:
            given.setlist(name, kept)
    return DealFilter(given, queryset=Deal.objects.public().latest_first())


def public_brief_links():
    """The published briefs about each deal, newest first (their titles and addresses only)."""
    return Prefetch(
        "brief_links",
        queryset=BriefDeal.objects.filter(published_q("brief__"))
        .select_related("brief")
        .only("deal_id", "brief__title", "brief__slug", "brief__published_at")
        .order_by("-brief__published_at", "-brief_id"),
        to_attr="public_brief_links",
    )


def with_rows(deals):
    """`deals` with what a table row shows: participants with their parties, the published briefs,
    and (for the size in words) the figures."""
    return deals.prefetch_related(
        Prefetch("participants", queryset=DealParticipant.objects.select_related("party")),
        public_brief_links(),
        Prefetch("figures", queryset=DealFigure.objects.order_by("position", "pk")),
    )


@dataclass
class DealRow:
    deal: Deal
    date: str
    date_iso: str
    kind: str
    targets: list  # DealParticipant rows
    others: list  # [(role label, [DealParticipant])] (deal_facts.participants_by_role): leads first
    size: str  # in its currency, in words (deal_wording.describe_size)
    usd: str
    briefs: list

    @property
    def status(self):
        return self.deal.get_status_display()


def deal_date(deal):
    """The date a deal is listed by: its announcement, else (a rumour) when it was first reported."""
    if deal.announced_on:
        return deal.announced_on, deal.announced_precision
    if deal.status == DealStatus.RUMOURED and deal.rumoured_on:
        return deal.rumoured_on, "day"
    return None, "day"


def table_row(deal):
    day, precision = deal_date(deal)
    participants = list(deal.participants.all())
    return DealRow(
        deal=deal,
        date=date_text(day, precision),
        date_iso=date_iso(day, precision),
        kind=kind_text(deal),
        targets=[p for p in participants if p.role == ParticipantRole.TARGET],
        others=participants_by_role([p for p in participants if p.role != ParticipantRole.TARGET]),
        size=describe_size(deal) or "—",
        usd=format_money(deal.headline_usd, "USD") or "—",
        briefs=[link.brief for link in deal.public_brief_links],
    )


# ----------------------------------------------------------------------------- exports

CSV_COLUMNS = (
    "slug",
    "name",
    "url",
    "date",
    "date_precision",
    "deal_type",
    "series",
    "series_qualifier",
    "status",
    "targets",
    "investors",
    "lead_investors",
    "acquirers",
    "sellers",
    "lenders",
    "partners",
    "advisors",
    "amount",
    "currency",
    "amount_usd",
    "usd_rate",
    "usd_rate_on",
    "amount_disclosure",
    "briefs",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text):
    """Text as a spreadsheet shows it, never as a formula (a party named "=HYPERLINK(…)")."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _decimal(value):
    return "" if value is None else f"{value:f}"


def _iso(day):
    return day.isoformat() if day else ""


def export_record(deal, participants, briefs, absolute):
    """One deal as the exports give it: amounts as decimal strings with their currency, ISO dates,
    absolute addresses (`absolute(path)`); `participants` and `briefs` as export_deals reads them."""
    day, precision = deal_date(deal)
    return {
        "slug": deal.slug,
        "name": deal.name,
        "url": absolute(deal.get_absolute_url()),
        "date": _iso(day),
        "date_precision": precision if day else "",
        "deal_type": deal.deal_type,
        "series": deal.series,
        "series_qualifier": deal.series_qualifier,
        "status": deal.status,
        "participants": participants,
        "amount": _decimal(deal.headline_amount) or None,
        "currency": deal.headline_currency or None,
        "amount_usd": _decimal(deal.headline_usd) or None,
        "usd_rate": _decimal(deal.headline_usd_rate) or None,
        "usd_rate_on": _iso(deal.headline_usd_rate_on) or None,
        "amount_disclosure": deal.amount_disclosure,
        "briefs": [{"title": title, "url": absolute(reverse("briefs:brief", args=[slug]))} for title, slug in briefs],
    }


def export_deals(deals):
    """(deal, participants, briefs) for each of `deals`, read EXPORT_CHUNK_SIZE at a time: the deals
    from one streamed query, each chunk's participants and published briefs in one query each, as
    plain rows. Not prefetch_related: its rows point back at their deals, and those reference cycles
    outlive each chunk until the garbage collector runs, so memory would grow with the export."""
    rows = deals.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    while chunk := list(islice(rows, EXPORT_CHUNK_SIZE)):
        ids = [deal.pk for deal in chunk]
        participants, briefs = defaultdict(list), defaultdict(list)
        for deal_id, *row in (
            DealParticipant.objects.filter(deal_id__in=ids)
            .order_by("deal_id", "position", "pk")
            .values_list("deal_id", "party__slug", "party__name", "role", "is_lead")
        ):
            participants[deal_id].append(dict(zip(("party", "name", "role", "is_lead"), row, strict=True)))
        for deal_id, title, slug in (
            BriefDeal.objects.filter(published_q("brief__"), deal_id__in=ids)
            .order_by("deal_id", "-brief__published_at", "-brief_id")
            .values_list("deal_id", "brief__title", "brief__slug")
        ):
            briefs[deal_id].append((title, slug))
        for deal in chunk:
            yield deal, participants[deal.pk], briefs[deal.pk]


class _Line:
    """csv.writer's file: hands back each written line instead of keeping it."""

    def write(self, text):
        return text


def csv_lines(deals, absolute):
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_COLUMNS)
    for deal, participants, briefs in export_deals(deals):
        record = export_record(deal, participants, briefs, absolute)
        by_role = {}
        for p in record["participants"]:
            by_role.setdefault(f"{p['role']}s", []).append(p["name"])
            if p["is_lead"]:
                by_role.setdefault("lead_investors", []).append(p["name"])
        record.update({key: "; ".join(names) for key, names in by_role.items()})
        record["briefs"] = " ".join(brief["url"] for brief in record["briefs"])
        row = []
        for column in CSV_COLUMNS:
            value = record.get(column)
            row.append(_cell(value) if isinstance(value, str) else ("" if value is None else value))
        yield writer.writerow(row)


def json_chunks(deals, absolute):
    """A JSON array, one deal per line."""
    yield "[\n"
    first = True
    for deal, participants, briefs in export_deals(deals):
        record = export_record(deal, participants, briefs, absolute)
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]\n"
