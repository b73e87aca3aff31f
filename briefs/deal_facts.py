"""What a reader is shown of one deal, from its prefetched rows (Brief.objects.with_deals(), or the
deal page's prefetch): the brief's fact box and the deal page both read deal_summary(), so they
cannot tell the same deal differently. Wording comes from deal_wording.
"""

from .deal_line import deal_sides
from .deal_wording import (
    date_iso,
    date_text,
    describe_size,
    figure_value,
    kind_text,
    stage_line,
    stake_text,
    status_dates,
    story,
    usd_text,
    valuations,
)
from .models.choices import DatePrecision, ParticipantRole
from .money import format_money

_ROLE_PLURALS = {label: f"{label}s" for label in ParticipantRole.labels}


def participants_by_role(participants):
    """[(role label, [participants])] in the order roles first appear, leads first within a role;
    the label is plural when several parties share the role. Each participant gets `committed` (its
    amount in words) and `committed_usd` (usd_text)."""
    groups = {}
    for participant in participants:
        participant.committed = format_money(participant.amount, participant.currency)
        participant.committed_usd = usd_text(participant)
        groups.setdefault(participant.get_role_display(), []).append(participant)
    return [
        (_ROLE_PLURALS[label] if len(rows) > 1 else label, sorted(rows, key=lambda p: not p.is_lead))
        for label, rows in groups.items()
    ]


def deal_summary(deal, stage=None):
    """The deal as a fact box shows it; `stage` is the one a brief reports (None: the deal as a whole)."""
    participants = list(deal.participants.all())
    sides = deal_sides((p.role, p) for p in participants)
    summary = {
        "deal": deal,
        "kind": kind_text(deal),
        "status": deal.get_status_display(),
        "dates": status_dates(deal),
        "roles": participants_by_role(participants),
        "acting": sides.acting,
        "receiving": sides.receiving,
        "partners": sides.partners,
        "size": describe_size(deal),
        "valuations": valuations(deal),
        "stake": stake_text(deal),
        "story": story(deal),
        "stage": None,
    }
    if stage is not None:
        summary["stage"] = {
            "line": stage_line(stage),
            "amount": format_money(stage.amount, stage.currency) or describe_size(deal, stage),
        }
    return summary


def heading(deal):
    """The kicker of a brief about `deal`: its type and when it was announced, as precisely as known."""
    if deal is None:
        return {"kind": "Analysis", "announced": "", "announced_iso": ""}
    return {
        "kind": kind_text(deal),
        "announced": date_text(deal.announced_on, deal.announced_precision),
        "announced_iso": date_iso(deal.announced_on, deal.announced_precision),
    }


def figure_rows(deal):
    """Every figure of the deal as the deal page lists it: what it is, its value, how it is known,
    its source and who reported it, its USD equivalent; two sources that disagree are two rows."""
    stages = {stage.pk: stage for stage in deal.stages.all()}
    rows = []
    for figure in deal.figures.all():
        stage = stages.get(figure.stage_id)
        rows.append(
            {
                "figure": figure,
                "kind": figure.get_kind_display(),
                "value": figure_value(figure),
                "basis": figure.get_basis_display(),
                "basis_code": figure.basis,
                "stage": stage_line(stage) if stage else "",
                "as_of": date_text(figure.as_of, DatePrecision.DAY),
                "source": figure.source,
                "reporter": figure.reporter,
                "usd": usd_text(figure),
            }
        )
    return rows


def stage_rows(deal):
    """The deal's stages in order (the story so far), each with its date as precisely as known and its
    own amount with the USD equivalent."""
    return [
        {
            "stage": stage,
            "line": stage_line(stage),
            "status": stage.get_status_display(),
            "date": date_text(stage.occurred_on, stage.precision),
            "date_iso": date_iso(stage.occurred_on, stage.precision),
            "amount": format_money(stage.amount, stage.currency),
            "usd": usd_text(stage),
        }
        for stage in deal.stages.all()
    ]
