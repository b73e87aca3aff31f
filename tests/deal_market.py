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
