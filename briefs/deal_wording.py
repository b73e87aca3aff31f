"""Reader-facing wording of a deal: its size, its stages and its story so far.

One place for every surface that shows a deal (fact box, lists, deal page, feeds, JSON-LD, API
summaries), so they cannot word the same deal differently. Honest about what is not known: an
officially undisclosed deal says so, and names what others reported and who reported it.

    describe_size(deal)  → "$1.25 billion, up to $4 billion" / "Undisclosed (reported: $10 billion, by Bloomberg)"
    stage_line(stage)    → "Sep 2023 announced: first $1.25 billion for a minority stake"
    story(deal)          → ["Sep 2023 announced: …", "Mar 2024 completed: …"]
    story_text(deal)     → "Sep 2023 announced: … → Mar 2024 completed: …"
    kind_text(deal)      → "Funding round, Series B extension"
    status_dates(deal)   → [("Announced", "25 Sep 2023", "2023-09-25"), ("Completed", "Mar 2024", "2024-03")]
    figure_value(figure) → "$4 billion" / "15%";  usd_text(row) → "$1.08 billion at the ECB rate of 2 Jan 2024 (1.0956)"
    figure_text(figure)  → "the official amount $1.25 billion" / "the reported stake 20%"
"""

from .models.choices import AmountDisclosure, DatePrecision, DealType, FigureBasis, FigureKind
from .money import format_money


def figures_of(deal, stage=None):
    """The deal's figures (prefetched when the caller prefetched them), optionally of one stage."""
    figures = list(deal.figures.all())
    if stage is not None:
        return [f for f in figures if f.stage_id == stage.pk]
    return figures


def _first(figures, kind, basis=FigureBasis.OFFICIAL):
    return next((f for f in figures if f.kind == kind and f.basis == basis), None)


def describe_size(deal, stage=None):
    """The size in words: the official amount with its "up to" maximum, or the total to date; for
    an undisclosed deal, the reported figures with who reported them."""
    figures = figures_of(deal, stage) if stage is not None else [f for f in figures_of(deal) if f.stage_id is None]
    if deal.amount_disclosure == AmountDisclosure.NOT_APPLICABLE and not figures:
        return ""
    official = _official_size(figures if stage is not None else figures_of(deal), stage is not None)
    if official:
        return official
    reported = reported_figures(deal)
    if reported:
        said = "; ".join(f"{format_money(f.amount, f.currency)}, by {f.reporter}" for f in reported)
        return f"Undisclosed (reported: {said})"
    if deal.amount_disclosure == AmountDisclosure.UNDISCLOSED:
        return "Undisclosed"
    return ""


def _official_size(figures, of_stage):
    amount = _first(figures, FigureKind.AMOUNT)
    up_to = _first(figures, FigureKind.UP_TO)
    total = _first(figures, FigureKind.TOTAL_TO_DATE)
    totals = [f for f in figures if f.kind == FigureKind.TOTAL_TO_DATE and f.basis == FigureBasis.OFFICIAL]
    if not of_stage and totals:
        # The deal as a whole is as large as its latest total; an "up to" not yet reached stays said.
        latest = totals[-1]
        text = f"{format_money(latest.amount, latest.currency)} in total"
        if up_to and (up_to.currency, up_to.amount) != (latest.currency, latest.amount):
            text += f", of up to {format_money(up_to.amount, up_to.currency)}"
        return text
    if not of_stage and amount and not up_to and total is None:
        return format_money(amount.amount, amount.currency)
    if amount and up_to and (amount.amount, amount.currency) != (up_to.amount, up_to.currency):
        return f"{format_money(amount.amount, amount.currency)}, up to {format_money(up_to.amount, up_to.currency)}"
    if up_to and not amount:
        return f"up to {format_money(up_to.amount, up_to.currency)}"
    if amount:
        return format_money(amount.amount, amount.currency)
    if total:
        return f"{format_money(total.amount, total.currency)} in total"
    return ""


def reported_figures(deal):
    """Size figures others reported (each named with who reported it), in the editor's order."""
    return [
        f
        for f in figures_of(deal)
        if f.basis != FigureBasis.OFFICIAL and f.kind in (FigureKind.AMOUNT, FigureKind.UP_TO, FigureKind.TOTAL_TO_DATE)
    ]


def date_text(day, precision):
    if day is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{day:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{day:%b %Y}"
    return f"{day.day} {day:%b %Y}"


def stage_line(stage):
    """ "Sep 2023 announced: first $1.25 billion for a minority stake"."""
    when = date_text(
        stage.occurred_on, DatePrecision.MONTH if stage.precision == DatePrecision.DAY else stage.precision
    )
    head = " ".join(part for part in (when, stage.get_status_display().lower()) if part)
    return f"{head}: {stage.description}" if head else stage.description


def story(deal):
    """The deal's story so far, one line per stage in order."""
    return [stage_line(stage) for stage in deal.stages.all()]


def story_text(deal):
    """The story so far on one line: "Sep 2023 announced: … → Mar 2024 completed: …"."""
    return " → ".join(story(deal))


def kind_text(deal):
    """The deal type, with the series of a funding round: "Funding round, Series B extension"."""
    if deal.deal_type != DealType.FUNDING_ROUND or not deal.series:
        return deal.get_deal_type_display()
    series = " ".join(part for part in (deal.get_series_display(), deal.series_qualifier) if part)
    return f"{deal.get_deal_type_display()}, {series}"


def date_iso(day, precision):
    """The machine-readable form of a date as precisely as it is known ("2024", "2024-03", "2024-03-05"),
    for <time datetime> and JSON-LD: a month-precise date must not claim the 1st."""
    if day is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{day:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{day:%Y-%m}"
    return day.isoformat()


def status_dates(deal):
    """The dates of the deal's status so far, in order, each as (label, text, iso), as precisely as known."""
    rows = [
        ("Rumoured", deal.rumoured_on, DatePrecision.DAY),
        ("Announced", deal.announced_on, deal.announced_precision),
        (
            "Expected to close",
            None if deal.closed_on or deal.ended_on else deal.expected_close_on,
            deal.expected_close_precision,
        ),
        ("Completed", deal.closed_on, deal.closed_precision),
        (deal.get_status_display(), deal.ended_on, DatePrecision.DAY),  # terminated or withdrawn
    ]
    return [(label, date_text(day, precision), date_iso(day, precision)) for label, day, precision in rows if day]


def figure_value(figure):
    """A figure's value as readers see it: a sum of money or a stake's percentage."""
    if figure.kind == FigureKind.STAKE:
        return f"{figure.percent.normalize():f}%" if figure.percent is not None else ""
    return format_money(figure.amount, figure.currency)


def usd_text(row):
    """The stored USD equivalent of a row's amount with the ECB rate and its date, or why there is none;
    empty for amounts already in US dollars."""
    if row.amount is None or row.currency in ("", "USD"):
        return ""
    if row.amount_usd is None:
        return f"No USD equivalent: {row.usd_unavailable}" if row.usd_unavailable else "No USD equivalent"
    rate = f"{row.usd_rate.normalize():f}"
    return f"{format_money(row.amount_usd, 'USD')} at the ECB rate of {date_text(row.usd_rate_on, DatePrecision.DAY)} ({rate} USD per {row.currency})"


def valuations(deal, stage=None):
    """The official valuation figures, typed: [("Pre-money valuation", "$18 billion"), …]."""
    labels = {
        FigureKind.VALUATION_PRE: "Pre-money valuation",
        FigureKind.VALUATION_POST: "Post-money valuation",
        FigureKind.VALUATION: "Valuation",
    }
    figures = figures_of(deal, stage) if stage is not None else figures_of(deal)
    return [(labels[f.kind], figure_value(f)) for f in figures if f.kind in labels and f.basis == FigureBasis.OFFICIAL]


def stake_text(deal):
    """The stake: the official percentage, with the description ("15%, minority stake"), or the description."""
    stake = _first(figures_of(deal), FigureKind.STAKE)
    parts = [figure_value(stake) if stake else "", deal.stake_description]
    return ", ".join(part for part in parts if part)


_FIGURE_NOUNS = {
    FigureKind.AMOUNT: "amount",
    FigureKind.UP_TO: "“up to” amount",
    FigureKind.TOTAL_TO_DATE: "total to date",
    FigureKind.VALUATION_PRE: "pre-money valuation",
    FigureKind.VALUATION_POST: "post-money valuation",
    FigureKind.VALUATION: "valuation",
    FigureKind.STAKE: "stake",
}


def figure_text(figure):
    """One figure named for an editor: how it is known, what it is, and its value."""
    noun = _FIGURE_NOUNS.get(figure.kind, figure.kind)
    return " ".join(part for part in ("the", figure.get_basis_display().lower(), noun, figure_value(figure)) if part)


_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_text(number):
    """A small count in words, as the style guide spells numbers under eleven."""
    return _COUNTS[number] if 0 <= number < len(_COUNTS) else f"{number:,}"


def stages_text(count):
    """ "in two stages" for a deal of more than one stage; "" otherwise."""
    return f"in {count_text(count)} stages" if count > 1 else ""


# What a party did in a deal, by its role, before the names on the deal's other side.
ROLE_VERBS = {
    "investor": "invested in",
    "lender": "lent to",
    "acquirer": "paid for",
    "target": "raised from",
    "seller": "received from",
    "advisor": "deal of",
    "partner": "deal with",
}


def party_deal_sentence(size, role, others, stage_count):
    """ "$4 billion invested in Anthropic in two stages": one deal as a party page lists it.

    `size` is the party's amount in words ("" when none is known), `others` the names on the
    deal's other side, `stage_count` how many stages the deal has."""
    parts = [size or "Undisclosed amount"]
    if others:
        parts += [ROLE_VERBS.get(role, "with"), ", ".join(others)]
    parts.append(stages_text(stage_count))
    return " ".join(part for part in parts if part)
