"""The API's response cache (briefs.freshness.responses): conditional GETs, Cache-Control, and
cached reads that are never stale, whether answered by DRF or early by ApiResponseCacheMiddleware."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from briefs.models import ContentVersion, Party
from tests.factories import make_brief, make_party

from .conftest import token_client

# Requests run in autocommit, as in production: an entry is stored when the transaction that read
# it commits, which a test case's wrapping transaction never does.
pytestmark = pytest.mark.django_db(transaction=True)
DEMO = "/api/v1/briefs/amazon-invests-up-to-4-billion-in-anthropic/"
READ_URLS = [
    "/api/v1/briefs/",
    DEMO,
    DEMO + "annotations/",
    DEMO + "annotations/pages/1/",
    "/api/v1/parties/",
    "/api/v1/parties/amazon/",
    "/api/v1/sources/",
    "/api/v1/quotes/",
    "/api/v1/search/?q=amazon",
]


@pytest.mark.parametrize("url", READ_URLS)
def test_etag_and_304(client, demo_brief, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag


def test_last_modified_and_if_modified_since(client, demo_brief):
    first = client.get(DEMO)
    assert first["Last-Modified"]
    assert client.get(DEMO, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(DEMO, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_cache_control_public_for_anonymous_private_for_tokens(client, demo_brief, reader):
    assert "public" in client.get(DEMO)["Cache-Control"] and "max-age=60" in client.get(DEMO)["Cache-Control"]
    private = token_client(reader).get(DEMO)
    assert "private" in private["Cache-Control"]
    vary = {v.strip() for v in private["Vary"].split(",")}
    assert {"Accept", "Authorization", "Cookie"} <= vary


def test_a_change_gives_new_content_and_etag_at_once(client, demo_brief):
    first = client.get(DEMO)
    assert client.get(DEMO)["ETag"] == first["ETag"]  # served from the cache
    Party.objects.filter(slug="amazon").update(name="Amazon.com Inc.")  # a bulk update: no signals
    second = client.get(DEMO)
    assert second["ETag"] != first["ETag"]
    assert "Amazon.com Inc." in second.content.decode()
    assert client.get(DEMO, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_list_cache_sees_new_and_removed_briefs(client, demo_brief):
    demo = len(client.get("/api/v1/briefs/").json()["results"])
    brief = make_brief(slug="second")
    assert len(client.get("/api/v1/briefs/").json()["results"]) == demo + 1
    brief.status = "withdrawn"
    brief.save()
    assert len(client.get("/api/v1/briefs/").json()["results"]) == demo
    assert client.get("/api/v1/briefs/second/").status_code == 404


def test_party_rename_reaches_list_items(client):
    party = make_party(slug="renamed", name="Old Name")
    make_brief(slug="x", parties=[(party, "investor")])
    assert "Old Name" in client.get("/api/v1/briefs/").content.decode()
    party.name = "New Name"
    party.save()
    assert "New Name" in client.get("/api/v1/briefs/").content.decode()


@pytest.mark.parametrize(
    "url, accept",
    [
        ("/api/v1/briefs/", None),
        (DEMO, "application/json"),
        (DEMO + "annotations/", None),
        (DEMO + "annotations/", "application/json"),
        (DEMO + "annotations/", "application/ld+json"),
    ],
)
def test_cache_hits_answered_early_match_the_full_path(client, demo_brief, url, accept):
    """The first read goes through DRF and fills the cache; the second is answered by
    ApiResponseCacheMiddleware. Both must be the same response."""
    from briefs.freshness import responses

    extra = {"HTTP_ACCEPT": accept} if accept else {}
    first = client.get(url, **extra)
    calls = []
    original = responses.ApiResponseCacheMiddleware.__call__

    def spy(self, request):
        response = original(self, request)
        calls.append(getattr(response, "accepted_renderer", None) is None)
        return response

    responses.ApiResponseCacheMiddleware.__call__ = spy
    try:
        second = client.get(url, **extra)
    finally:
        responses.ApiResponseCacheMiddleware.__call__ = original
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "X-Frame-Options"):
        assert second.get(header) == first.get(header), header
    assert {v.strip() for v in second["Vary"].split(",")} >= {"Accept", "Authorization", "Cookie"}
    assert calls == [True]
    assert (first["Cache-Status"], second["Cache-Status"]) == ("dealsite; fwd=miss; stored", "dealsite; hit")


def test_token_and_session_requests_never_take_the_early_path(demo_brief, reader, editor):
    from briefs.models import Brief

    Brief.objects.filter(pk=demo_brief.pk).update(status="draft")
    anonymous = APIClient()
    assert anonymous.get(DEMO).status_code == 404
    staff = token_client(editor)
    assert staff.get(DEMO).status_code == 200  # not the anonymous 404 from the cache
    session = Client()
    session.force_login(editor)
    assert session.get(DEMO, HTTP_ACCEPT="application/json").status_code == 200
    assert anonymous.get(DEMO).status_code == 404


def test_last_modified_notices_a_brief_leaving_the_list(client, demo_brief, time_machine):
    """Items' updated_at would not change when one leaves the list; the representation's own
    time does. (HTTP dates have whole seconds: ETag is the exact validator.)"""
    from django.utils import timezone

    older = make_brief(slug="older")
    time_machine.move_to(timezone.now())
    first = client.get("/api/v1/briefs/")
    time_machine.shift(1)  # into the next HTTP-date second
    older.status = "withdrawn"
    older.save()
    second = client.get("/api/v1/briefs/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert second.status_code == 200
    assert "older" not in second.content.decode()
    assert client.get("/api/v1/briefs/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def state_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "briefs_contentversion" in q["sql"]]


def test_a_miss_reads_the_content_state_once_for_the_early_path_and_drf(client, demo_brief):
    with CaptureQueriesContext(connection) as miss:
        assert client.get(DEMO).status_code == 200
    with CaptureQueriesContext(connection) as hit:
        assert client.get(DEMO).status_code == 200
    assert len(state_queries(miss)) == 1
    assert len(hit.captured_queries) == 1 and len(state_queries(hit)) == 1


def test_without_a_content_version_nothing_is_cached(client, demo_brief):
    """No counter for the triggers to bump: a cached read could not notice a change."""
    ContentVersion.objects.all().delete()
    assert "Amazon" in client.get(DEMO).content.decode()
    Party.objects.filter(slug="amazon").update(name="Renamed Without Version")
    assert "Renamed Without Version" in client.get(DEMO).content.decode()


def test_nothing_is_stored_from_inside_a_transaction_that_could_roll_back(client, demo_brief):
    from django.db import transaction

    amazon = Party.objects.filter(slug="amazon")  # one statement, one bump on every database
    with transaction.atomic():
        amazon.update(name="Never Committed")
        rolled_back_version = ContentVersion.objects.get(pk=1).counter
        assert "Never Committed" in client.get(DEMO).content.decode()
        transaction.set_rollback(True)
    # The next write reaches the version number the rolled-back one had: still nothing stale.
    amazon.update(name="Committed Name")
    assert ContentVersion.objects.get(pk=1).counter == rolled_back_version
    body = client.get(DEMO).content.decode()
    assert "Committed Name" in body and "Never Committed" not in body


@pytest.mark.parametrize("token", [False, True])
def test_a_hit_is_answered_from_the_process_copy_without_the_shared_cache_until_a_write(demo_brief, reader, token):
    """Each process keeps its latest API entries, as it does pages: a hit skips the shared cache's
    round trip, and a write still moves the key, so the copy is never served stale."""
    from django.core.cache import cache

    api = token_client(reader) if token else APIClient()
    assert api.get(DEMO)["Cache-Status"] == "dealsite; fwd=miss; stored"
    cache.clear()  # the shared cache only
    with CaptureQueriesContext(connection) as queries:
        again = api.get(DEMO)
    assert again["Cache-Status"] == "dealsite; hit"
    if not token:
        assert len(queries) == 1  # the content state, which the early path reads and nothing else
    Party.objects.filter(slug="amazon").update(name="Amazon.com")  # around the app: only the triggers see it
    changed = api.get(DEMO)
    assert changed["Cache-Status"] == "dealsite; fwd=miss; stored" and b"Amazon.com" in changed.content
