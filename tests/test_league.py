"""League tables count public deals only, per year and per deal type, by number of deals and by
volume in US dollars (a party's own amount, else the deal's headline), leads counted apart; ties
share a rank; each row links the party and its deals in the deals table."""

import re
from decimal import Decimal

import pytest

from briefs.league import league_table
from briefs.models import Deal
from tests.deal_market import build_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    return build_market()


def rows_of(role, by="deals", **filters):
    deals = Deal.objects.public().filter(**filters)
    return [(r.rank, r.party_slug, r.deals, r.led, r.usd, r.counted_apart) for r in league_table(deals, role, by)]


def test_investors_and_acquirers_by_number_of_deals_match_the_hand_count(market):
    eur = market["made"]["round-b"].headline_usd  # €80 million in USD at the ECB rate of its day
    gbp = market["made"]["stake"].headline_usd
    assert eur > 80_000_000 and gbp > 5_000_000  # both converted: the sums below add dollars
    # Acme: round A (led, $20m), round B (€80m), the undisclosed "quiet" deal; its draft-only deal is not counted.
    # Beta: round A, round B (led). Gamma: the sterling stake and "quiet". Ties on deals share the rank.
    assert rows_of("investor") == [
        (1, "acme", 3, 1, Decimal(20_000_000) + eur, 1),
        (2, "beta", 2, 1, Decimal(20_000_000) + eur, 0),
        (2, "gamma", 2, 0, gbp, 1),
    ]
    # Bigco: the $900m buyout and an undisclosed rumour (its draft-only takeover is not counted).
    assert rows_of("acquirer") == [(1, "bigco", 2, 0, Decimal(900_000_000), 1)]


def test_ranking_by_volume_and_by_deals_led(market):
    eur = market["made"]["round-b"].headline_usd
    gbp = market["made"]["stake"].headline_usd
    assert rows_of("investor", by="usd") == [
        (1, "acme", 3, 1, Decimal(20_000_000) + eur, 1),  # same volume as Beta: more deals first, same rank
        (1, "beta", 2, 1, Decimal(20_000_000) + eur, 0),
        (3, "gamma", 2, 0, gbp, 1),
    ]
    assert [row[:4] for row in rows_of("investor", by="led")] == [
        (1, "acme", 3, 1),
        (1, "beta", 2, 1),
        (3, "gamma", 2, 0),
    ]


def test_per_year_and_per_deal_type(market):
    eur = market["made"]["round-b"].headline_usd
    in_2023 = {"announced_on__year": 2023}
    assert rows_of("investor", **in_2023) == [(1, "beta", 1, 1, eur, 0), (1, "acme", 1, 0, eur, 0)]
    assert rows_of("acquirer", **in_2023) == [(1, "bigco", 1, 0, Decimal(900_000_000), 0)]
    rounds = {"deal_type": "funding_round"}
    assert [row[:4] for row in rows_of("investor", **rounds)] == [(1, "acme", 2, 1), (1, "beta", 2, 1)]
    assert rows_of("acquirer", **rounds) == []


def test_the_page_filters_by_the_deals_tables_parameters_and_links_each_party_and_its_deals(client, market):
    html = client.get("/deals/league/", {"year": "2023", "deal_type": "funding_round"}).content.decode()
    investors = html[html.index('id="league-investor"') : html.index('id="league-acquirer"')]
    assert re.findall(r'<th scope="row"><a href="/parties/([a-z]+)/">', investors) == ["beta", "acme"]
    assert 'href="/deals/?party=beta&amp;role=investor&amp;year=2023&amp;deal_type=funding_round"' in investors
    assert 'href="/deals/?lead=beta&amp;year=2023&amp;deal_type=funding_round"' in investors
    linked = client.get("/deals/", {"party": "beta", "role": "investor", "year": "2023", "deal_type": "funding_round"})
    assert re.findall(r'<tr data-deal="([^"]+)"', linked.content.decode()) == ["round-b"]
    assert "No acquirers in these deals." in html


def test_no_draft_deal_counts_anywhere_in_the_league(client, market):
    for params in ({}, {"year": "2024"}, {"deal_type": "acquisition"}, {"by": "usd"}, {"by": "led"}):
        html = client.get("/deals/league/", params).content.decode()
        assert "Hush Fund" not in html and "Secretco" not in html
    # Bigco's draft-only takeover of 2024 leaves it one 2024 deal: the rumour.
    assert rows_of("acquirer", announced_on__year=2024) == []
    assert [row[2] for row in rows_of("acquirer")] == [2]


def test_an_unknown_year_is_refused_with_the_reason(client, market):
    response = client.get("/deals/league/", {"year": "soon"})
    assert response.status_code == 400 and "could not be used" in response.content.decode()
