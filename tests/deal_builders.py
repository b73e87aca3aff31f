"""Deals for the list surfaces' tests (home, party pages, charts, feeds, search), saved through
the one deal save path and linked to briefs through the one brief save path."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from briefs.models import Brief, Deal, DealFigure, DealParticipant, DealStage
from briefs.services.deals import save_deal
from briefs.services.saving import Links, save_brief

from .committing import as_committed

_counter = itertools.count(1)


def make_deal(
    *,
    participants=(),
    amount=None,
    currency="USD",
    up_to=None,
    reported=(),
    stages=(),
    announced_on=datetime.date(2024, 1, 1),
    **fields,
):
    """A deal; `participants` is [(party, role)] or [(party, role, {"is_lead": …, "amount": …})],
    `amount`/`up_to` are official figures in `currency`, `reported` is [(amount, currency, by)] and
    `stages` is [(description, occurred_on)]."""
    n = next(_counter)
    fields.setdefault("name", f"Deal {n}")
    fields.setdefault("slug", f"deal-{n}")
    if amount is None and up_to is None and not reported:
        fields.setdefault("amount_disclosure", "undisclosed")
    deal = Deal(announced_on=announced_on, currency=currency if amount or up_to else "", **fields)

    def rows(deal):
        for i, (party, role, *extra) in enumerate(participants):
            options = dict(extra[0]) if extra else {}
            if options.get("amount") is not None:
                options["amount"] = Decimal(options["amount"])
                options.setdefault("currency", currency)
            DealParticipant.objects.create(deal=deal, party=party, role=role, position=i, **options)
        for i, (description, occurred_on) in enumerate(stages):
            DealStage.objects.create(deal=deal, description=description, occurred_on=occurred_on, position=i)
        position = itertools.count()
        for kind, value in (("amount", amount), ("up_to", up_to)):
            if value is not None:
                DealFigure.objects.create(
                    deal=deal, kind=kind, amount=Decimal(value), currency=currency, position=next(position)
                )
        for value, figure_currency, by in reported:
            DealFigure.objects.create(
                deal=deal,
                kind="amount",
                basis="reported",
                amount=Decimal(value),
                currency=figure_currency,
                reported_by=by,
                position=next(position),
            )

    with as_committed():
        return save_deal(deal, rows=rows)


def brief_about(*deals, body="A brief about a deal.", published=True, parties=(), quotes=(), **fields):
    """A brief about these deals (links in order); `parties` is [(party, role)] brief links."""
    n = next(_counter)
    fields.setdefault("title", f"Brief about deals {n}")
    fields.setdefault("slug", f"deal-brief-{n}")
    fields.setdefault("dek", f"Summary of deal brief {n}.")
    # The brief's own deal columns are on their way out; until then their constraints want a
    # brief without an amount to say it has none. Nothing in the list surfaces reads them.
    fields.setdefault("amount_disclosure", "not_applicable")
    if published:
        fields.setdefault("status", "published")
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    with as_committed():
        return save_brief(
            Brief(body=body, **fields),
            links=Links(parties=list(parties), quotes=list(quotes), deals=[(deal, None) for deal in deals]),
            comment="Made by a test.",
        )
