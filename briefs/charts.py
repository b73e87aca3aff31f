"""Server-side SVG charts: deal volume by month (home) and a party's deals over time (party page).

Plain SVG built here, styled by class from site.css (no style attributes: the CSP forbids them), no
script, no CDN. Every chart comes with a text alternative: a title and description on the <svg>
(role="img") and a data table in the page. Data come from rows the pages load anyway, or from monthly
counts kept by database triggers (home), so the pages' query counts and costs stay constant.
"""

import datetime
import math
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DateField, DecimalField, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models.choices import ACTING_ROLES, PRINCIPAL_ROLES
from .money import format_money

# Up to this many months the volume chart has a bar a month; a longer span has a bar a year.
MONTHS_AT_MOST = 24


def _svg(width, height, title, desc, body, css_class):
    return mark_safe(
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{css_class}-title {css_class}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet" focusable="false">'
        f'<title id="{css_class}-title">{escape(title)}</title><desc id="{css_class}-desc">{escape(desc)}</desc>'
        f"{''.join(body)}</svg>"
    )


def _nice_ceiling(value):
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


# ----------------------------------------------------------------------------- home: volume by month


@dataclass
class Month:
    """One bar of the volume chart: a month, or a year when `unit` says so."""

    start: datetime.date
    deals: int = 0
    usd: Decimal = Decimal(0)  # the deals' headline sizes in US dollars
    unconverted: int = 0  # deals with an amount that has no USD equivalent, counted apart
    unit: str = "month"

    @property
    def label(self):
        return self.start.strftime("%b %Y") if self.unit == "month" else str(self.start.year)

    @property
    def short_label(self):
        return self.start.strftime("%b") if self.unit == "month" else str(self.start.year)

    @property
    def amounts(self):
        parts = [format_money(self.usd, "USD")] if self.usd else []
        if self.unconverted:
            parts.append(f"{self.unconverted} deal{'s' if self.unconverted != 1 else ''} without a USD equivalent")
        return "; ".join(parts) or "—"


def deal_volume(now=None):
    """Every public deal by its announcement (rumour date for a rumour), oldest first: a bar a month,
    empty months included, from the first deal's month to the latest's; a bar a year when that span
    is longer than MONTHS_AT_MOST. No deal is left out, however old. Amounts add up in US dollars
    (each deal's headline at the ECB rate of its own date), so deals in any currency sum.

    One query however many deals and scheduled briefs there are: the monthly counts the triggers
    keep (DealVolumeMonth, a row per month with deals, counted by the briefs marked published),
    corrected by the clock's part of the visibility rule — less the deals whose briefs marked
    published are all dated later, plus those whose only due briefs are scheduled ones the
    publication task has not marked yet. Both are index ranges that hold nothing in normal use. One
    statement, so one snapshot: a brief the task marks meanwhile moves from one part to the other
    and is counted once."""
    from .models import Deal, DealVolumeMonth

    now = now or timezone.now()
    rows = (
        DealVolumeMonth.objects.filter(deals__gt=0)
        .order_by()
        .values_list("month", "deals", "usd", "unconverted")
        .union(
            _correction(Deal.objects.marked_but_not_public(now), -1),
            _correction(Deal.objects.public_but_not_marked(now), 1),
            all=True,
        )
    )
    by_month = {}
    for month, deals, usd, unconverted in rows:
        counts = by_month.setdefault(month, [0, Decimal(0), 0])
        counts[0] += deals
        counts[1] += Decimal(usd)
        counts[2] += unconverted
    by_month = {start: counts for start, counts in by_month.items() if counts[0] > 0}
    if not by_month:
        return []
    first, latest = min(by_month), max(by_month)
    span = (latest.year - first.year) * 12 + latest.month - first.month + 1
    if span <= MONTHS_AT_MOST:
        starts = [
            datetime.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(span)
        ]
        unit = "month"
    else:
        starts = [datetime.date(year, 1, 1) for year in range(first.year, latest.year + 1)]
        unit = "year"
    buckets = {start: Month(start, unit=unit) for start in starts}
    for month, (count, usd, unconverted) in by_month.items():
        bucket = buckets[month if unit == "month" else datetime.date(month.year, 1, 1)]
        bucket.deals += count
        bucket.usd += usd
        bucket.unconverted += unconverted
    return list(buckets.values())


def _correction(deals, sign):
    """The deals as rows of monthly counts to add (`sign` 1) or take away (-1): month, deals, USD, unconverted."""
    date = Coalesce("announced_on", "rumoured_on", output_field=DateField())
    unconverted = Q(headline_amount__isnull=False, headline_usd__isnull=True)
    return (
        deals.annotate(deal_date=date)
        .filter(deal_date__isnull=False)
        .order_by()
        .values_list(
            Cast(TruncMonth("deal_date"), DateField()),  # a date on PostgreSQL too, as the counts' month is
            Value(sign, output_field=IntegerField()),
            Coalesce("headline_usd", Value(0), output_field=DecimalField(max_digits=20, decimal_places=2)) * sign,
            Case(When(unconverted, then=Value(sign)), default=Value(0), output_field=IntegerField()),
        )
    )


def volume_chart_svg(months):
    width, height, left, right, top, bottom = 640, 170, 30, 8, 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_ceiling(max(m.deals for m in months))
    ticks = [peak * i / 4 for i in range(5)] if peak >= 4 else list(range(int(peak) + 1))
    body = []
    for tick in ticks:
        y = top + plot_h - plot_h * tick / peak
        body.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        body.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
    slot = plot_w / len(months)
    bar_w = max(4.0, slot * 0.62)
    for index, month in enumerate(months):
        x = left + slot * index + (slot - bar_w) / 2
        h = plot_h * month.deals / peak
        y = top + plot_h - h
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
            f"<title>{escape(month.label)}: {month.deals} deal{'s' if month.deals != 1 else ''}; "
            f"{escape(month.amounts)}</title></rect>"
        )
        if len(months) <= 12 or index % 2 == 0:
            label = (
                month.short_label
                if month.unit == "year" or (month.start.month != 1 and index)
                else month.start.strftime("%b %y")
            )
            body.append(
                f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    body.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>')
    total = sum(m.deals for m in months)
    busiest = max(months, key=lambda m: m.deals)
    unit = months[0].unit
    desc = (
        f"Bar chart of published deals per {unit} from {months[0].label} to {months[-1].label}: {total} deals in all; "
        f"the busiest {unit} was {busiest.label} with {busiest.deals}. The table below gives each {unit}'s figures."
    )
    return _svg(width, height, f"Deal volume by {unit}", desc, body, "chart-volume")


# ----------------------------------------------------------------------------- party: deals over time


ROLE_GROUPS = (("acting", "Investor, lender or acquirer"), ("receiving", "Target or seller"))


@dataclass
class Point:
    deal: object
    date: datetime.date
    amount: Decimal | None  # the party's amount in USD (briefs.party_deals)
    roles: list
    group: str
    has_amount: bool = False  # an amount is known, in a currency with no USD equivalent

    @property
    def amount_text(self):
        if self.amount is not None:
            return format_money(self.amount, "USD")
        return "No USD equivalent" if self.has_amount else "Undisclosed"

    @property
    def title(self):
        return self.deal.name


def party_timeline(participations):
    """One point per deal in which the party is a principal (PRINCIPAL_ROLES: investor, lead,
    acquirer, target, seller, lender), from the rows briefs.party_deals loaded. A party that only
    advises, partners, or is named by a brief as a competitor or a mention gets no point for it."""
    by_deal = OrderedDict()
    for row in participations:
        if row.role not in PRINCIPAL_ROLES:
            continue
        deal = row.deal
        date = deal.announced_on or deal.rumoured_on
        if date is None:
            continue
        point = by_deal.get(deal.pk)
        if point is None:
            has_amount = row.amount is not None or deal.headline_amount is not None
            point = by_deal[deal.pk] = Point(deal, date, row.party_usd, [], "receiving", has_amount)
        point.roles.append("Lead investor" if row.is_lead else row.get_role_display())
        if row.role in ACTING_ROLES:
            point.group = "acting"
    points = list(by_deal.values())
    points.sort(key=lambda p: (p.date, p.deal.pk))
    return points


def _money_tick(value):
    for scale, word in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if value >= scale:
            return f"{value / scale:g}{word}"
    return f"{value:g}"


def timeline_chart_svg(points, party_name):
    width, height, left, right, top, bottom = 640, 240, 48, 14, 14, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = points[0].date, points[-1].date
    span = max((last - first).days, 1)
    pad = max(span * 0.04, 15)
    start, days = first - datetime.timedelta(days=pad), span + 2 * pad
    amounts = [float(p.amount) for p in points if p.amount]
    low = 10 ** math.floor(math.log10(min(amounts))) if amounts else 1e6
    high = 10 ** math.ceil(math.log10(max(amounts))) if amounts else 1e9
    if high <= low:
        high = low * 10
    base_y = top + plot_h  # undisclosed amounts sit on the baseline strip below the axis
    amount_h = plot_h - 28

    def x_of(date):
        return left + plot_w * ((date - start).days / days)

    def y_of(amount):
        return top + amount_h - amount_h * (math.log10(amount) - math.log10(low)) / (math.log10(high) - math.log10(low))

    body = []
    decade = low
    while decade <= high * 1.0001:
        y = y_of(decade)
        body.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        body.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_money_tick(decade)}</text>')
        decade *= 10
    body.append(f'<text class="tick" x="{left - 6}" y="{base_y - 2:.1f}" text-anchor="end">n/d</text>')
    body.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{base_y}" y2="{base_y}"/>')
    years = range(
        start.year + (1 if start.month > 1 or start.day > 1 else 0), (start + datetime.timedelta(days=days)).year + 1
    )
    step = max(1, math.ceil(len(years) / 8))
    for year in list(years)[::step]:
        x = x_of(datetime.date(year, 1, 1))
        body.append(f'<line class="grid grid-year" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{base_y}"/>')
        body.append(f'<text class="tick" x="{x:.1f}" y="{base_y + 16}" text-anchor="middle">{year}</text>')
    if len(years) == 0 or span < 400:  # within about a year: label the ends with months
        for date in (first, last) if first != last else (first,):
            body.append(
                f'<text class="tick" x="{x_of(date):.1f}" y="{base_y + 30}" text-anchor="middle">{escape(date.strftime("%b %Y"))}</text>'
            )
    for point in points:
        x = x_of(point.date)
        y = y_of(float(point.amount)) if point.amount else base_y - 7
        label = f"{point.date:%d %b %Y}: {point.title} — {', '.join(point.roles)}; {point.amount_text}"
        shape = (
            f'<circle class="point role-{point.group}" cx="{x:.1f}" cy="{y:.1f}" r="5.5">'
            if point.group != "receiving"
            else f'<rect class="point role-{point.group}" x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10">'
        )
        closing = "</circle>" if point.group != "receiving" else "</rect>"
        body.append(f"{shape}<title>{escape(label)}</title>{closing}")
    groups = [g for g in ROLE_GROUPS if any(p.group == g[0] for p in points)]
    x = left
    for code, text in groups:
        if code == "receiving":
            body.append(f'<rect class="point role-{code}" x="{x:.1f}" y="{height - 13}" width="9" height="9"/>')
        else:
            body.append(f'<circle class="point role-{code}" cx="{x + 4.5:.1f}" cy="{height - 8.5}" r="4.5"/>')
        body.append(f'<text class="legend-text" x="{x + 14:.1f}" y="{height - 4.5}">{escape(text)}</text>')
        x += 24 + 7.2 * len(text)
    disclosed = sum(1 for p in points if p.amount)
    desc = (
        f"Timeline of {len(points)} deal{'s' if len(points) != 1 else ''} involving {party_name} from "
        f"{first:%B %Y} to {last:%B %Y}, amount in US dollars on a logarithmic scale ({disclosed} with an amount), "
        f"marked by {party_name}'s role. The table below lists each deal."
    )
    return _svg(width, height, f"{party_name}: deals over time", desc, body, "chart-timeline")


# ----------------------------------------------------------------------------- party: co-investors


def _short(name, limit=20):
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def co_investor_chart_svg(co_investors, party_name):
    """Horizontal bars: deals invested in together with `party_name`, one bar per co-investor
    (briefs.co_investors), most first. Long names are shortened on the bar's label; the bar's
    title and the table beside the chart give them in full."""
    row_h, left, right, top, bottom = 28, 150, 30, 8, 22
    width = 420
    height = top + row_h * len(co_investors) + bottom
    plot_w = width - left - right
    peak = max(c.deals for c in co_investors)
    ceiling = max(_nice_ceiling(peak), 1)
    body = []
    ticks = [ceiling * i / 4 for i in range(5)] if ceiling >= 4 else list(range(int(ceiling) + 1))
    for tick in ticks:
        if tick != int(tick):
            continue
        x = left + plot_w * tick / ceiling
        body.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - bottom}"/>')
        body.append(f'<text class="tick" x="{x:.1f}" y="{height - 6}" text-anchor="middle">{int(tick)}</text>')
    for index, other in enumerate(co_investors):
        y = top + row_h * index
        w = plot_w * other.deals / ceiling
        together = f"{other.deals} deal{'s' if other.deals != 1 else ''} together"
        body.append(
            f'<text class="bar-label" x="{left - 8}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_short(other.name))}</text>"
        )
        body.append(
            f'<rect class="bar" x="{left}" y="{y + 5:.1f}" width="{w:.1f}" height="{row_h - 10}">'
            f"<title>{escape(other.name)}: {together}</title></rect>"
        )
        body.append(f'<text class="bar-value" x="{left + w + 6:.1f}" y="{y + row_h / 2 + 4:.1f}">{other.deals}</text>')
    body.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{height - bottom}"/>')
    first = co_investors[0]
    desc = (
        f"Bar chart of the {len(co_investors)} parties that invested most often alongside {party_name}, by "
        f"number of deals together; the most is {first.name} with {first.deals}. The table beside it gives each."
    )
    return _svg(width, height, f"{party_name}: co-investors", desc, body, "chart-coinvestors")
