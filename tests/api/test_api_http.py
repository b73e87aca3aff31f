"""HTTP behaviour: conditional GETs, Cache-Control, the never-stale response cache, throttling,
CORS, and JSON errors for everything under /api/."""

import pytest
from django.test import Client
from django.urls import path
from django.utils import timezone
from rest_framework.test import APIClient

from briefs.models import Party
from tests.factories import make_brief, make_party

from .conftest import token_client

pytestmark = pytest.mark.django_db
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
    assert client.get("/api/v1/briefs/").json()["count"] == 1
    brief = make_brief(slug="second")
    assert client.get("/api/v1/briefs/").json()["count"] == 2
    brief.status = "withdrawn"
    brief.save()
    assert client.get("/api/v1/briefs/").json()["count"] == 1
    assert client.get("/api/v1/briefs/second/").status_code == 404


def test_json_is_default_and_browsable_api_is_kept(demo_brief):
    api = Client()
    html = api.get("/api/v1/briefs/", HTTP_ACCEPT="text/html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert b"Dealsite" in html.content or b"Brief" in html.content
    assert api.get("/api/v1/briefs/")["Content-Type"] == "application/json"


def test_anonymous_throttling_gives_429_with_retry_after(client, demo_brief, settings, monkeypatch):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "1000/min"},
    }
    # Fixed windows: hold the throttle's clock mid-window so the requests cannot straddle a boundary.
    from types import SimpleNamespace

    from briefs.api import throttling

    monkeypatch.setattr(throttling, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
    statuses = [client.get("/api/v1/briefs/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = client.get("/api/v1/briefs/")
    assert throttled.json()["code"] == "throttled" and throttled.json()["status"] == 429
    assert int(throttled["Retry-After"]) > 0


def test_cors_is_open_for_public_reads_only(client, demo_brief):
    read = client.get("/api/v1/briefs/", HTTP_ORIGIN="https://example.org")
    assert read["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in read
    preflight = client.options(
        "/api/v1/briefs/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    allowed_methods = preflight.get("Access-Control-Allow-Methods", "")
    allowed_headers = preflight.get("Access-Control-Allow-Headers", "").lower()
    assert "POST" not in allowed_methods and "PATCH" not in allowed_methods
    assert "authorization" not in allowed_headers
    assert "Access-Control-Allow-Origin" not in client.get("/briefs/", HTTP_ORIGIN="https://example.org")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/nope/",
        "/api/nothing",
        "/api/v1/briefs/no-such-brief/",
        "/api/v1/briefs/x/annotations/999/",
        "/api/v1/briefs/amazon-invests-up-to-4-billion-in-anthropic/annotations/pages/9/",
    ],
)
def test_404s_under_api_are_json(client, demo_brief, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 404 and response.json()["code"] == "not_found"


def test_404_outside_api_stays_html():
    assert not Client().get("/no-such-page/")["Content-Type"].startswith("application/json")


def boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("api/v1/boom/", boom)]


def test_500_under_api_is_json(db, settings):
    from dealsite import urls as site_urls

    settings.ROOT_URLCONF = __name__
    api = APIClient(raise_request_exception=False)
    response = api.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": 500, "code": "server_error", "detail": "Server error. It has been logged."}
    assert b"kaboom" not in response.content
    assert site_urls  # the real URLconf is untouched


def test_500_inside_a_drf_view_is_json(client, demo_brief, monkeypatch):
    from briefs.api.views.catalogue import QuoteViewSet

    def broken(self):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(QuoteViewSet, "get_queryset", broken)
    api = APIClient(raise_request_exception=False)
    response = api.get("/api/v1/quotes/")
    assert response.status_code == 500 and response.json()["code"] == "server_error"


def test_unknown_accept_is_406_json(client, demo_brief):
    response = client.get("/api/v1/briefs/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")


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
    from briefs.api import middleware

    extra = {"HTTP_ACCEPT": accept} if accept else {}
    first = client.get(url, **extra)
    calls = []
    original = middleware.ApiResponseCacheMiddleware.__call__

    def spy(self, request):
        response = original(self, request)
        calls.append(getattr(response, "accepted_renderer", None) is None)
        return response

    middleware.ApiResponseCacheMiddleware.__call__ = spy
    try:
        second = client.get(url, **extra)
    finally:
        middleware.ApiResponseCacheMiddleware.__call__ = original
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "X-Frame-Options"):
        assert second.get(header) == first.get(header), header
    assert {v.strip() for v in second["Vary"].split(",")} >= {"Accept", "Authorization", "Cookie"}
    assert calls == [True]


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
