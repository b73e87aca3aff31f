"""Server-side SVG charts: deal volume by month (home), a party's deals over time (party page)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from briefs.charts import deal_volume_by_month
from briefs.models import Brief
from tests.factories import make_brief, make_party
from tests.html_safety import executable_parts

pytestmark = pytest.mark.django_db


def brief_on(day, party=None, role="investor", amount="1000000.00", **fields):
    other = make_party()
    parties = [(party, role), (other, "target" if role != "target" else "investor")] if party else [(other, "investor")]
    return make_brief(
        announced_on=day,
        published_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
        amount=Decimal(amount) if amount else None,
        amount_disclosure="disclosed" if amount else "undisclosed",
        currency="USD" if amount else "",
        parties=parties,
        **fields,
    )


def svg_of(html, css_class):
    match = re.search(rf'<svg class="{css_class}".*?</svg>', html, re.S)
    assert match, f"no {css_class} chart"
    return match.group(0)


def test_volume_by_month_counts_deals_and_sums_disclosed_amounts_per_currency(db):
    brief_on(datetime.date(2024, 1, 5), amount="1000000.00")
    brief_on(datetime.date(2024, 1, 20), amount="2500000.00")
    brief_on(datetime.date(2024, 3, 2), amount=None)
    make_brief(title="Draft", published=False, announced_on=datetime.date(2024, 3, 9))
    months = deal_volume_by_month(Brief.objects.published())
    assert [(m.start, m.deals) for m in months] == [
        (datetime.date(2024, 1, 1), 2),
        (datetime.date(2024, 2, 1), 0),
        (datetime.date(2024, 3, 1), 1),
    ]
    assert months[0].amounts == "$3.5 million" and months[2].amounts == "—"


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
    # 4 for the page (briefs, their parties, the volume aggregate, the count) + 1 when the page
    # cache is on and its state is cold (the next scheduled publication time).
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200


def test_party_page_shows_its_deals_over_time_by_role(client, db):
    party = make_party(name="Acme Ventures", slug="acme")
    brief_on(datetime.date(2023, 2, 1), party, "investor", amount="5000000.00", title="Acme backs One")
    brief_on(datetime.date(2023, 8, 1), party, "target", amount="900000000.00", title="Big buys Acme")
    brief_on(datetime.date(2024, 1, 1), party, "advisor", amount=None, title="Acme advises Three")
    html = client.get("/parties/acme/").content.decode()
    svg = svg_of(html, "chart-timeline")
    assert svg.count('class="point role-acting"') == 2  # one point and its legend key
    assert svg.count('class="point role-receiving"') == 2 and svg.count('class="point role-other"') == 2
    assert "Acme backs One" in svg and "$900 million" in svg and "Undisclosed" in svg
    assert "Acme Ventures: deals over time" in svg
    table = html[html.index('<details class="chart-data">') :]
    assert "Big buys Acme" in table and "Target" in table and "$5 million" in table


def test_party_names_in_charts_are_escaped(client, db):
    party = make_party(name='<script>alert(1)</script>"', slug="hostile")
    brief_on(datetime.date(2023, 2, 1), party, "investor", title="<img src=x onerror=alert(2)>")
    html = client.get("/parties/hostile/").content.decode()
    svg = svg_of(html, "chart-timeline")
    assert "<script>alert(1)" not in svg and "&lt;script&gt;" in svg
    assert "<img" not in svg


def test_a_busy_partys_timeline_shows_its_latest_deals_and_says_so(client, settings, db):
    settings.DEALSITE = {**settings.DEALSITE, "PARTY_TIMELINE_SIZE": 3}
    party = make_party(name="Busy Fund", slug="busy-fund")
    for n in range(5):
        make_brief(
            title=f"Busy deal {n}",
            parties=[(party, "investor")],
            announced_on=datetime.date(2024, 1 + n, 1),
            published_at=timezone.now() - datetime.timedelta(days=10 - n),
        )
    html = client.get("/parties/busy-fund/").content.decode()
    assert "The latest 3 of 5 deals." in html
    table = html.split("<table>")[1].split("</table>")[0]
    assert [f"Busy deal {n}" in table for n in range(5)] == [False, False, True, True, True]
