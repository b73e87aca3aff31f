"""The deals table (/deals/) and its exports read the API's deal filters: the same parameters give
exactly the API's deals in the API's order, on the page, in the CSV and in the JSON; a deal whose
only brief is a draft is in none of them; the page costs the same number of queries at 1 and 30
deals; exports and filtered tables are throttled like search."""

import csv
import datetime
import io
import json
import re

import pytest
from django.conf import settings

from tests.deal_builders import brief_about, deal_with
from tests.deal_market import D, build_market
from tests.factories import make_party

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals():
    return build_market()


PARAMS = [
    {},
    {"deal_type": "funding_round"},
    {"series": "series_b"},
    {"status": "completed"},
    {"party": "acme"},
    {"party": "acme", "role": "investor"},
    {"role": "acquirer"},
    {"lead": "beta"},
    {"currency": "EUR"},
    {"year": "2023"},
    {"announced_after": "2023-01-01", "announced_before": "2023-12-31"},
    {"amount_usd_min": "10000000", "amount_usd_max": "100000000"},
    {"ordering": "announced_on"},
    {"ordering": "-headline_usd"},
    {"ordering": "headline_usd"},
    {"ordering": "target"},
    {"ordering": "-target"},
    {"ordering": "lead"},
    {"ordering": "-lead"},
    {"party": "acme", "ordering": "-headline_usd"},
]


def api_slugs(client, params):
    response = client.get("/api/v1/deals/", {**params, "page_size": 100})
    assert response.status_code == 200, response.content
    return [deal["slug"] for deal in response.json()["results"]]


def table_slugs(client, params):
    response = client.get("/deals/", params)
    assert response.status_code == 200
    return re.findall(r'<tr data-deal="([^"]+)"', response.content.decode())


def csv_rows(client, params):
    response = client.get("/deals/export.csv", params)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def json_records(client, params):
    response = client.get("/deals/export.json", params)
    assert response.status_code == 200 and response.streaming
    return json.loads(b"".join(response.streaming_content).decode("utf-8"))


@pytest.mark.parametrize("params", PARAMS, ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()) or "all")
def test_table_and_exports_give_exactly_the_apis_deals_for_the_same_parameters(client, deals, params):
    expected = api_slugs(client, params)
    assert expected, "every parameter set here matches some deal"
    assert table_slugs(client, params) == expected
    assert [row["slug"] for row in csv_rows(client, params)] == expected
    assert [record["slug"] for record in json_records(client, params)] == expected


def test_the_filters_and_sorts_each_change_the_result(client, deals):
    everything = api_slugs(client, {})
    assert len(everything) == 6
    for params in PARAMS[1:]:
        assert table_slugs(client, params) != everything, params
    assert table_slugs(client, {"ordering": "target"})[:2] == ["quiet", "buyout"]  # Xeno Bio twice: newest id first
    assert table_slugs(client, {"ordering": "lead"})[:2] == ["round-a", "round-b"]  # Acme, then Beta; no lead last


def test_table_pages_are_the_apis_pages(client, deals):
    for page in (1, 2):
        api = client.get("/api/v1/deals/", {"page_size": 4, "page": page, "ordering": "-headline_usd"}).json()
        table = table_slugs(client, {"page_size": 4, "page": page, "ordering": "-headline_usd"})
        assert table == [deal["slug"] for deal in api["results"]]
    assert client.get("/deals/", {"page_size": 4, "page": 3}).status_code == 404


def test_bad_parameters_are_refused_with_the_reason_like_the_api(client, deals):
    for params in ({"year": "twenty"}, {"year": "1066"}, {"currency": "ZZZ"}, {"ordering": "body"}):
        assert client.get("/api/v1/deals/", params).status_code == 400
        response = client.get("/deals/", params)
        assert response.status_code == 400
        assert "could not be used" in response.content.decode()
        assert client.get("/deals/export.csv", params).status_code == 400


def test_a_deal_whose_only_brief_is_a_draft_is_in_neither_table_nor_export(client, deals):
    for params in ({}, {"party": "shh"}, {"party": "bigco"}, {"status": "rumoured"}, {"year": "2024"}):
        page = client.get("/deals/", params).content.decode()
        assert "Secret" not in page and "secret-" not in page
        assert deals["hidden"].slug not in [row["slug"] for row in csv_rows(client, params)]
        assert deals["hidden"].slug not in [record["slug"] for record in json_records(client, params)]


def test_a_row_shows_date_parties_by_role_with_the_lead_type_status_amounts_and_briefs(client, deals):
    html = client.get("/deals/", {"series": "series_b"}).content.decode()
    row = html[html.index('<tr data-deal="round-b"') :]
    row = row[: row.index("</tr>")]
    text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    assert '<time datetime="2023-06-01">1 Jun 2023</time>' in row
    assert "Funding round, Series B" in text
    assert "Yoyo AI" in text and "Investors Beta Ventures lead , Acme Capital" in text
    assert "€80 million" in text
    usd = deals["made"]["round-b"].headline_usd
    assert usd is not None and f"${usd / 1_000_000:.2f}".rstrip("0").rstrip(".") in text
    assert "Announced" in text and "Deal brief" in text


def test_exports_give_plain_decimals_currencies_usd_and_iso_dates(client, deals):
    rows = {row["slug"]: row for row in csv_rows(client, {})}
    round_b = deals["made"]["round-b"]
    assert rows["round-b"]["amount"] == "80000000.00" and rows["round-b"]["currency"] == "EUR"
    assert rows["round-b"]["amount_usd"] == f"{round_b.headline_usd:f}"
    assert rows["round-b"]["date"] == "2023-06-01" and rows["round-b"]["usd_rate_on"] == "2023-06-01"
    assert rows["round-b"]["lead_investors"] == "Beta Ventures"
    assert rows["round-b"]["investors"] == "Beta Ventures; Acme Capital"
    assert rows["rumour"]["date"] == "2024-07-01" and rows["rumour"]["amount"] == ""
    assert rows["quiet"]["amount_disclosure"] == "undisclosed" and rows["quiet"]["amount_usd"] == ""
    record = next(r for r in json_records(client, {}) if r["slug"] == "round-b")
    assert record["amount"] == "80000000.00" and record["currency"] == "EUR"
    assert {"party": "beta", "name": "Beta Ventures", "role": "investor", "is_lead": True} in record["participants"]
    assert record["briefs"][0]["url"].startswith(f"{settings.SITE_URL}/briefs/")


def test_csv_cells_never_start_a_formula(client):
    evil = make_party(name='=HYPERLINK("http://x")', slug="evil")
    deal = deal_with(name="+1 deal", participants=[(evil, "target")], amount="1000")
    brief_about(deal)
    row = csv_rows(client, {})[0]
    assert row["name"] == "'+1 deal" and row["targets"] == '\'=HYPERLINK("http://x")'


def test_the_table_works_without_javascript_forms_and_links_only(client, deals):
    html = client.get("/deals/", {"party": "acme"}).content.decode()
    assert '<form class="deal-filters" method="get" action="/deals/"' in html
    assert 'href="/deals/export.csv?party=acme"' in html and 'href="/deals/export.json?party=acme"' in html
    assert 'aria-sort="descending"><a href="?party=acme&amp;ordering=announced_on">Date</a>' in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]
    assert ' style="' not in html


def _many_deals(count, investor, co_investor):
    made = []
    for n in range(count):
        target = make_party(name=f"Target {n}", slug=f"target-{count}-{n}")
        made.append(
            deal_with(
                announced_on=D(2020, 1, 1) + datetime.timedelta(days=n),
                amount="1000000",
                participants=[(investor, "investor", {"is_lead": True}), (co_investor, "investor"), (target, "target")],
            )
        )
    brief_about(*made)
    brief_about(*made[: count // 2 + 1])  # some deals have two briefs
    return made


@pytest.mark.parametrize("count", [1, 30])
def test_table_league_and_party_pages_cost_the_same_queries_at_1_and_30_deals(
    client, count, django_assert_max_num_queries
):
    investor, co_investor = make_party(name="Lead Fund", slug="lead-fund"), make_party(name="Co Fund", slug="co-fund")
    _many_deals(count, investor, co_investor)
    for url, queries in (
        ("/deals/?ordering=lead", 8),
        ("/deals/export.csv", 7),
        ("/deals/league/", 8),
        ("/parties/lead-fund/", 20),
    ):
        with django_assert_max_num_queries(queries):
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
    party_page = client.get("/parties/lead-fund/").content.decode()
    assert "Co Fund" in party_page and f'<td class="num">{count}</td>' in party_page


def test_exports_and_filtered_tables_are_throttled_like_search(client, deals, settings, time_machine):
    settings.PAGE_THROTTLE_RATE = "3/min"
    time_machine.move_to(1_800_000_030.0, tick=False)
    for _ in range(5):
        assert client.get("/deals/").status_code == 200  # the plain table is cached, never counted
    codes = [client.get("/deals/export.csv").status_code for _ in range(3)]
    codes.append(client.get("/deals/", {"year": "2023"}).status_code)
    assert codes == [200, 200, 200, 429]


def test_the_tables_form_with_fields_left_blank_filters_like_those_fields_left_out(client, deals):
    blank = {name: "" for name in ("deal_type", "series", "status", "party", "role", "lead", "currency", "year")}
    filled = table_slugs(client, {**blank, "party": "acme"})
    assert filled == table_slugs(client, {"party": "acme"}) and filled
    assert table_slugs(client, blank) == table_slugs(client, {})
    assert client.get("/api/v1/deals/", {"series": ""}).status_code == 400  # the API refuses what it would ignore
