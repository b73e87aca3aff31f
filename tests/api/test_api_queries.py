"""List endpoints make a constant number of SQL queries for 1 or 50 briefs: at most 5, and 3 more
where the items embed their deals (links, stages, figures)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_brief, make_party, make_quote, make_source
from tests.response_caches import forget_cached_responses

from .conftest import make_user, token_client
from .deal_builders import about, amount, make_deal

pytestmark = pytest.mark.django_db
LIMIT = 5
EMBEDS_DEALS = ("/api/v1/briefs/", "/api/v1/search/")
LISTS = [
    "/api/v1/briefs/?page_size=50",
    "/api/v1/briefs/sync/",
    "/api/v1/parties/?page_size=50",
    "/api/v1/sources/?page_size=50",
    "/api/v1/quotes/?page_size=50",
    "/api/v1/search/?q=Brief&page_size=50",
]


def build(n):
    for i in range(n):
        investor, target = make_party(), make_party()
        source = make_source()
        quote = make_quote(speaker=investor, source=source)
        brief = make_brief(
            f"[{investor.name}](party:{investor.slug}) backs [{target.name}](party:{target.slug}) "
            f"[per](source:{source.key}) [words](quote:{quote.key})",
            title=f"Brief {i}",
            parties=[(investor, "investor"), (target, "target")],
            sources=[source],
            quotes=[quote],
        )
        deal = make_deal(
            participants=[(investor, "investor", {}), (target, "target", {})],
            stages=[{"description": "signed"}],
            figures=[amount("5000000", "EUR", source=source, stage=0)],
        )
        about(brief, deal, stages=[deal.stages.get()])


def limit(url):
    return LIMIT + 3 if url.startswith(EMBEDS_DEALS) else LIMIT


def count_queries(api, url):
    forget_cached_responses()  # measure the real work, not the response cache
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("n", [1, 50])
def test_list_queries_are_constant_anonymous(client, url, n):
    build(n)
    count, response = count_queries(client, url)
    assert count <= limit(url), (url, n, count)
    body = response.json()
    assert len(body["results"]) == (n if "parties" not in url else min(2 * n, 50))


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow_with_briefs_for_token_users(url):
    api = token_client(make_user("counter"))
    build(1)
    one, _ = count_queries(api, url)
    build(49)
    fifty, _ = count_queries(api, url)
    assert one == fifty <= limit(url), (url, one, fifty)


@pytest.mark.django_db(transaction=True)  # autocommit, as in production: a read's entry is stored when it commits
def test_a_cached_read_is_one_query(client):
    build(3)
    client.get("/api/v1/briefs/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/briefs/").status_code == 200
    assert len(queries) == 1


def test_detail_queries_do_not_grow_with_links(client):
    build(1)
    slug = client.get("/api/v1/briefs/").json()["results"][0]["slug"]
    small, _ = count_queries(client, f"/api/v1/briefs/{slug}/")
    parties = [make_party() for _ in range(30)]
    body = " ".join(f"[{p.name}](party:{p.slug})" for p in parties)
    big = make_brief(body, parties=[(p, "mentioned") for p in parties])
    deals = [make_deal(stages=[{"description": "signed"}], figures=[amount("7", "GBP", stage=0)]) for _ in parties]
    about(big, *deals, stages=[deal.stages.get() for deal in deals])
    large, _ = count_queries(client, f"/api/v1/briefs/{big.slug}/")
    assert small == large


def _write_queries(editor, annotations):
    party, source = make_party(slug=f"p{annotations}"), make_source(key=f"s{annotations}")
    spans = " ".join(
        f"[a{i}](party:{party.slug})" if i % 2 else f"[b{i}](source:{source.key})" for i in range(annotations)
    )
    payload = {
        "title": f"Many {annotations}",
        "slug": f"many-{annotations}",
        "dek": "Dek.",
        "body": spans,
        "parties": [{"party": party.slug, "role": "mentioned"}],
        "sources": [{"source": source.key}],
        "deal": {"amount_disclosure": "undisclosed"},
    }
    api = token_client(editor)
    with CaptureQueriesContext(connection) as captured:
        response = api.post("/api/v1/briefs/", payload, format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["annotations"]) == annotations
    return len(captured)


def test_a_write_answers_with_its_annotations_in_a_fixed_number_of_queries():
    """The response to a write lists every annotation with its target: not one query each (bulk
    inserts of the rows may take a batch or two more)."""
    editor = make_user("writer-q", "briefs.add_brief", "briefs.change_brief", "briefs.view_brief", staff=True)
    assert _write_queries(editor, 60) <= _write_queries(editor, 2) + 5
