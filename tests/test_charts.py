"""Server-side SVG charts: deal volume by month (home), a party's deals over time (party page)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from briefs.charts import deal_volume
from tests.deal_builders import brief_about, deal_with
from tests.factories import make_party
from tests.html_safety import executable_parts

pytestmark = pytest.mark.django_db


def brief_on(day, party=None, role="investor", amount="1000000.00", currency="USD", title=None, **fields):
    """A published brief about a deal announced on `day`, with `party` in `role` (if given)."""
    other = make_party()
    participants = [(other, "investor")]
    if party:
        participants = [(party, role), (other, "target" if role != "target" else "investor")]
    deal = deal_with(participants=participants, amount=amount, currency=currency, announced_on=day, **fields)
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return brief_about(deal, published_at=when, **({"title": title} if title else {}))


def svg_of(html, css_class):
    match = re.search(rf'<svg class="{css_class}".*?</svg>', html, re.S)
    assert match, f"no {css_class} chart"
    return match.group(0)


def test_volume_by_month_counts_public_deals_and_adds_their_amounts_up_in_usd(db):
    brief_on(datetime.date(2024, 1, 5), amount="1000000.00")
    euro = brief_on(datetime.date(2024, 1, 20), amount="2000000.00", currency="EUR").deal_link.deal
    brief_on(datetime.date(2024, 3, 2), amount=None)
    brief_about(deal_with(amount="9000000", announced_on=datetime.date(2024, 3, 9)), published=False)
    months = deal_volume()
    assert [(m.start, m.deals) for m in months] == [
        (datetime.date(2024, 1, 1), 2),
        (datetime.date(2024, 2, 1), 0),
        (datetime.date(2024, 3, 1), 1),
    ]
    assert euro.headline_usd > Decimal("2000000")  # the ECB rate of 19 Jan 2024 (about 1.09)
    assert months[0].usd == Decimal("1000000") + euro.headline_usd
    assert months[0].amounts.startswith("$3.1") and months[2].amounts == "—"


def test_volume_counts_an_amount_without_a_usd_equivalent_apart(db):
    brief_on(datetime.date(2024, 1, 5), amount="1000000.00")
    brief_on(datetime.date(2024, 1, 6), amount="5000000.00", currency="XAU")  # gold: no ECB rate
    (month,) = deal_volume()
    assert month.deals == 2 and month.amounts == "$1 million; 1 deal without a USD equivalent"


def test_home_shows_the_volume_chart_with_a_table_and_no_style_or_script(client, db):
    for n in range(3):
        brief_on(datetime.date(2024, 1 + n, 10))
    html = client.get("/").content.decode()
    svg = svg_of(html, "chart-volume")
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('<rect class="bar"') == 3
    assert " style=" not in html and "<script>" not in svg
    assert '<details class="chart-data">' in html and '<th scope="row">Feb 2024</th>' in html
    assert executable_parts(svg.replace("<svg", "<g").replace("</svg>", "</g>")) == []


def test_home_query_count_is_constant(client, db, django_assert_max_num_queries):
    for n in range(25):
        brief_on(datetime.date(2023, 1, 1) + datetime.timedelta(days=20 * n))
    # 8 for the page (the count, briefs, their deal links, participants, stages, figures, the
    # volume's monthly counts and the deals held back for later) + 1 when the page cache is on and
    # its state is cold (the next scheduled publication time).
    with django_assert_max_num_queries(9):
        assert client.get("/").status_code == 200


def test_party_page_charts_the_deals_it_is_a_principal_in_by_role(client, db):
    party = make_party(name="Acme Ventures", slug="acme")
    brief_on(datetime.date(2023, 2, 1), party, "investor", amount="5000000.00", name="Acme backs One")
    brief_on(datetime.date(2023, 8, 1), party, "target", amount=None, name="Big buys Acme")
    brief_on(datetime.date(2024, 1, 1), party, "advisor", amount="7000000.00", name="Acme advises Three")
    html = client.get("/parties/acme/").content.decode()
    svg = svg_of(html, "chart-timeline")
    assert svg.count('class="point role-acting"') == 2  # one point and its legend key
    assert svg.count('class="point role-receiving"') == 2 and "role-other" not in svg
    assert "Acme backs One" in svg and "$5 million" in svg and "Undisclosed" in svg
    assert "Acme advises Three" not in svg  # an advisor is no principal
    assert "Acme Ventures: deals over time" in svg
    table = html[html.index('<details class="chart-data">') :]
    assert "Big buys Acme" in table and "Target" in table and "$5 million" in table


def test_a_competitor_named_in_a_brief_gets_no_point_for_the_deal(client, db):
    amazon, anthropic = make_party(name="Amazon", slug="amazon"), make_party(name="Anthropic", slug="anthropic")
    microsoft = make_party(name="Microsoft", slug="microsoft")
    deal = deal_with(participants=[(amazon, "investor"), (anthropic, "target")], amount="4000000000")
    brief_about(deal, parties=[(amazon, "investor"), (anthropic, "target"), (microsoft, "competitor")])
    assert "chart-timeline" in client.get("/parties/amazon/").content.decode()  # the same deal, charted
    html = client.get("/parties/microsoft/").content.decode()
    assert "chart-timeline" not in html and "role-deals" not in html


def test_party_names_in_charts_are_escaped(client, db):
    party = make_party(name='<script>alert(1)</script>"', slug="hostile")
    brief_on(datetime.date(2023, 2, 1), party, "investor", name="<img src=x onerror=alert(2)>")
    html = client.get("/parties/hostile/").content.decode()
    svg = svg_of(html, "chart-timeline")
    assert "<script>alert(1)" not in svg and "&lt;script&gt;" in svg
    assert "<img" not in svg


def test_a_busy_partys_timeline_shows_its_latest_deals_and_says_so(client, settings, db):
    settings.DEALSITE = {**settings.DEALSITE, "PARTY_TIMELINE_SIZE": 3}
    party = make_party(name="Busy Fund", slug="busy-fund")
    for n in range(5):
        brief_on(datetime.date(2024, 1 + n, 1), party, "investor", name=f"Busy deal {n}")
    html = client.get("/parties/busy-fund/").content.decode()
    assert "The latest 3 of 5 deals." in html
    table = html.split("<table>")[1].split("</table>")[0]
    assert [f"Busy deal {n}" in table for n in range(5)] == [False, False, True, True, True]


def test_the_volume_chart_covers_every_deal_whatever_its_age(client, db):
    """A deal older than a year before the latest stays in the chart: a long span has a bar a year."""
    brief_on(datetime.date(2023, 1, 23))  # the January 2023 deal a 12-month window dropped
    brief_on(datetime.date(2023, 5, 16))
    brief_on(datetime.date(2024, 3, 27))
    months = deal_volume()
    assert sum(m.deals for m in months) == 3
    assert months[0].start == datetime.date(2023, 1, 1) and months[-1].start == datetime.date(2024, 3, 1)
    brief_on(datetime.date(2020, 6, 1))
    years = deal_volume()
    assert [(y.label, y.deals) for y in years] == [("2020", 1), ("2021", 0), ("2022", 0), ("2023", 2), ("2024", 1)]
    html = client.get("/").content.decode()
    assert "Deal volume by year" in html and svg_of(html, "chart-volume").count("<rect") == 5
