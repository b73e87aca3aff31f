"""HTTP behaviour of the API: content negotiation, throttling, CORS, and JSON errors for everything
under /api/."""

import pytest
from django.test import Client
from django.urls import path
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_json_is_default_and_browsable_api_is_kept(demo_brief):
    api = Client()
    html = api.get("/api/v1/briefs/", HTTP_ACCEPT="text/html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert b"Dealsite" in html.content or b"Brief" in html.content
    assert api.get("/api/v1/briefs/")["Content-Type"] == "application/json"


def test_anonymous_throttling_gives_429_with_retry_after(client, demo_brief, settings, time_machine):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "1000/min"},
    }
    # Fixed windows: hold the clock mid-window so the requests cannot straddle a boundary.
    time_machine.move_to(1_800_000_030.0, tick=False)
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
