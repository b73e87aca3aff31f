"""Deals for the API tests, saved through services.deals.save_deal as every deal is."""

import datetime
import itertools
from decimal import Decimal

from briefs.models import Brief, Deal, DealFigure, DealParticipant, DealStage
from briefs.services.deals import save_deal
from briefs.services.saving import Links, save_brief

from ..committing import as_committed

_counter = itertools.count(1)


def make_deal(*, participants=(), stages=(), figures=(), **fields):
    """participants: [(party, role, dict of other fields)], stages: [dict], figures: [dict]; a figure's
    "stage" is the index of its stage in `stages`."""
    n = next(_counter)
    fields.setdefault("name", f"Deal {n}")
    fields.setdefault("slug", f"deal-{n}")
    fields.setdefault("announced_on", datetime.date(2024, 1, 2))

    def rows(deal):
        for i, (party, role, extra) in enumerate(participants):
            DealParticipant.objects.create(deal=deal, party=party, role=role, position=i, **extra)
        saved = [DealStage.objects.create(deal=deal, position=i, **stage) for i, stage in enumerate(stages)]
        for i, figure in enumerate(figures):
            figure = dict(figure)
            stage = figure.pop("stage", None)
            figure.setdefault("currency", "USD" if figure.get("kind") != "stake" else "")
            DealFigure.objects.create(
                deal=deal, position=i, stage=saved[stage] if stage is not None else None, **figure
            )

    with as_committed():
        return save_deal(Deal(**fields), rows=rows)


def amount(value, currency="USD", kind="amount", **extra):
    return {"kind": kind, "amount": Decimal(value), "currency": currency, **extra}


def about(brief, *deals, stages=None):
    """Make `brief` about `deals` (stages: the stage each reports, or None), through the save path."""
    stages = stages or [None] * len(deals)
    with as_committed():
        return save_brief(
            Brief.objects.get(pk=brief.pk), links=Links(deals=list(zip(deals, stages, strict=True))), comment="Test."
        )
