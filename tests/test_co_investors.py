"""A party page lists its co-investors (other investors in the same public deals, with how many
deals together), drawn as an accessible SVG chart with a table and no inline style or script."""

import re

import pytest

from briefs.co_investors import co_investors
from tests.deal_market import build_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    return build_market()


def test_co_investors_are_the_other_investors_in_its_public_deals_with_deals_together(market):
    p = market["parties"]
    # Acme invested alongside Beta in rounds A and B and alongside Gamma in "quiet"; Hush Fund only in
    # a deal whose one brief is a draft.
    assert [(c.slug, c.deals) for c in co_investors(p["acme"])] == [("beta", 2), ("gamma", 1)]
    assert [(c.slug, c.deals) for c in co_investors(p["beta"])] == [("acme", 2)]
    assert [(c.slug, c.deals) for c in co_investors(p["gamma"])] == [("acme", 1)]
    assert co_investors(p["bigco"]) == []  # an acquirer has no co-investors
    assert co_investors(p["acme"], limit=1)[0].slug == "beta"


def test_the_party_page_draws_them_as_an_accessible_chart_with_a_table(client, market):
    html = client.get("/parties/acme/").content.decode()
    section = html[html.index('id="co-investors-title"') :]
    section = section[: section.index("</section>")]
    svg = re.search(r"<svg[^>]*>.*?</svg>", section, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-coinvestors-title chart-coinvestors-desc"' in svg
    assert '<title id="chart-coinvestors-title">Acme Capital: co-investors</title>' in svg
    assert svg.count('<rect class="bar"') == 2 and "Beta Ventures: 2 deals together" in svg
    assert "style=" not in svg and "<script" not in svg
    rows = re.findall(r'<th scope="row"><a href="/parties/([a-z]+)/">[^<]+</a></th><td class="num">(\d+)</td>', section)
    assert rows == [("beta", "2"), ("gamma", "1")]
    assert "Hush Fund" not in html


def test_a_party_with_no_co_investors_shows_no_section(client, market):
    assert 'id="co-investors-title"' not in client.get("/parties/bigco/").content.decode()
