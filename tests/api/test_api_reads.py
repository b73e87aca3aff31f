"""Every read endpoint, and the visibility rule on each: drafts never reach the public."""

import datetime

import pytest
from django.utils import timezone

from briefs.demo import content as demo_content
from tests.factories import make_brief, make_party, make_quote, make_source

from .conftest import make_user, token_client
from .deal_builders import about, amount, make_deal

pytestmark = pytest.mark.django_db
DEMO = "amazon-invests-up-to-4-billion-in-anthropic"


def test_brief_list_items_carry_their_deals_and_parties(client, demo_brief):
    from briefs.deal_wording import describe_size

    deal = demo_brief.deal_link.deal
    data = client.get("/api/v1/briefs/").json()
    assert len(data["results"]) == len(demo_content.BRIEFS)
    (item,) = [result for result in data["results"] if result["slug"] == DEMO]
    assert "deal" not in item
    (embedded,) = item["deals"]
    assert (embedded["slug"], embedded["name"], embedded["type"], embedded["status"]) == (
        "amazon-anthropic",
        "Amazon’s investment in Anthropic",
        "investment",
        deal.status,
    )
    assert embedded["size"]["summary"] == describe_size(deal)
    assert (embedded["size"]["amount"], embedded["size"]["amount_usd"]) == ("4000000000.00", "4000000000.00")
    assert embedded["stage"] is not None  # the announcement reports the deal's first stage
    assert embedded["api_url"] == "http://127.0.0.1:8000/api/v1/deals/amazon-anthropic/"
    roles = {(p["party"]["slug"], p["role"]) for p in item["parties"]}
    assert ("amazon", "investor") in roles and ("anthropic", "target") in roles
    assert item["page_url"] == f"http://127.0.0.1:8000/briefs/{DEMO}/"
    assert item["api_url"] == f"http://127.0.0.1:8000/api/v1/briefs/{DEMO}/"


def test_brief_detail_carries_everything_a_reader_sees(client, demo_brief):
    response = client.get(f"/api/v1/briefs/{DEMO}/")
    assert response.status_code == 200
    data = response.json()
    assert data["body"].startswith("[Amazon](party:amazon)")
    assert "<" in data["body_html"] and data["body_text"].startswith("Amazon has agreed")
    assert [s["number"] for s in data["sources"]] == sorted(s["number"] for s in data["sources"])
    assert data["sources"][0]["source"]["key"] == "techcrunch-2023-09-25"
    jassy = next(q for q in data["quotes"] if q["key"] == "jassy-bedrock")
    assert jassy["speaker"]["slug"] == "andy-jassy" and jassy["source"]["key"] == "techcrunch-2023-09-25"
    assert data["notes"][0]["key"] == "claude-next"
    kinds = {a["kind"] for a in data["annotations"]}
    assert kinds == {"party", "source", "quote", "note"}
    first = data["annotations"][0]
    assert data["body_text"][first["start"] : first["end"]] == first["exact"]
    assert first["w3c_url"].endswith(f"/annotations/{first['id']}/")
    for field in ("published_at", "created_at", "updated_at", "rendered_at", "page_url", "annotations_url"):
        assert data[field]


def test_amounts_are_honest_when_undisclosed(client):
    deal = make_deal(
        slug="quiet-deal",
        amount_disclosure="undisclosed",
        figures=[amount("10000000000", basis="reported", reported_by="Bloomberg")],
    )
    about(make_brief(slug="quiet"), deal)
    size = client.get("/api/v1/briefs/quiet/").json()["deals"][0]["size"]
    assert size["summary"] == "Undisclosed (reported: $10 billion, by Bloomberg)"
    assert size["amount"] is None and size["amount_usd"] is None  # no official size: null, never 0
    assert size["reported_usd"] == "10000000000.00"


def test_party_detail_lists_briefs_with_roles_and_quotes(client, demo_brief):
    data = client.get("/api/v1/parties/andy-jassy/").json()
    assert data["briefs"] == [
        {
            "slug": DEMO,
            "title": demo_brief.title,
            "api_url": f"http://127.0.0.1:8000/api/v1/briefs/{DEMO}/",
            "published_at": "2023-09-25T14:00:00Z",
            "roles": ["mentioned"],
        }
    ]
    assert {q["key"] for q in data["quotes"]} == {"jassy-collaboration", "jassy-bedrock"}
    assert data["affiliation"]["slug"] == "amazon"
    aws = client.get("/api/v1/parties/aws/").json()
    assert aws["parent"]["slug"] == "amazon" and aws["aliases"] == ["AWS"]


def test_party_list_filters_by_kind_and_name(client, demo_brief):
    people = client.get("/api/v1/parties/?kind=person").json()["results"]
    assert {p["slug"] for p in people} == {slug for slug, _, kind, _ in demo_content.PARTIES if kind == "person"}
    assert [p["slug"] for p in client.get("/api/v1/parties/?name=anthro").json()["results"]] == ["anthropic"]


def test_sources_and_quotes(client, demo_brief):
    sources = client.get("/api/v1/sources/").json()
    assert sources["count"] == len(demo_content.SOURCES)
    detail = client.get("/api/v1/sources/techcrunch-2023-09-25/").json()
    assert DEMO in {brief["slug"] for brief in detail["briefs"]} and detail["publisher"] == "TechCrunch"
    quotes = client.get("/api/v1/quotes/").json()
    assert quotes["count"] == len(demo_content.QUOTES)
    quote = client.get("/api/v1/quotes/jassy-bedrock/").json()
    assert quote["speaker"]["name"] == "Andy Jassy" and quote["text"].startswith("Customers are quite excited")


def test_search_endpoint_contract(client, demo_brief):
    data = client.get("/api/v1/search/?q=Jassy").json()
    assert data["total"] == 1 and data["results"][0]["slug"] == DEMO
    assert set(data) == {
        "query",
        "total",
        "total_is_estimate",
        "page",
        "page_size",
        "results",
        "facets",
        "suggestion",
        "message",
        "ranked",
        "older",
    }
    empty = client.get("/api/v1/search/?q=").json()
    assert empty["total"] == 0 and empty["message"]
    hostile = client.get("/api/v1/search/", {"q": '"unbalanced AND OR NEAR( * ' + "x" * 10000})
    assert hostile.status_code == 200
    assert client.get("/api/v1/search/?sort=sideways").status_code == 400


def test_search_endpoint_uses_the_site_search_engine(client, demo_brief, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # 5, and 3 for the deals each result embeds
        data = client.get("/api/v1/search/", {"q": "investing anthropic", "deal_type": "investment"}).json()
    found = [r["slug"] for r in data["results"]]
    assert DEMO in found and "anthropic-raises-450-million-series-c" not in found  # a funding round, not an investment
    assert "<mark>" in data["results"][0]["snippet"]  # stemming: "investing" matched "invest"
    assert {f["value"] for f in data["facets"]["party"]} >= {"amazon", "anthropic"}
    assert data["results"][0]["parties"]
    assert client.get("/api/v1/search/", {"q": "Antropic"}).json()["suggestion"] == "Anthropic"


@pytest.fixture
def secrets_world(db):
    """A published brief and a draft; the draft links a party, source and quote used nowhere else."""
    public = make_brief(slug="public-deal")
    secret_party = make_party(slug="stealth-co", name="Stealth Co")
    secret_source = make_source(key="leaked-memo")
    secret_quote = make_quote(key="secret-words", speaker=secret_party, source=secret_source)
    draft = make_brief(
        "[Stealth Co](party:stealth-co) [memo](source:leaked-memo) [words](quote:secret-words)",
        slug="draft-deal",
        published=False,
        parties=[(secret_party, "target")],
        sources=[secret_source],
        quotes=[secret_quote],
    )
    scheduled = make_brief(
        slug="future-deal", status="scheduled", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    return public, draft, scheduled


DRAFT_URLS = [
    "/api/v1/briefs/draft-deal/",
    "/api/v1/briefs/future-deal/",
    "/api/v1/briefs/draft-deal/annotations/",
    "/api/v1/briefs/draft-deal/annotations/pages/1/",
    "/api/v1/parties/stealth-co/",
    "/api/v1/sources/leaked-memo/",
    "/api/v1/quotes/secret-words/",
]
LIST_URLS = [
    "/api/v1/briefs/",
    "/api/v1/briefs/?status=draft",
    "/api/v1/briefs/sync/",
    "/api/v1/parties/",
    "/api/v1/sources/",
    "/api/v1/quotes/",
    "/api/v1/search/?q=deal",
    "/api/v1/search/?q=Brief",
]


def _leaks(api, secrets_world):
    _, draft, _ = secrets_world
    annotation_id = draft.annotations.first().pk
    urls = [*DRAFT_URLS, f"/api/v1/briefs/draft-deal/annotations/{annotation_id}/"]
    leaks = [url for url in urls if api.get(url).status_code != 404]
    for url in LIST_URLS:
        text = api.get(url).content.decode()
        leaks += [
            f"{url}: {word}"
            for word in ("draft-deal", "future-deal", "stealth-co", "leaked-memo", "secret-words")
            if word in text
        ]
    return leaks


def test_drafts_are_invisible_to_anonymous_users_on_every_endpoint(client, secrets_world):
    assert _leaks(client, secrets_world) == []
    assert client.get("/api/v1/briefs/public-deal/").status_code == 200


def test_drafts_are_invisible_to_token_users_without_the_permission(secrets_world):
    plain = token_client(make_user("plain"))
    assert _leaks(plain, secrets_world) == []
    # Model permissions without staff status do not widen visibility either.
    non_staff_editor = token_client(make_user("nse", "briefs.view_brief", "briefs.change_brief"))
    assert _leaks(non_staff_editor, secrets_world) == []


def test_staff_with_view_permission_see_drafts_and_can_filter_by_status(secrets_world, editor):
    api = token_client(editor)
    assert api.get("/api/v1/briefs/draft-deal/").status_code == 200
    slugs = [b["slug"] for b in api.get("/api/v1/briefs/?status=draft").json()["results"]]
    assert slugs == ["draft-deal"]
    assert api.get("/api/v1/briefs/draft-deal/annotations/").status_code == 200


def test_scheduled_brief_appears_once_its_time_comes_without_any_write(client, secrets_world, monkeypatch):
    assert client.get("/api/v1/briefs/future-deal/").status_code == 404
    assert "future-deal" not in client.get("/api/v1/briefs/").content.decode()
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)  # no write: the response cache must still notice
    assert client.get("/api/v1/briefs/future-deal/").status_code == 200
    assert "future-deal" in client.get("/api/v1/briefs/").content.decode()
