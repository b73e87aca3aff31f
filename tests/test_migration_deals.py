"""Migration 0005 turns every brief's deal facts into a deal and back, as a deployment runs it.

The database is taken back to briefs 0004 (deal tables, no deals), filled through the models as
they were then, and migrated forward and back with the migration executor, as `migrate` does.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("briefs", "0004_deals")]
AFTER = [("briefs", "0005_deals_from_briefs")]
COUNT = 200
DEAL_TYPES = ["investment", "funding_round", "acquisition", "merger", "partnership", "divestiture", "ipo", "debt"]
CURRENCIES = ["USD", "EUR", "GBP", "JPY", "INR", "KRW", "SGD", "CHF"]
ROLES = ["investor", "target", "acquirer", "seller", "advisor", "lender", "partner", "competitor", "mentioned"]
DEAL_ROLES = set(ROLES) - {"competitor", "mentioned"}
FACTS = [
    "deal_type",
    "announced_on",
    "amount_disclosure",
    "amount",
    "amount_up_to",
    "currency",
    "stake_percent",
    "stake_description",
    "valuation",
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _old_brief_facts(rng, i):
    """Deal facts of every shape the old fields allowed: disclosed with and without "up to",
    undisclosed, no amount at all, stakes, valuations, missing dates."""
    shape = i % 5
    facts = {
        "deal_type": rng.choice(DEAL_TYPES),
        "announced_on": None
        if i % 17 == 0
        else datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(4000)),
        "amount_disclosure": "disclosed",
        "amount": None,
        "amount_up_to": None,
        "currency": rng.choice(CURRENCIES),
        "stake_percent": None,
        "stake_description": rng.choice(["", "Minority stake", "Majority stake", "Full ownership"]),
        "valuation": None,
    }
    amount = Decimal(rng.randrange(1, 9999)) * Decimal(10) ** rng.randrange(5, 9)
    if shape in (0, 1, 2):
        facts["amount"] = amount
    if shape == 1:
        facts["amount_up_to"] = amount * rng.choice([2, 3, 4])
    if shape == 2:
        facts["valuation"] = amount * 10
        facts["stake_percent"] = Decimal(rng.randrange(1, 10000)) / 100
    if shape == 3:
        facts.update(amount_disclosure="undisclosed", stake_percent=Decimal("12.50"))
    if shape == 4:
        facts.update(amount_disclosure="not_applicable", currency="", stake_description="")
    return facts


def _fill(apps):
    Brief, Party, BriefParty = (apps.get_model("briefs", name) for name in ("Brief", "Party", "BriefParty"))
    rng = random.Random(5)
    parties = Party.objects.bulk_create(Party(name=f"Old party {n}", slug=f"old-party-{n}") for n in range(30))
    briefs = Brief.objects.bulk_create(
        Brief(title=f"Old brief {i}", slug=f"old-brief-{i}", dek="d", body="b", **_old_brief_facts(rng, i))
        for i in range(COUNT)
    )
    links = []
    for brief in briefs:
        for position, (party, role) in enumerate(zip(rng.sample(parties, 4), rng.sample(ROLES, 4), strict=True)):
            links.append(BriefParty(brief=brief, party=party, role=role, position=position))
    BriefParty.objects.bulk_create(links)
    old = {brief.slug: {name: getattr(brief, name) for name in FACTS} for brief in Brief.objects.all()}
    roles = {}
    for link in BriefParty.objects.select_related("brief"):
        roles.setdefault(link.brief.slug, set()).add((link.party_id, link.role))
    return old, roles


def _deal_facts(deal):
    figures = {}
    for figure in deal.figures.all():
        assert figure.basis == "official" and figure.stage_id is None
        assert figure.kind not in figures, f"{deal.slug}: two {figure.kind} figures"
        figures[figure.kind] = figure
    for figure in figures.values():
        if figure.kind != "stake":
            assert figure.currency == deal.currency
    return {
        "deal_type": deal.deal_type,
        "announced_on": deal.announced_on,
        "amount_disclosure": deal.amount_disclosure,
        "amount": figures["amount"].amount if "amount" in figures else None,
        "amount_up_to": figures["up_to"].amount if "up_to" in figures else None,
        "currency": deal.currency,
        "stake_percent": figures["stake"].percent if "stake" in figures else None,
        "stake_description": deal.stake_description,
        "valuation": figures["valuation"].amount if "valuation" in figures else None,
    }


@pytest.mark.django_db(transaction=True)
def test_migration_0005_moves_every_deal_fact_onto_a_deal_and_back():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE)
        assert not old_apps.get_model("briefs", "Deal").objects.exists()
        old, roles = _fill(old_apps)

        new_apps = _migrate(AFTER)
        Brief, BriefDeal = new_apps.get_model("briefs", "Brief"), new_apps.get_model("briefs", "BriefDeal")
        links = BriefDeal.objects.select_related("brief", "deal").prefetch_related(
            "deal__figures", "deal__participants"
        )
        by_slug = {link.brief.slug: link for link in links}
        assert set(by_slug) == set(old)
        for slug, facts in old.items():
            link = by_slug[slug]
            deal = link.deal
            assert (deal.slug, link.position, link.stage_id) == (slug, 0, None)
            assert _deal_facts(deal) == facts, slug
            participants = {(p.party_id, p.role) for p in deal.participants.all()}
            assert participants == {(party, role) for party, role in roles[slug] if role in DEAL_ROLES}, slug

        # The briefs' own fields no longer carry the facts: going back must restore them from the deals.
        Brief.objects.update(
            amount_disclosure="not_applicable",
            amount=None,
            amount_up_to=None,
            currency="",
            stake_percent=None,
            stake_description="",
            valuation=None,
            announced_on=None,
            deal_type="other",
        )
        back_apps = _migrate(BEFORE)
        restored = {
            brief.slug: {name: getattr(brief, name) for name in FACTS}
            for brief in back_apps.get_model("briefs", "Brief").objects.all()
        }
        assert restored == old
        assert not back_apps.get_model("briefs", "Deal").objects.exists()
        assert not back_apps.get_model("briefs", "DealFigure").objects.exists()
        assert not back_apps.get_model("briefs", "DealParticipant").objects.exists()
    finally:
        MigrationExecutor(connection).migrate(leaves)
