"""Deal rules across rows, and what is derived when a deal is saved.

``deal_problems`` checks a deal with its participants, stages and figures together (the admin's
inlines and the API's nested writes give them unsaved): each problem names the field at fault.
``refresh_deal`` works out, once per save, the US-dollar equivalents (at the ECB rate of each row's
own date) and the deal's headline size, so pages, search and the API read them instead of
converting per request.
"""

from dataclasses import dataclass

from django.db import transaction

from dealsite import write_deadline

from .. import events
from ..exchange import usd_equivalent
from ..models.choices import (
    ENDED_STATUSES,
    MONEY_FIGURES,
    SIZE_FIGURES,
    DealStatus,
    DealType,
    FigureBasis,
    FigureKind,
    ParticipantRole,
)
from ..models.deals import Deal, DealFigure, DealParticipant, DealStage
from .revisions import record_deal_revision


@dataclass(frozen=True)
class Problem:
    field: str  # "closed_on", "participants[1].amount", "stages[2].occurred_on", …
    message: str

    def __str__(self):
        return self.message


# Pages of their own under /deals/ (briefs/urls.py): a deal with one of these slugs could never be opened.
RESERVED_SLUGS = frozenset({"league"})


def deal_problems(deal, participants=(), stages=(), figures=()):
    """Every rule the deal breaks, as Problems; rows are DealParticipant/DealStage/DealFigure
    instances (saved or not) in their order."""
    problems = []
    if deal.slug in RESERVED_SLUGS:
        problems.append(Problem("slug", f"“{deal.slug}” is the address of a page under /deals/; choose another slug."))
    if deal.status == DealStatus.COMPLETED and deal.closed_on is None:
        problems.append(Problem("closed_on", "A completed deal needs the date it completed."))
    if deal.status in ENDED_STATUSES and deal.ended_on is None:
        problems.append(Problem("ended_on", f"A {deal.get_status_display().lower()} deal needs the date it ended."))
    if deal.series and deal.deal_type != DealType.FUNDING_ROUND:
        problems.append(Problem("series", "Only a funding round has a series; clear it or make the deal a round."))
    if deal.closed_on and deal.announced_on and deal.closed_on < deal.announced_on:
        problems.append(Problem("closed_on", "The deal cannot complete before it was announced."))
    problems += _participant_problems(deal, participants, figures)
    problems += _stage_problems(stages)
    problems += _figure_problems(figures)
    return problems


def _total(deal, figures):
    """The deal's total: the largest official size figure, as (amount, currency), or None."""
    sizes = [f for f in figures if f.kind in SIZE_FIGURES and f.basis == FigureBasis.OFFICIAL and f.amount is not None]
    return max(((f.amount, f.currency) for f in sizes), default=None)


def _participant_problems(deal, participants, figures):
    problems = []
    total = _total(deal, figures)
    for i, participant in enumerate(participants):
        if participant.is_lead and participant.role != ParticipantRole.INVESTOR:
            problems.append(Problem(f"participants[{i}].is_lead", "Only an investor can lead a deal."))
        if participant.amount is not None and not participant.currency:
            problems.append(Problem(f"participants[{i}].currency", "Give the currency of the amount."))
        if (
            total
            and participant.amount is not None
            and participant.currency == total[1]
            and participant.amount > total[0]
        ):
            problems.append(
                Problem(
                    f"participants[{i}].amount",
                    f"{participant.party} cannot have committed more than the deal's total ({total[1]} {total[0]:,}).",
                )
            )
    return problems


def _stage_problems(stages):
    problems, previous = [], None
    for i, stage in enumerate(stages):
        if stage.amount is not None and not stage.currency:
            problems.append(Problem(f"stages[{i}].currency", "Give the currency of the stage's amount."))
        if stage.occurred_on is not None:
            if previous is not None and stage.occurred_on < previous.occurred_on:
                problems.append(
                    Problem(
                        f"stages[{i}].occurred_on",
                        f"Stages go in date order: “{stage.description}” ({stage.occurred_on}) comes after "
                        f"“{previous.description}” ({previous.occurred_on}).",
                    )
                )
            previous = stage
    return problems


def _figure_problems(figures):
    problems = []
    for i, figure in enumerate(figures):
        if figure.kind == FigureKind.STAKE:
            if figure.percent is None or figure.amount is not None:
                problems.append(Problem(f"figures[{i}].percent", "A stake is a percentage: give it, and no amount."))
        elif figure.kind in MONEY_FIGURES:
            if figure.amount is None or figure.percent is not None:
                problems.append(Problem(f"figures[{i}].amount", "This figure is a sum of money: give the amount."))
            elif not figure.currency:
                problems.append(Problem(f"figures[{i}].currency", "Give the currency of the amount."))
        if figure.basis == FigureBasis.REPORTED and not (figure.reported_by or figure.source_id):
            problems.append(
                Problem(f"figures[{i}].reported_by", "A reported figure names who reported it, or its source.")
            )
    return problems


# Derived at save time ---------------------------------------------------------------------------


def _convert(row, amount, currency, on):
    usd = usd_equivalent(amount, currency, on)
    row.amount_usd, row.usd_rate, row.usd_rate_on, row.usd_unavailable = (
        usd.amount,
        usd.rate,
        usd.rate_on,
        usd.unavailable,
    )


_USD_FIELDS = ["amount_usd", "usd_rate", "usd_rate_on", "usd_unavailable"]
_HEADLINE_FIELDS = [
    "headline_kind",
    "headline_amount",
    "headline_currency",
    "headline_usd",
    "headline_usd_rate",
    "headline_usd_rate_on",
    "reported_usd",
]


def derive_deal(deal, stages, participants, figures):
    """Set, in memory, the USD equivalents of the deal's rows and its headline fields: the one rule,
    for a single save (refresh_deal) and for bulk loaders that insert rows already derived (the
    synthetic corpus). Rows may be unsaved, a figure naming its stage object."""
    stage_dates = {stage.pk: stage.occurred_on for stage in stages if stage.pk is not None}
    for stage in stages:
        _convert(stage, stage.amount, stage.currency, stage.occurred_on or deal.announced_on)
    for participant in participants:
        _convert(participant, participant.amount, participant.currency, deal.announced_on)
    for figure in figures:
        stage_on = stage_dates.get(figure.stage_id) if figure.stage_id else _unsaved_stage_date(figure)
        _convert(figure, figure.amount, figure.currency, figure.as_of or stage_on or deal.announced_on)
    for name, value in _headline_fields(deal, figures).items():
        setattr(deal, name, value)


def _unsaved_stage_date(figure):
    """The date of a figure's stage not saved yet (a null stage id reads no row)."""
    return figure.stage.occurred_on if figure.stage is not None else None


@transaction.atomic
def refresh_deal(deal):
    """Store the USD equivalents of every row and the headline size; returns the deal."""
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    stages = list(DealStage.objects.filter(deal=deal))
    participants = list(DealParticipant.objects.filter(deal=deal))
    figures = list(DealFigure.objects.filter(deal=deal))
    derive_deal(deal, stages, participants, figures)
    DealStage.objects.bulk_update(stages, _USD_FIELDS)
    DealParticipant.objects.bulk_update(participants, _USD_FIELDS)
    DealFigure.objects.bulk_update(figures, _USD_FIELDS)
    Deal.objects.filter(pk=deal.pk).update(**{name: getattr(deal, name) for name in _HEADLINE_FIELDS})
    return deal


def _headline_fields(deal, figures):
    """The headline: the largest official size figure, in USD at the announcement's rate."""
    on = deal.announced_on
    sizes = [f for f in figures if f.kind in SIZE_FIGURES and f.amount is not None]

    def in_usd(figure):
        return usd_equivalent(figure.amount, figure.currency, on or figure.as_of)

    official = [f for f in sizes if f.basis == FigureBasis.OFFICIAL]
    headline = max(official, key=lambda f: (in_usd(f).amount or 0, f.amount), default=None)
    fields = {"headline_kind": "", "headline_amount": None, "headline_currency": ""}
    fields.update(headline_usd=None, headline_usd_rate=None, headline_usd_rate_on=None)
    if headline is not None:
        usd = in_usd(headline)
        fields.update(
            headline_kind=headline.kind,
            headline_amount=headline.amount,
            headline_currency=headline.currency,
            headline_usd=usd.amount,
            headline_usd_rate=usd.rate,
            headline_usd_rate_on=usd.rate_on,
        )
    reported = [in_usd(f).amount for f in sizes if in_usd(f).amount is not None]
    fields["reported_usd"] = max(reported, default=None)
    return fields


@transaction.atomic
def save_deal(deal, *, rows=None, user=None):
    """The one way to save a deal: the deal, then its rows (`rows(deal)` saves participants, stages
    and figures: the admin's formsets, an API write, a loader), then what is derived, then the
    deal_changed event once it commits. Check deal_problems() first; the database constraints
    refuse what slips through. Raises WriteDeadlineExceeded, saving nothing, past the request's
    write deadline."""
    created = deal.pk is None
    previous_status = None if created else Deal.objects.filter(pk=deal.pk).values_list("status", flat=True).first()
    deal.save()
    if rows is not None:
        rows(deal)
    deal = refresh_deal(deal)
    record_deal_revision(deal, user)
    events.send_deal_changed(deal, created=created, previous_status=previous_status)
    write_deadline.check()  # last, before the commit: a save too slow for its client commits nothing
    return deal
