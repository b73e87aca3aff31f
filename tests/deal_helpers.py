"""Deals for the admin, citation, webhook and revision tests, built through the one deal save path.

Kept beside tests/factories.py until its deal builder lands; rows are given as dicts of field values.
"""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from briefs.models import Brief, Deal, DealFigure, DealParticipant, DealStage
from briefs.services.deals import save_deal
from briefs.services.saving import Links, save_brief

from .committing import as_committed
from .factories import make_source

_counter = itertools.count(1)


def make_deal(*, participants=(), stages=(), figures=(), **fields):
    """A saved deal; by default an announced $1.25 billion investment (one official, sourced figure)."""
    n = next(_counter)
    fields.setdefault("name", f"Deal {n}")
    fields.setdefault("slug", f"deal-{n}")
    fields.setdefault("announced_on", datetime.date(2023, 9, 25))
    fields.setdefault("currency", "USD")
    if not figures:
        figures = [{"kind": "amount", "amount": Decimal("1250000000"), "currency": "USD", "source": make_source()}]

    def rows(deal):
        saved_stages = [DealStage.objects.create(deal=deal, position=i, **row) for i, row in enumerate(stages)]
        for i, row in enumerate(participants):
            DealParticipant.objects.create(deal=deal, position=i, **row)
        for i, row in enumerate(figures):
            row = dict(row)
            if isinstance(row.get("stage"), int):  # the index of one of the stages above
                row["stage"] = saved_stages[row["stage"]]
            DealFigure.objects.create(deal=deal, position=i, **row)

    with as_committed():
        return save_deal(Deal(**fields), rows=rows)


def brief_about(*deals, body="A brief about a deal.", published=True, **fields):
    """A brief about `deals` (each a Deal, or (Deal, stage)), saved through the one brief save path."""
    n = next(_counter)
    fields.setdefault("title", f"Deal brief {n}")
    fields.setdefault("slug", f"deal-brief-{n}")
    fields.setdefault("dek", f"Summary of deal brief {n}.")
    fields.setdefault("amount_disclosure", "not_applicable")  # its own deal-fact columns stay empty
    if published:
        fields.setdefault("status", "published")
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    links = [deal if isinstance(deal, tuple) else (deal, None) for deal in deals]
    with as_committed():
        return save_brief(Brief(body=body, **fields), links=Links(deals=links), comment="Made by a test.")
