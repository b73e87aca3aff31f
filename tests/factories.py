"""Small builders for test data; each returns saved, rendered objects."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from briefs.models import Brief, Deal, DealFigure, DealParticipant, DealStage, Party, Quote, Source
from briefs.services.deals import save_deal
from briefs.services.saving import Links, save_brief

from .committing import as_committed

_counter = itertools.count(1)


def make_party(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Party {n}")
    fields.setdefault("slug", f"party-{n}")
    return Party.objects.create(**fields)


def make_source(**fields):
    n = next(_counter)
    fields.setdefault("key", f"source-{n}")
    fields.setdefault("title", f"Source {n}")
    fields.setdefault("publisher", "Example News")
    fields.setdefault("url", f"https://news.example.com/{n}")
    return Source.objects.create(**fields)


def make_quote(speaker=None, source=None, **fields):
    n = next(_counter)
    fields.setdefault("key", f"quote-{n}")
    fields.setdefault("text", f"Quoted words number {n}.")
    return Quote.objects.create(speaker=speaker or make_party(kind="person"), source=source, **fields)


def make_deal(*, participants=(), stages=(), figures=(), **fields):
    """A deal saved through save_deal (so its USD equivalents and headline are worked out).

    participants: [(party, role)] or [(party, role, {is_lead, amount, currency})];
    stages: [{occurred_on, status, description, amount, currency, precision}];
    figures: [{kind, basis, amount, currency, percent, as_of, source, reported_by, stage}] where
    `stage` is the index of one of `stages`. Returns the deal with `.made_stages` in order.
    """
    n = next(_counter)
    fields.setdefault("name", f"Deal {n}")
    fields.setdefault("slug", f"deal-{n}")
    fields.setdefault("announced_on", datetime.date(2024, 1, 1))
    made_stages = []

    def rows(deal):
        for position, (party, role, *extra) in enumerate(participants):
            DealParticipant.objects.create(
                deal=deal, party=party, role=role, position=position, **(extra[0] if extra else {})
            )
        for position, stage in enumerate(stages):
            made_stages.append(DealStage.objects.create(deal=deal, position=position, **stage))
        for position, figure in enumerate(figures):
            figure = dict(figure)
            figure.setdefault("currency", "" if figure.get("kind") == "stake" else "USD")
            if isinstance(figure.get("stage"), int):
                figure["stage"] = made_stages[figure["stage"]]
            DealFigure.objects.create(deal=deal, position=position, **figure)

    with as_committed():
        deal = save_deal(Deal(**fields), rows=rows)
    deal.made_stages = made_stages
    return deal


# Deal-fact keywords make_brief accepts and turns into a deal of the brief's own.
_DEAL_FACTS = (
    "deal_type",
    "announced_on",
    "amount_disclosure",
    "amount",
    "amount_up_to",
    "currency",
    "stake_percent",
    "stake_description",
    "valuation",
)


def deal_from_facts(facts, *, parties=(), slug=None):
    """A deal carrying what a brief's deal-fact keywords described: type, date, disclosure,
    currency, stake wording, the amounts as official figures, its deal-role parties as participants."""
    figure_kinds = (("amount", "amount"), ("amount_up_to", "up_to"), ("valuation", "valuation"))
    currency = facts.get("currency", "USD")
    figures = [
        {"kind": kind, "amount": facts[name], "currency": currency}
        for name, kind in figure_kinds
        if facts.get(name) is not None
    ]
    if facts.get("stake_percent") is not None:
        figures.append({"kind": "stake", "percent": facts["stake_percent"]})
    fields = {
        name: facts[name]
        for name in ("deal_type", "announced_on", "amount_disclosure", "stake_description")
        if name in facts
    }
    if slug:
        fields["slug"] = slug
    roles = {"investor", "target", "acquirer", "seller", "advisor", "lender", "partner"}
    return make_deal(
        currency=currency,
        participants=[(party, role) for party, role in parties if role in roles],
        figures=figures,
        **fields,
    )


def make_brief(
    body="A plain brief.", *, parties=(), sources=(), quotes=(), notes=(), deals=None, published=True, **fields
):
    """A brief with its links; `parties` is [(party, role)], `notes` is [(key, text)], `deals` is
    [(deal, stage or None)]. Deal-fact keywords (amount=, currency=, deal_type=, …) build a deal of the
    brief's own with those facts instead (see deal_from_facts)."""
    n = next(_counter)
    fields.setdefault("title", f"Brief {n}")
    fields.setdefault("slug", f"brief-{n}")
    fields.setdefault("dek", f"Summary of brief {n}.")
    facts = {name: fields.pop(name) for name in _DEAL_FACTS if name in fields}
    if facts:
        facts.setdefault("announced_on", datetime.date(2024, 1, 1))
        facts.setdefault("currency", "USD")
        if facts.get("amount_disclosure", "disclosed") == "disclosed" and facts.get("amount") is None:
            facts.setdefault("amount", Decimal("1000000.00"))
    if facts:
        deals = [*(deals or []), (deal_from_facts(facts, parties=parties, slug=fields["slug"]), None)]
    if published:
        fields.setdefault("status", "published")
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    with as_committed():
        return save_brief(
            Brief(body=body, **fields),
            links=Links(
                parties=list(parties),
                sources=list(sources),
                quotes=list(quotes),
                notes=list(notes),
                deals=None if deals is None else list(deals),
            ),
            comment="Made by a test.",
        )
