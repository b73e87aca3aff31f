"""The deals resource: what a reader gets, who sees which deal, filters, ordering and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_brief, make_party, make_source
from tests.response_caches import forget_cached_responses

from .conftest import make_user, token_client
from .deal_builders import about, amount, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_deal(db):
    """A Series B led by one fund, in euros, with two tranches, an official and a reported figure."""
    fund, other, startup = make_party(slug="fund", name="Fund"), make_party(slug="other"), make_party(slug="startup")
    ft = make_source(key="ft", publisher="Financial Times")
    deal = make_deal(
        slug="startup-series-b",
        name="Startup's Series B",
        deal_type="funding_round",
        series="series_b",
        series_qualifier="extension",
        status="completed",
        announced_on=datetime.date(2024, 3, 4),
        announced_precision="month",
        closed_on=datetime.date(2024, 5, 6),
        currency="EUR",
        participants=[
            (fund, "investor", {"is_lead": True, "amount": Decimal("30000000.00"), "currency": "EUR"}),
            (other, "investor", {}),
            (startup, "target", {}),
        ],
        stages=[
            {"occurred_on": datetime.date(2024, 3, 4), "description": "first close", "status": "announced"},
            {
                "occurred_on": datetime.date(2024, 5, 6),
                "description": "second close",
                "status": "completed",
                "amount": Decimal("20000000.00"),
                "currency": "EUR",
            },
        ],
        figures=[
            amount("50000000", "EUR", source=ft, as_of=datetime.date(2024, 3, 4)),
            amount("60000000", "EUR", basis="reported", reported_by="Bloomberg"),
            {"kind": "stake", "percent": Decimal("12.50"), "stage": 1},
        ],
    )
    brief = make_brief(slug="series-b-brief", title="Startup raises")
    about(brief, deal, stages=[deal.stages.get(position=1)])
    return deal


def test_deal_detail_carries_everything_a_reader_sees(client, round_deal):
    response = client.get("/api/v1/deals/startup-series-b/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["type"], data["series"], data["series_qualifier"]) == ("funding_round", "series_b", "extension")
    assert (data["status"], data["announced_on"], data["announced_precision"]) == ("completed", "2024-03-04", "month")
    assert (data["closed_on"], data["ended_on"]) == ("2024-05-06", None)
    lead, silent, target = data["participants"]
    assert (lead["party"]["slug"], lead["role"], lead["is_lead"]) == ("fund", "investor", True)
    assert (lead["amount"], lead["currency"]) == ("30000000.00", "EUR")
    assert Decimal(lead["usd"]["amount"]) == (Decimal("30000000") * Decimal(lead["usd"]["rate"])).quantize(
        Decimal("0.01")
    )
    assert lead["usd"]["rate_on"] == "2024-03-04" and lead["usd"]["unavailable"] is None
    assert silent["amount"] is None and silent["usd"] is None  # unknown: null, never 0
    assert target["role"] == "target" and target["is_lead"] is False
    assert [s["description"] for s in data["stages"]] == ["first close", "second close"]
    assert data["stages"][1]["amount"] == "20000000.00" and data["stages"][1]["usd"]["rate_on"] == "2024-05-06"
    official, reported, stake = data["figures"]
    assert (official["kind"], official["basis"], official["amount"]) == ("amount", "official", "50000000.00")
    assert official["source"]["key"] == "ft" and official["source"]["api_url"].endswith("/api/v1/sources/ft/")
    assert official["as_of"] == "2024-03-04" and official["reporter"] == "Financial Times"
    assert (reported["basis"], reported["reported_by"], reported["source"]) == ("reported", "Bloomberg", None)
    assert (stake["kind"], stake["percent"], stake["amount"], stake["usd"], stake["stage"]) == (
        "stake",
        "12.50",
        None,
        None,
        1,
    )
    size = data["size"]
    assert (size["kind"], size["amount"], size["currency"]) == ("amount", "50000000.00", "EUR")
    assert size["summary"] == "€50 million"
    assert Decimal(size["amount_usd"]) == (Decimal("50000000") * Decimal(size["usd_rate"])).quantize(Decimal("0.01"))
    assert size["usd_rate_on"] == "2024-03-04"
    assert Decimal(size["reported_usd"]) > Decimal(size["amount_usd"])  # the larger reported figure
    assert [(b["slug"], b["stage"]) for b in data["briefs"]] == [
        ("series-b-brief", round_deal.stages.get(position=1).pk)
    ]
    assert data["api_url"] == "http://127.0.0.1:8000/api/v1/deals/startup-series-b/"
    assert data["page_url"].endswith("/deals/startup-series-b/")


def test_an_amount_without_an_ecb_rate_says_why(client):
    deal = make_deal(slug="dirham", figures=[amount("1000000", "AED")])
    about(make_brief(), deal)
    figure = client.get("/api/v1/deals/dirham/").json()["figures"][0]
    assert figure["amount"] == "1000000.00" and figure["currency"] == "AED"
    assert figure["usd"]["amount"] is None and figure["usd"]["rate"] is None
    assert "AED" in figure["usd"]["unavailable"]


def test_an_undisclosed_deal_has_no_size_figures(client):
    deal = make_deal(slug="quiet", amount_disclosure="undisclosed")
    about(make_brief(), deal)
    size = client.get("/api/v1/deals/quiet/").json()["size"]
    assert size == {
        "summary": "Undisclosed",
        "kind": None,
        "amount": None,
        "currency": "",
        "amount_usd": None,
        "usd_rate": None,
        "usd_rate_on": None,
        "reported_usd": None,
    }


# Visibility ---------------------------------------------------------------------------------------


@pytest.fixture
def rumour(db):
    """A rumoured deal whose only brief is a draft, beside a public deal with a published brief."""
    secret = make_deal(slug="secret-rumour", status="rumoured", rumoured_on=datetime.date(2024, 2, 1))
    about(make_brief(slug="draft-about-rumour", published=False), secret)
    public = make_deal(slug="public-deal")
    published = make_brief(slug="published-brief")
    about(published, public)
    return secret


@pytest.mark.parametrize("who", ["anonymous", "reader", "staff-without-view-permission"])
def test_a_rumour_with_a_draft_brief_is_invisible(client, rumour, who):
    if who == "reader":
        client = token_client(make_user("reader"))
    elif who == "staff-without-view-permission":
        client = token_client(make_user("writer", "briefs.view_brief", staff=True))
    assert [d["slug"] for d in client.get("/api/v1/deals/").json()["results"]] == ["public-deal"]
    assert client.get("/api/v1/deals/secret-rumour/").status_code == 404
    embedded = [d["slug"] for b in client.get("/api/v1/briefs/").json()["results"] for d in b["deals"]]
    assert embedded == ["public-deal"]
    draft = client.get("/api/v1/briefs/draft-about-rumour/")
    if who == "staff-without-view-permission":  # may read drafts, not the deals only drafts are about
        assert draft.json()["deals"] == []
    else:
        assert draft.status_code == 404


def test_staff_with_view_permission_see_every_deal_and_its_draft_briefs(rumour):
    staff = token_client(make_user("desk", "briefs.view_deal", "briefs.view_brief", staff=True))
    assert {d["slug"] for d in staff.get("/api/v1/deals/").json()["results"]} == {"secret-rumour", "public-deal"}
    data = staff.get("/api/v1/deals/secret-rumour/").json()
    assert [b["slug"] for b in data["briefs"]] == ["draft-about-rumour"]


def test_a_public_deal_lists_only_published_briefs_to_readers(client, rumour):
    public = rumour.__class__.objects.get(slug="public-deal")
    about(make_brief(slug="draft-follow-up", published=False), public)
    assert [b["slug"] for b in client.get("/api/v1/deals/public-deal/").json()["briefs"]] == ["published-brief"]


# Filters and ordering ------------------------------------------------------------------------------


@pytest.fixture
def market(db):
    """Four public deals: sizes in USD, EUR and GBP (their order in USD differs from the raw numbers)
    and one of unknown size."""
    acme, globex, initech = make_party(slug="acme"), make_party(slug="globex"), make_party(slug="initech")
    deals = [
        make_deal(
            slug="usd-90m",
            name="Bravo",
            deal_type="acquisition",
            announced_on=datetime.date(2023, 1, 10),
            participants=[(acme, "acquirer", {}), (globex, "target", {})],
            figures=[amount("90000000")],
        ),
        make_deal(
            slug="eur-100m",
            name="Alpha",
            deal_type="funding_round",
            series="series_a",
            announced_on=datetime.date(2024, 6, 3),
            participants=[(globex, "investor", {"is_lead": True}), (acme, "investor", {}), (initech, "target", {})],
            figures=[amount("100000000", "EUR")],
        ),
        make_deal(
            slug="gbp-95m",
            name="Delta",
            deal_type="funding_round",
            series="series_b",
            status="rumoured",
            announced_on=datetime.date(2024, 9, 2),
            participants=[(acme, "investor", {"is_lead": True}), (globex, "investor", {})],
            figures=[amount("95000000", "GBP")],
        ),
        make_deal(
            slug="unknown-size",
            name="Charlie",
            deal_type="partnership",
            announced_on=None,
            amount_disclosure="undisclosed",
            participants=[(initech, "partner", {})],
        ),
    ]
    for deal in deals:
        about(make_brief(), deal)
    return deals


def deal_slugs(client, query):
    response = client.get(f"/api/v1/deals/?{query}")
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_usd_sizes_order_across_currencies(market):
    from briefs.models import Deal

    usd = dict(Deal.objects.values_list("slug", "headline_usd"))
    assert usd["usd-90m"] < usd["eur-100m"] < usd["gbp-95m"] and usd["unknown-size"] is None


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=rumoured", {"gbp-95m"}),
        ("series=series_a", {"eur-100m"}),
        ("deal_type=funding_round", {"eur-100m", "gbp-95m"}),
        ("party=acme", {"usd-90m", "eur-100m", "gbp-95m"}),
        ("role=target", {"usd-90m", "eur-100m"}),
        ("party=acme&role=investor", {"eur-100m", "gbp-95m"}),
        ("party=globex&role=target", {"usd-90m"}),
        ("lead=acme", {"gbp-95m"}),
        ("lead=initech", set()),
        ("amount_usd_min=100000000", {"eur-100m", "gbp-95m"}),
        ("amount_usd_max=100000000", {"usd-90m"}),
        ("amount_usd_min=95000000&amount_usd_max=115000000", {"eur-100m"}),
        ("announced_after=2024-01-01", {"eur-100m", "gbp-95m"}),
        ("announced_before=2024-01-01", {"usd-90m"}),
    ],
)
def test_deal_filters(client, market, query, expected):
    assert set(deal_slugs(client, query)) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["gbp-95m", "eur-100m", "usd-90m", "unknown-size"]),
        ("ordering=headline_usd", ["usd-90m", "eur-100m", "gbp-95m", "unknown-size"]),
        ("ordering=-headline_usd", ["gbp-95m", "eur-100m", "usd-90m", "unknown-size"]),
        ("ordering=-headline_usd&amount_usd_min=95000000", ["gbp-95m", "eur-100m"]),
        ("ordering=announced_on", ["usd-90m", "eur-100m", "gbp-95m", "unknown-size"]),
        ("ordering=name", ["eur-100m", "usd-90m", "unknown-size", "gbp-95m"]),
        ("ordering=-name", ["gbp-95m", "unknown-size", "usd-90m", "eur-100m"]),
    ],
)
def test_deal_ordering_is_by_usd_with_unknown_sizes_last(client, market, query, expected):
    assert deal_slugs(client, query) == expected


def test_pages_are_stable_when_the_order_ties(client, market):
    from briefs.models import Deal

    Deal.objects.update(announced_on=datetime.date(2024, 1, 1))
    forget_cached_responses()
    pages = [deal_slugs(client, f"ordering=announced_on&page_size=1&page={n}") for n in (1, 2, 3, 4)]
    assert sorted(slug for page in pages for slug in page) == sorted(d.slug for d in market)


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=imagined", "status"),
        ("series=series_z", "series"),
        ("deal_type=nonsense", "deal_type"),
        ("role=king", "role"),
        ("amount_usd_min=lots", "amount_usd_min"),
        ("announced_after=yesterday", "announced_after"),
    ],
)
def test_invalid_deal_filter_values_are_400_naming_the_parameter(client, market, query, field):
    response = client.get(f"/api/v1/deals/?{query}")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


# Briefs embed their deals ------------------------------------------------------------------------------


def test_briefs_embed_their_deals_with_the_stage_they_report(client, round_deal):
    second = round_deal.stages.get(position=1)
    for url in ("/api/v1/briefs/", "/api/v1/briefs/series-b-brief/"):
        data = client.get(url).json()
        brief = data["results"][0] if "results" in data else data
        assert "deal" not in brief
        (deal,) = brief["deals"]
        assert (deal["slug"], deal["name"], deal["type"], deal["status"]) == (
            "startup-series-b",
            "Startup's Series B",
            "funding_round",
            "completed",
        )
        assert deal["size"]["summary"] == "€50 million" and deal["size"]["amount"] == "50000000.00"
        assert deal["size"]["amount_usd"] is not None
        assert deal["stage"] == {"id": second.pk, "position": 1, "line": "May 2024 completed: second close"}
        assert deal["api_url"] == "http://127.0.0.1:8000/api/v1/deals/startup-series-b/"


@pytest.fixture
def briefs_with_deals(db):
    dollars = make_deal(slug="dollars", deal_type="investment", announced_on=datetime.date(2024, 5, 1))
    dollars = make_deal(slug="dollars-2", figures=[amount("90000000")], announced_on=datetime.date(2023, 5, 1))
    euros = make_deal(
        slug="euros",
        deal_type="acquisition",
        figures=[amount("100000000", "EUR")],
        announced_on=datetime.date(2024, 7, 1),
    )
    about(make_brief(slug="on-dollars", title="A"), dollars)
    about(make_brief(slug="on-euros", title="B"), euros)
    about(make_brief(slug="on-both", title="C"), dollars, euros)
    make_brief(slug="on-nothing", title="D")


def brief_slugs(client, query):
    response = client.get(f"/api/v1/briefs/?{query}")
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("amount_min=95000000", {"on-euros", "on-both"}),
        ("amount_max=95000000", {"on-dollars", "on-both"}),
        ("amount_min=95000000&deal_type=investment", set()),
        ("deal_type=acquisition", {"on-euros", "on-both"}),
        ("announced_before=2024-01-01", {"on-dollars", "on-both"}),
        ("announced_after=2024-06-01&amount_max=95000000", set()),
    ],
)
def test_brief_deal_filters_apply_to_one_deal_in_usd(client, briefs_with_deals, query, expected):
    assert set(brief_slugs(client, query)) == expected


def test_briefs_sort_by_their_first_deals_usd_size(client, briefs_with_deals):
    # on-both's first deal is the dollar one: it ties with on-dollars, the newer brief first.
    assert brief_slugs(client, "ordering=-amount") == ["on-euros", "on-both", "on-dollars", "on-nothing"]


# Query counts -------------------------------------------------------------------------------------------


def build_deal(n, slug):
    """A public deal with n participants, n stages, n sourced figures and n briefs (each reporting a
    stage); the last brief is also about n - 1 other deals."""
    parties = [make_party() for _ in range(n)]
    sources = [make_source() for _ in range(n)]
    deal = make_deal(
        slug=slug,
        participants=[(party, "investor", {"amount": Decimal("1.00"), "currency": "EUR"}) for party in parties],
        stages=[{"description": f"stage {i}", "occurred_on": datetime.date(2024, 1, 2)} for i in range(n)],
        figures=[amount("5000000", "EUR", source=s, basis="reported", stage=i) for i, s in enumerate(sources)],
    )
    stages = list(deal.stages.all())
    briefs = [about(make_brief(slug=f"{slug}-brief-{i}"), deal, stages=[stages[i]]) for i in range(n)]
    others = [make_deal(figures=[amount("7", "GBP")]) for _ in range(n - 1)]
    about(briefs[-1], deal, *others, stages=[stages[-1]] + [None] * len(others))
    return deal


def queries_for(api, url):
    forget_cached_responses()  # measure the real work, not the response cache
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/deals/?page_size=100",
        "/api/v1/deals/{slug}/",
        "/api/v1/briefs/?page_size=100",
        "/api/v1/briefs/{slug}-brief-0/",
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_reads_make_the_same_queries_at_1_and_30_participants_stages_and_briefs(
    client, url, who, django_assert_max_num_queries
):
    if who == "staff":
        client = token_client(make_user("desk", "briefs.view_deal", "briefs.view_brief", staff=True))
    build_deal(1, "small")
    one = queries_for(client, url.format(slug="small"))
    build_deal(30, "large")
    forget_cached_responses()
    with django_assert_max_num_queries(one):
        response = client.get(url.format(slug="large"))
    assert response.status_code == 200
    data = response.json()
    if "/deals/" in url and "results" not in data:
        assert len(data["participants"]) == len(data["stages"]) == len(data["figures"]) == len(data["briefs"]) == 30
    if "-brief-0" in url:
        assert len(data["deals"]) == 1
