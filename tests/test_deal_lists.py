"""Every list of deals a reader sees reads deals: party pages by role with totals in USD, and a
rumour whose only brief is a draft appears on none of home, party page, charts, feeds or search."""

import datetime
import re

import pytest

from briefs.money import format_money
from search import search
from tests.deal_builders import brief_about, deal_with
from tests.factories import make_party

pytestmark = pytest.mark.django_db


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_party_page_lists_deals_by_role_with_usd_totals_and_stage_counts(client):
    amazon, anthropic = make_party(name="Amazon", slug="amazon"), make_party(name="Anthropic", slug="anthropic")
    stages = [
        ("First $1.25 billion", datetime.date(2023, 9, 25)),
        ("Remaining $2.75 billion", datetime.date(2024, 3, 27)),
    ]
    investment = deal_with(
        name="Amazon’s investment in Anthropic",
        participants=[(amazon, "investor", {"is_lead": True, "amount": "4000000000"}), (anthropic, "target")],
        amount="1250000000",
        up_to="4000000000",
        stages=stages,
        announced_on=datetime.date(2023, 9, 25),
    )
    euro = deal_with(
        participants=[(amazon, "acquirer"), (make_party(name="Shop"), "target")], amount="1000000", currency="EUR"
    )
    gold = deal_with(
        participants=[(amazon, "acquirer"), (make_party(name="Mine"), "target")], amount="5", currency="XAU"
    )
    hidden = deal_with(participants=[(amazon, "acquirer"), (make_party(name="Nope"), "target")], amount="9000000")
    brief_about(investment, euro, gold)
    brief_about(hidden, published=False)
    text = text_of(client, "/parties/amazon/")
    assert "$4 billion invested in Anthropic in two stages" in text
    assert "Lead investor $4 billion in one deal" in text
    acquirer = text[text.index("Acquirer") :]
    total = format_money(euro.headline_usd, "USD")  # the euro deal in USD; the gold one counted apart
    assert f"Acquirer {total} in one deal; one deal without a USD equivalent" in acquirer
    assert "Nope" not in text  # a deal whose only brief is a draft is not public


def test_a_rumour_with_a_draft_brief_appears_nowhere(client):
    party = make_party(name="Quietco", slug="quietco")
    public_party = make_party(name="Loudco", slug="loudco")
    rumour = deal_with(
        name="Quietco takeover rumour",
        status="rumoured",
        announced_on=None,
        rumoured_on=datetime.date(2024, 5, 1),
        participants=[(party, "target"), (public_party, "acquirer")],
        reported=[("777000000", "USD", "Reuters")],
        amount_disclosure="undisclosed",
    )
    brief_about(rumour, body="Whispers of a zeppelin takeover.", title="Quiet rumour", published=False)
    brief_about(deal_with(participants=[(public_party, "investor")]), title="Loud deal")
    home = text_of(client, "/")
    assert "Quiet rumour" not in home and "777 million" not in home and "Reported" not in home
    assert client.get("/parties/quietco/").status_code == 404
    loud = text_of(client, "/parties/loudco/")
    assert "Quietco" not in loud and "rumour" not in loud
    for url in ("/feed/rss/", "/feed/atom/", "/parties/loudco/feed/rss/"):
        assert "Quiet" not in client.get(url).content.decode()
    assert search("zeppelin").total == 0 and search("", status="rumoured").total == 0


@pytest.mark.parametrize("size", [1, 30])
def test_party_deals_read_in_constant_queries_at_1_and_30_deals(client, django_assert_max_num_queries, size):
    party = make_party(name="Busy Fund", slug="busy-fund")
    for n in range(size):
        others = [(make_party(), "investor") for _ in range(size if n == 0 else 1)]
        deal = deal_with(participants=[(party, "investor"), (make_party(), "target"), *others], amount="1000000")
        brief_about(deal)
    with django_assert_max_num_queries(16):
        text = text_of(client, "/parties/busy-fund/")
    deals = "one deal" if size == 1 else f"{size} deals"
    assert f"Investor ${size} million in {deals}" in text
