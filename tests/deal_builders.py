"""Deal shapes the tests reach for, all built by factories.make_deal (through the one deal save
path, save_deal) and linked to briefs through the one brief save path (save_brief, Links(deals=…)).

- ``money(kind, amount, …)``: a money figure row for make_deal's ``figures``.
- ``deal_with(amount=…, up_to=…, reported=[(amount, currency, by)], stages=[(description, date)])``:
  a deal described by its size, for the lists' tests.
- ``sourced_deal(…)``: a deal whose one official figure has a source (what the citation check
  wants), for the editors' tests; its participants are rows of fields.
- ``anthropic_deal(amazon, anthropic)``: the demo's story in two stages.
- ``brief_about(*deals, stage=…, brief=…)``: a brief (new, or `brief`) about the deals.
"""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from briefs.models import Brief
from briefs.services.saving import Links, save_brief

from .committing import as_committed
from .factories import make_deal, make_source

_counter = itertools.count(1)


def money(kind, amount, currency="USD", **fields):
    return {"kind": kind, "amount": Decimal(amount), "currency": currency, **fields}


def deal_with(*, amount=None, up_to=None, reported=(), stages=(), currency="USD", participants=(), **fields):
    """`participants` is [(party, role)] or [(party, role, {"is_lead": …, "amount": …})] (a participant
    amount is in `currency` unless it says otherwise), `amount`/`up_to` official figures in `currency`,
    `reported` [(amount, currency, by)], `stages` [(description, occurred_on)]."""
    if amount is None and up_to is None and not reported:
        fields.setdefault("amount_disclosure", "undisclosed")
    fields.setdefault("currency", currency if amount is not None or up_to is not None else "")
    rows = []
    for party, role, *extra in participants:
        options = dict(extra[0]) if extra else {}
        if options.get("amount") is not None:
            options["amount"] = Decimal(options["amount"])
            options.setdefault("currency", currency)
        rows.append((party, role, options))
    figures = [
        money(kind, value, currency) for kind, value in (("amount", amount), ("up_to", up_to)) if value is not None
    ]
    figures += [
        money("amount", value, by_currency, basis="reported", reported_by=by) for value, by_currency, by in reported
    ]
    return make_deal(
        participants=rows,
        stages=[{"description": description, "occurred_on": day} for description, day in stages],
        figures=figures,
        **fields,
    )


def sourced_deal(*, participants=(), stages=(), figures=(), **fields):
    """By default an announced $1.25 billion investment whose one official figure names a source.
    `participants` are rows of fields: [{"party": …, "role": …, "is_lead": …}]."""
    fields.setdefault("announced_on", datetime.date(2023, 9, 25))
    fields.setdefault("currency", "USD")
    if not figures:
        figures = [money("amount", "1250000000", source=make_source())]
    rows = [
        (row["party"], row["role"], {k: v for k, v in row.items() if k not in ("party", "role")})
        for row in participants
    ]
    return make_deal(participants=rows, stages=stages, figures=figures, **fields)


def anthropic_deal(amazon, anthropic, source=None, **fields):
    """Amazon's investment in Anthropic: announced at $1.25 billion of up to $4 billion, completed at $4 billion."""
    fields.setdefault("name", "Amazon’s investment in Anthropic")
    fields.setdefault("slug", "amazon-anthropic")
    return make_deal(
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
        figures=[money("amount", "1250000000", source=source), money("up_to", "4000000000", source=source)],
        **fields,
    )


def brief_about(
    *deals, stage=None, brief=None, body="A brief about a deal.", published=True, parties=(), quotes=(), **fields
):
    """`brief` (else a new one) about `deals` in order, each a Deal or (Deal, stage); the first
    reports `stage` when given. `parties` are the brief's own links [(party, role)]."""
    links = [deal if isinstance(deal, tuple) else (deal, stage if i == 0 else None) for i, deal in enumerate(deals)]
    if brief is not None:
        with as_committed():
            return save_brief(brief, links=Links(deals=links))
    n = next(_counter)
    fields.setdefault("title", f"Deal brief {n}")
    fields.setdefault("slug", f"deal-brief-{n}")
    fields.setdefault("dek", f"Summary of deal brief {n}.")
    if published:
        fields.setdefault("status", "published")
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    with as_committed():
        return save_brief(
            Brief(body=body, **fields),
            links=Links(parties=list(parties), quotes=list(quotes), deals=links),
            comment="Made by a test.",
        )
