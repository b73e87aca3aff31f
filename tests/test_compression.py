"""HTML and JSON answers are gzip-compressed by the app; cached ones are stored compressed, so a hit
compresses nothing; Vary says Accept-Encoding; a page with a CSRF token is never compressed (BREACH)."""

import gzip

import pytest
from django.test import Client

from briefs.freshness import pages
from dealsite import compression
from tests.committing import as_committed

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_URL = "/briefs/amazon-invests-up-to-4-billion-in-anthropic/"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def demo(settings):
    settings.PAGE_CACHE = True
    from briefs.demo.loader import load_demo

    with as_committed():
        brief, _ = load_demo()
    return brief


@pytest.fixture
def compressions(monkeypatch):
    """Every gzip compression the app makes (the real one, counted)."""
    made = []
    real = compression.gzip.compress

    def counted(data, *args, **kwargs):
        made.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(compression.gzip, "compress", counted)
    return made


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    "path",
    ["/", DEMO_URL, "/parties/amazon/", "/search/?q=amazon", "/api/v1/briefs/", f"/api/v1/briefs/{DEMO_URL[8:]}"],
)
def test_html_and_json_are_sent_gzipped_to_clients_that_accept_it(client, demo, path):
    plain = client.get(path)
    packed = client.get(path, **GZIP)
    assert plain.status_code == packed.status_code == 200, path
    assert "Content-Encoding" not in plain, path
    assert packed["Content-Encoding"] == "gzip", path
    assert gzip.decompress(packed.content) == plain.content, path
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2, path
    assert "accept-encoding" in vary(plain) and "accept-encoding" in vary(packed), path


def test_a_client_that_refuses_gzip_gets_it_plain(client, demo):
    for value in ("identity", "gzip;q=0", "br"):
        response = client.get("/", HTTP_ACCEPT_ENCODING=value)
        assert "Content-Encoding" not in response and b"<html" in response.content, value


def test_cached_pages_and_api_answers_are_stored_compressed_and_hits_compress_nothing(client, demo, compressions):
    for path in ("/", DEMO_URL, "/api/v1/briefs/"):
        miss = client.get(path, **GZIP)
        assert miss["Content-Encoding"] == "gzip" and compressions, path
        compressions.clear()
        for _ in range(3):
            hit = client.get(path, **GZIP)
            assert hit["Content-Encoding"] == "gzip" and hit.content == miss.content, path
        assert compressions == [], f"a cache hit of {path} compressed again"
        plain_hit = client.get(path)
        assert "Content-Encoding" not in plain_hit and gzip.decompress(miss.content) == plain_hit.content
    assert all(entry.gzipped for entry in pages.local.entries.values())


def test_a_compressed_hit_answers_its_weak_etag_with_a_304(client, demo):
    first = client.get(DEMO_URL, **GZIP)
    assert first["ETag"].startswith('W/"')
    again = client.get(DEMO_URL, HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304 and "accept-encoding" in vary(again)
    assert client.get(DEMO_URL, HTTP_IF_NONE_MATCH=first["ETag"][2:]).status_code == 304


def test_pages_that_carry_a_csrf_token_are_never_compressed(demo, admin_user):
    client = Client()
    login = client.get("/admin/login/", **GZIP)
    assert login.status_code == 200 and b"csrfmiddlewaretoken" in login.content
    assert "Content-Encoding" not in login
    client.force_login(admin_user)
    form = client.get(f"/admin/briefs/brief/{demo.pk}/change/", **GZIP)
    assert form.status_code == 200 and b"csrfmiddlewaretoken" in form.content
    assert "Content-Encoding" not in form


def test_static_and_small_answers_are_left_to_their_own_encoding(client, demo):
    robots = client.get("/robots.txt", **GZIP)
    assert robots.status_code == 200 and "Content-Encoding" not in robots
    css = client.get("/static/css/site.css", **GZIP)
    assert css.status_code == 200 and css.streaming and "Content-Encoding" not in css  # WhiteNoise's own
