"""Signed preview links, presence, and the source link checker (against a local HTTP server)."""

import datetime
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import signing
from django.utils import timezone

from briefs.models import Brief, Source
from briefs.services import linkcheck, presence, previews, workflow

from .factories import make_brief, make_source
from .workflow_helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """Presence lives in the cache, keyed by brief id: ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Signed, expiring preview links ----------------------------------------------------------------


def test_preview_link_opens_a_draft_without_an_account(client):
    brief = make_brief("Secret draft text.", published=False, title="Unannounced deal")
    assert client.get(brief.get_absolute_url()).status_code == 404
    response = client.get(previews.preview_path(brief))
    assert response.status_code == 200
    assert "Unannounced deal" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"].startswith("max-age=0")


def test_preview_link_expires(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)  # no real time passes between the steps
    brief = make_brief("Draft.", published=False)
    path = previews.preview_path(brief, max_age=60)
    time_machine.shift(59)
    assert client.get(path).status_code == 200
    time_machine.shift(2)
    response = client.get(path)
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_preview_link_stops_when_published_or_withdrawn(client):
    editor = make_user("Editor")
    brief = make_brief("Draft.", published=False)
    path = previews.preview_path(brief)
    Brief.objects.filter(pk=brief.pk).update(status="in_review")
    assert client.get(path).status_code == 200
    workflow.publish(Brief.objects.get(pk=brief.pk), editor)
    response = client.get(path)
    assert response.status_code == 410 and "published" in response.content.decode()
    workflow.withdraw(Brief.objects.get(pk=brief.pk), editor)
    response = client.get(path)
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_preview_link_of_scheduled_brief_stops_when_its_time_comes(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)  # no real time passes between the steps
    brief = make_brief("Draft.", published=False)
    path = previews.preview_path(brief)
    Brief.objects.filter(pk=brief.pk).update(
        status="scheduled", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert client.get(path).status_code == 200
    time_machine.shift(datetime.timedelta(hours=1, seconds=1))  # no write: the clock alone
    response = client.get(path)
    assert response.status_code == 410 and "published" in response.content.decode()


def test_forged_or_damaged_preview_link_is_404(client):
    brief = make_brief("Draft.", published=False)
    token = previews.make_token(brief)
    assert client.get(f"/preview/{token[:-2]}xx/").status_code == 404
    forged = signing.TimestampSigner(key="not-our-key", salt=previews.SALT).sign_object(
        {"b": brief.pk, "m": 10**9}, compress=True
    )
    assert client.get(f"/preview/{forged}/").status_code == 404
    other_salt = signing.TimestampSigner(salt="something-else").sign_object({"b": brief.pk, "m": 60}, compress=True)
    assert client.get(f"/preview/{other_salt}/").status_code == 404


# Presence ------------------------------------------------------------------------------------


def test_presence_lists_who_else_has_the_brief_open(client):
    brief = make_brief("Draft.", published=False)
    alice, bob = (
        make_user("Editor", first_name="Alice", last_name="A"),
        make_user("Writer", first_name="Bob", last_name="B"),
    )
    url = f"/briefs/{brief.pk}/presence/"
    client.force_login(alice)
    assert client.post(url).json()["others"] == []
    client.force_login(bob)
    others = client.post(url).json()["others"]
    assert [o["name"] for o in others] == ["Alice A"]
    client.force_login(alice)
    assert [o["name"] for o in client.post(url).json()["others"]] == ["Bob B"]
    client.post(url, {"leave": "1"})
    client.force_login(bob)
    assert client.post(url).json()["others"] == []


def test_presence_forgets_after_the_ttl(settings, time_machine):
    ttl = settings.WORKFLOW["PRESENCE_TTL_SECONDS"]
    brief = make_brief("Draft.", published=False)
    alice, bob = make_user("Editor"), make_user("Editor")
    time_machine.move_to(timezone.now(), tick=False)
    presence.heartbeat(brief.pk, alice)
    time_machine.shift(ttl - 1)
    assert [entry["seconds_ago"] for entry in presence.others(brief.pk, bob)] == [ttl - 1]
    time_machine.shift(1)
    assert presence.others(brief.pk, bob) == []


def test_presence_needs_staff(client):
    brief = make_brief("Draft.", published=False)
    response = client.post(f"/briefs/{brief.pk}/presence/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Source link checks against a local server ---------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def _answer(self, with_body):
        path = self.path
        if path == "/ok":
            code, headers = 200, {}
        elif path == "/missing":
            code, headers = 404, {}
        elif path == "/moved":
            code, headers = 301, {"Location": "/ok"}
        elif path == "/chain":
            code, headers = 302, {"Location": "/moved"}
        elif path == "/loop":
            code, headers = 302, {"Location": "/loop"}
        elif path == "/no-head":
            code, headers = (405 if self.command == "HEAD" else 200), {}
        elif path == "/slow":
            time.sleep(2)
            code, headers = 200, {}
        elif path == "/error":
            code, headers = 503, {}
        else:
            code, headers = 404, {}
        self.server.hits.append((self.command, path))
        body = b"hello" if with_body else b""
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "5")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server(settings):
    settings.WORKFLOW = {**settings.WORKFLOW, "LINKCHECK_ALLOW_PRIVATE": True}  # the server is on 127.0.0.1
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_link_ok(local_server):
    server, base = local_server
    result = linkcheck.check_url(f"{base}/ok", timeout=2)
    assert (result.status, result.code, result.final_url, result.error) == ("ok", 200, "", "")
    assert server.hits == [("HEAD", "/ok")]  # HEAD was enough


def test_link_not_found_is_broken(local_server):
    server, base = local_server
    result = linkcheck.check_url(f"{base}/missing", timeout=2)
    assert (result.status, result.code) == ("broken", 404)
    assert "404" in result.error
    assert server.hits == [("HEAD", "/missing"), ("GET", "/missing")]  # HEAD then GET


def test_link_redirect_is_followed_and_recorded(local_server):
    _, base = local_server
    result = linkcheck.check_url(f"{base}/chain", timeout=2)
    assert (result.status, result.code, result.final_url) == ("redirected", 200, f"{base}/ok")


def test_redirect_loop_is_broken(local_server):
    _, base = local_server
    result = linkcheck.check_url(f"{base}/loop", timeout=2)
    assert result.status == "broken" and result.code == 302


def test_head_refused_falls_back_to_get(local_server):
    server, base = local_server
    result = linkcheck.check_url(f"{base}/no-head", timeout=2)
    assert (result.status, result.code) == ("ok", 200)
    assert server.hits == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_link_timeout_is_broken_and_quick(local_server):
    _, base = local_server
    started = time.monotonic()
    result = linkcheck.check_url(f"{base}/slow", timeout=0.3)
    assert result.status == "broken" and result.code is None and "timed out" in result.error
    assert time.monotonic() - started < 1.5


def test_unreachable_and_non_http_urls_are_broken(settings):
    assert linkcheck.check_url("ftp://example.com/x").status == "broken"
    settings.WORKFLOW = {**settings.WORKFLOW, "LINKCHECK_ALLOW_PRIVATE": True}
    result = linkcheck.check_url("http://127.0.0.1:9/nothing-listens-here", timeout=1)
    assert result.status == "broken" and "could not connect" in result.error


def test_private_addresses_are_not_probed(local_server, settings):
    server, base = local_server
    settings.WORKFLOW = {**settings.WORKFLOW, "LINKCHECK_ALLOW_PRIVATE": False}
    for url in (f"{base}/ok", "http://localhost/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/"):
        result = linkcheck.check_url(url, timeout=1)
        assert result.status == "broken" and result.error.startswith("not checked:"), (url, result)
    assert server.hits == []


def test_check_task_records_on_the_source_without_rerendering(local_server, django_capture_on_commit_callbacks):
    from briefs.tasks import check_source_link

    _, base = local_server
    ok, gone, moved = (
        make_source(url=f"{base}/ok"),
        make_source(url=f"{base}/missing"),
        make_source(url=f"{base}/moved"),
    )
    before = Source.objects.get(pk=ok.pk).updated_at
    with django_capture_on_commit_callbacks() as callbacks:
        assert check_source_link.delay(ok.pk).get() == "ok"
        assert check_source_link.delay(gone.pk).get() == "broken"
        assert check_source_link.delay(moved.pk).get() == "redirected"
    assert callbacks == []  # no re-render of citing briefs was queued
    ok, gone, moved = (Source.objects.get(pk=s.pk) for s in (ok, gone, moved))
    assert (
        ok.link_status == "ok" and ok.link_status_code == 200 and ok.link_checked_at and ok.link_response_ms is not None
    )
    assert ok.updated_at == before
    assert gone.link_status == "broken" and gone.link_status_code == 404
    assert moved.link_status == "redirected" and moved.link_final_url == f"{base}/ok"


def test_periodic_recheck_queues_sources_due(local_server, settings):
    from briefs.tasks import recheck_source_links

    _, base = local_server
    fresh = make_source(url=f"{base}/ok")
    Source.objects.filter(pk=fresh.pk).update(link_checked_at=timezone.now(), link_status="ok")
    stale = make_source(url=f"{base}/missing")
    Source.objects.filter(pk=stale.pk).update(link_checked_at=timezone.now() - datetime.timedelta(days=30))
    never = make_source(url=f"{base}/ok")
    no_url = make_source(url="")
    assert set(linkcheck.sources_due()) == {stale.pk, never.pk}
    assert recheck_source_links.delay().get() == 2  # eager: the checks ran too
    assert Source.objects.get(pk=stale.pk).link_status == "broken"
    assert Source.objects.get(pk=never.pk).link_status == "ok"
    assert Source.objects.get(pk=no_url.pk).link_checked_at is None
    assert set(linkcheck.sources_due()) == set()


def test_presence_of_a_brief_the_user_cannot_see_is_404(client):
    brief = make_brief("Draft.", published=False)
    client.force_login(make_user(None))  # staff, but no role: no view permission on briefs
    assert client.post(f"/briefs/{brief.pk}/presence/").status_code == 404


def test_redirect_into_a_private_address_is_not_followed(local_server, monkeypatch):
    server, base = local_server

    def only_the_start_is_public(url):
        if url.endswith("/ok"):
            raise linkcheck.PrivateAddress("internal.example resolves to a non-public address (10.0.0.5)")

    monkeypatch.setattr(linkcheck, "_check_public", only_the_start_is_public)
    result = linkcheck.check_url(f"{base}/moved", timeout=2)
    assert result.status == "broken" and result.error.startswith("not followed:")
    assert ("HEAD", "/ok") not in server.hits and ("GET", "/ok") not in server.hits
