"""A small market of public deals for the deals table, league and co-investor tests: rounds,
acquisitions and investments in three currencies over three years, leads and co-investors, a
rumour, and a deal whose only brief is a draft (with a party nobody else deals with)."""

import datetime

from tests.deal_builders import brief_about, deal_with
from tests.factories import make_party

D = datetime.date


def build_market():
    """A small market: rounds, acquisitions and investments in three currencies over three years,
    leads and co-investors, a rumour, and a deal whose only brief is a draft."""
    p = {
        slug: make_party(name=name, slug=slug)
        for slug, name in [
            ("acme", "Acme Capital"),
            ("beta", "Beta Ventures"),
            ("gamma", "Gamma Partners"),
            ("zeta", "Zeta Labs"),
            ("yoyo", "Yoyo AI"),
            ("xeno", "Xeno Bio"),
            ("bigco", "Bigco"),
            ("shh", "Secretco"),
            ("hush", "Hush Fund"),
        ]
    }
    made = {
        "round-a": deal_with(
            slug="round-a",
            deal_type="funding_round",
            series="series_a",
            announced_on=D(2022, 3, 1),
            amount="20000000",
            participants=[(p["acme"], "investor", {"is_lead": True}), (p["beta"], "investor"), (p["zeta"], "target")],
        ),
        "round-b": deal_with(
            slug="round-b",
            deal_type="funding_round",
            series="series_b",
            announced_on=D(2023, 6, 1),
            amount="80000000",
            currency="EUR",
            participants=[(p["beta"], "investor", {"is_lead": True}), (p["acme"], "investor"), (p["yoyo"], "target")],
        ),
        "buyout": deal_with(
            slug="buyout",
            deal_type="acquisition",
            status="completed",
            announced_on=D(2023, 1, 10),
            closed_on=D(2023, 4, 1),
            amount="900000000",
            participants=[(p["bigco"], "acquirer"), (p["xeno"], "target")],
        ),
        "stake": deal_with(
            slug="stake",
            deal_type="investment",
            announced_on=D(2024, 2, 2),
            amount="5000000",
            currency="GBP",
            participants=[(p["gamma"], "investor"), (p["zeta"], "target")],
        ),
        "quiet": deal_with(
            slug="quiet",
            deal_type="investment",
            announced_on=D(2024, 5, 5),
            participants=[(p["gamma"], "investor"), (p["acme"], "investor"), (p["xeno"], "target")],
        ),
        "rumour": deal_with(
            slug="rumour",
            deal_type="acquisition",
            status="rumoured",
            announced_on=None,
            rumoured_on=D(2024, 7, 1),
            participants=[(p["bigco"], "acquirer"), (p["yoyo"], "target")],
        ),
    }
    brief_about(*made.values())
    hidden = deal_with(
        name="Secret takeover",
        deal_type="acquisition",
        status="rumoured",
        announced_on=D(2024, 1, 1),
        rumoured_on=D(2024, 1, 1),
        amount="70000000",
        participants=[
            (p["bigco"], "acquirer"),
            (p["shh"], "target"),
            (p["acme"], "investor"),
            (p["hush"], "investor"),
        ],
    )
    brief_about(hidden, published=False)
    return {"made": made, "hidden": hidden, "parties": p}


def bulk_public_deals(count, *, start=0):
    """`count` more public deals, fast (bulk inserts, for exports of thousands of rows): each a
    funding round in euros or dollars with its USD headline, a lead, a co-investor and a target with
    a non-ASCII name, and one published brief about them all."""
    from decimal import Decimal

    from briefs.models import BriefDeal, Deal, DealParticipant, Party
    from tests.factories import make_brief

    lead, other = (
        Party.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in (("bulk-lead", "Société Générale Ventures"), ("bulk-co", "Co-investor Fund"))
    )
    targets = Party.objects.bulk_create(
        Party(name=f"Zürich Startup {n}", slug=f"bulk-target-{n}") for n in range(start, start + count)
    )
    deals = Deal.objects.bulk_create(
        Deal(
            name=f"Zürich Startup {n}’s Series A",
            slug=f"bulk-deal-{n}",
            deal_type="funding_round",
            series="series_a",
            announced_on=D(2015, 1, 1) + datetime.timedelta(days=n % 3000),
            currency="EUR" if n % 2 else "USD",
            headline_kind="amount",
            headline_amount=Decimal(1_000_000 + n),
            headline_currency="EUR" if n % 2 else "USD",
            headline_usd=Decimal(1_100_000 + n) if n % 2 else Decimal(1_000_000 + n),
            headline_usd_rate=Decimal("1.1") if n % 2 else Decimal(1),
            headline_usd_rate_on=D(2015, 1, 1) + datetime.timedelta(days=n % 3000),
        )
        for n in range(start, start + count)
    )
    DealParticipant.objects.bulk_create(
        row
        for deal, target in zip(deals, targets, strict=True)
        for row in (
            DealParticipant(deal=deal, party=lead, role="investor", is_lead=True, position=0),
            DealParticipant(deal=deal, party=other, role="investor", position=1),
            DealParticipant(deal=deal, party=target, role="target", position=2),
        )
    )
    brief = make_brief(title=f"Bulk deals from {start}")
    BriefDeal.objects.bulk_create(BriefDeal(brief=brief, deal=deal) for deal in deals)
    return deals
