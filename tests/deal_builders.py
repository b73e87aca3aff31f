"""Deals for the page tests, built through the one deal save path (save_deal) and linked to briefs
through the one brief save path (save_brief with Links(deals=…))."""

import datetime
import itertools
from decimal import Decimal

from briefs.models import DealFigure, DealParticipant, DealStage
from briefs.models.deals import Deal
from briefs.services.deals import save_deal
from briefs.services.saving import Links, save_brief

from .committing import as_committed
from .factories import make_brief

_counter = itertools.count(1)


def build_deal(*, participants=(), stages=(), figures=(), **fields):
    """A saved deal. participants: [(party, role)] or [(party, role, {extra fields})];
    stages, figures: [{fields}] (a figure's "stage" may be a stage's index in `stages`)."""
    n = next(_counter)
    fields.setdefault("name", f"Deal {n}")
    fields.setdefault("slug", f"deal-{n}")
    fields.setdefault("announced_on", datetime.date(2024, 1, 2))
    fields.setdefault("currency", "USD")

    def rows(deal):
        DealParticipant.objects.bulk_create(
            DealParticipant(deal=deal, party=row[0], role=row[1], position=i, **(row[2] if len(row) > 2 else {}))
            for i, row in enumerate(participants)
        )
        saved_stages = [DealStage.objects.create(deal=deal, position=i, **stage) for i, stage in enumerate(stages)]
        for i, figure in enumerate(figures):
            figure = dict(figure)
            if isinstance(figure.get("stage"), int):
                figure["stage"] = saved_stages[figure["stage"]]
            DealFigure.objects.create(deal=deal, position=i, **figure)

    with as_committed():
        return save_deal(Deal(**fields), rows=rows)


def money(kind, amount, currency="USD", **fields):
    return {"kind": kind, "amount": Decimal(amount), "currency": currency, **fields}


def anthropic_deal(amazon, anthropic, source=None, **fields):
    """Amazon's investment in Anthropic: announced at $1.25 billion of up to $4 billion, completed at $4 billion."""
    fields.setdefault("name", "Amazon’s investment in Anthropic")
    fields.setdefault("slug", "amazon-anthropic")
    return build_deal(
        deal_type="investment",
        status="completed",
        announced_on=datetime.date(2023, 9, 25),
        closed_on=datetime.date(2024, 3, 27),
        closed_precision="month",
        stake_description="minority stake",
        participants=[(amazon, "investor", {"is_lead": True}), (anthropic, "target")],
        stages=[
            {
                "occurred_on": datetime.date(2023, 9, 25),
                "precision": "day",
                "status": "announced",
                "description": "$1.25 billion of up to $4 billion",
                "amount": Decimal("1250000000"),
                "currency": "USD",
            },
            {
                "occurred_on": datetime.date(2024, 3, 27),
                "precision": "month",
                "status": "completed",
                "description": "$4 billion in total",
                "amount": Decimal("2750000000"),
                "currency": "USD",
            },
        ],
        figures=[
            money("amount", "1250000000", source=source),
            money("up_to", "4000000000", source=source),
        ],
        **fields,
    )


def brief_about(*deals, stage=None, brief=None, **fields):
    """`brief` (else a new one made with make_brief's defaults) about `deals`, the first reporting `stage`."""
    brief = brief or make_brief(**fields)
    with as_committed():
        return save_brief(brief, links=Links(deals=[(deal, stage if i == 0 else None) for i, deal in enumerate(deals)]))
