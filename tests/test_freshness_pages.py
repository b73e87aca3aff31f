"""The page cache never serves stale content: every change a page shows invalidates it."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefs.freshness import pages
from briefs.models import Brief, ContentVersion, Note
from briefs.services.saving import Links, save_brief
from tests.committing import as_committed
from tests.deal_builders import deal_with
from tests.factories import make_brief, make_party, make_quote, make_source

# Requests run in autocommit, as in production: an entry is stored when the transaction that read
# it commits, which a test case's wrapping transaction never does.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def deal(db):
    investor, target = make_party(name="Oldname Capital", slug="oldname"), make_party(name="Target Co", slug="target")
    source = make_source(key="wire", title="Original source title")
    quote = make_quote(
        key="ceo-says",
        text="Original quoted words.",
        speaker=make_party(kind="person", name="Pat Speaker"),
        source=source,
    )
    brief = make_brief(
        "[Oldname Capital](party:oldname) invests [$5 million](source:wire) in [Target Co](party:target). "
        "[“Original quoted words.”](quote:ceo-says) [Context](note:ctx)",
        title="Oldname backs Target",
        slug="oldname-target",
        parties=[(investor, "investor"), (target, "target")],
        sources=[source],
        quotes=[quote],
        notes=[("ctx", "Original note text.")],
    )
    # The lists (home, party pages) show the parties of the deal the brief is about.
    about = deal_with(participants=[(investor, "investor"), (target, "target")], amount="5000000")
    with as_committed():
        save_brief(brief, links=Links(deals=[(about, None)]), comment="About its deal.")
    return {"brief": brief, "investor": investor, "target": target, "source": source, "quote": quote}


def html(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def queries_of(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, [q["sql"] for q in captured.captured_queries]


def is_state_query(sql):
    """The one query of a cache hit: the content version and the next go-live time."""
    return "briefs_contentversion" in sql and sql.lstrip().upper().startswith("SELECT (SELECT MAX(COUNTER)")


PAGES = [
    "/",
    "/briefs/oldname-target/",
    "/parties/oldname/",
    "/parties/target/",
    "/sources/wire/",
    "/feed/rss/",
    "/feed/atom/",
    "/parties/oldname/feed/rss/",
]


def test_a_second_request_is_served_from_the_cache_with_one_small_query(client, deal):
    for url in PAGES:
        miss = client.get(url)
        first = miss.content.decode()
        assert miss["Cache-Status"] == "dealsite; fwd=miss; stored", url
        response, sql = queries_of(client, url)
        assert response["Cache-Status"] == "dealsite; hit", url
        assert response.status_code == 200 and response.content.decode() == first, url
        assert len(sql) == 1 and is_state_query(sql[0]), (url, sql)
        assert response["ETag"] and response["Last-Modified"], url


def test_a_miss_reads_the_content_state_once_for_the_middleware_and_the_view(client, deal):
    for url in PAGES:
        response, sql = queries_of(client, url)
        assert response.status_code == 200, url
        assert len([q for q in sql if is_state_query(q)]) == 1, url


def test_hits_are_answered_before_sessions_and_the_view_with_the_same_headers(client, deal, monkeypatch):
    """PageCacheMiddleware answers hits early; the response is the one the whole stack gives."""
    from django.contrib.sessions.middleware import SessionMiddleware

    for url in PAGES:
        miss = client.get(url)
        calls = []
        monkeypatch.setattr(SessionMiddleware, "process_request", lambda self, request: calls.append(request.path))
        hit = client.get(url)
        monkeypatch.undo()
        assert calls == [], url  # nothing after the page-cache middleware ran
        assert hit.status_code == 200 and hit.content == miss.content, url
        without_status = lambda headers: {k: v for k, v in headers.items() if k != "Cache-Status"}  # noqa: E731
        assert without_status(hit.headers) == without_status(miss.headers), url
        assert hit["Content-Length"] == str(len(hit.content)) and hit["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in hit and "Referrer-Policy" in hit  # the outer middleware's


def test_paths_that_are_not_cached_pages_cost_the_page_cache_nothing(client, deal):
    for url in ("/search/?q=target", "/robots.txt", "/no-such-page/", "/?utm_source=x"):
        client.get(url)
        response, sql = queries_of(client, url)
        assert response.status_code in (200, 404) and "ETag" not in response, url
        assert not [q for q in sql if is_state_query(q)], url


def test_pages_show_the_party_renamed(client, deal):
    for url in ("/", "/briefs/oldname-target/", "/parties/oldname/", "/parties/oldname/feed/rss/"):
        assert "Oldname Capital" in html(client, url)
    party = deal["investor"]
    party.name = "Newname Partners"
    party.save()
    assert "Newname Partners" in html(client, "/")
    assert "Newname Partners" in html(client, "/briefs/oldname-target/")
    assert "Newname Partners" in html(client, "/parties/oldname/")
    assert "Newname Partners" in html(client, "/parties/oldname/feed/rss/")


def test_brief_page_shows_the_quote_edited(client, deal):
    assert "Original quoted words." in html(client, "/briefs/oldname-target/")
    quote = deal["quote"]
    quote.text = "Edited quoted words."
    quote.save()
    page = html(client, "/briefs/oldname-target/")
    assert "Edited quoted words." in page and "Original quoted words.</p>" not in page
    assert "Edited quoted words." in html(client, f"/parties/{quote.speaker.slug}/")


def test_brief_page_shows_the_source_edited(client, deal):
    assert "Original source title" in html(client, "/briefs/oldname-target/")
    assert "Original source title" in html(client, "/sources/wire/")
    source = deal["source"]
    source.title = "Corrected source title"
    source.save()
    assert "Corrected source title" in html(client, "/briefs/oldname-target/")
    assert "Corrected source title" in html(client, "/sources/wire/")


def test_brief_page_shows_the_note_and_the_brief_edited(client, deal):
    html(client, "/briefs/oldname-target/")
    note = Note.objects.get(key="ctx")
    note.text = "Rewritten note text."
    note.save()
    assert "Rewritten note text." in html(client, "/briefs/oldname-target/")
    brief = deal["brief"]
    brief.dek = "A new summary line."
    brief.save()
    assert "A new summary line." in html(client, "/briefs/oldname-target/")
    assert "A new summary line." in html(client, "/")


def test_a_withdrawn_brief_leaves_every_cached_page(client, deal):
    for url in ("/", "/briefs/oldname-target/", "/feed/rss/", "/parties/target/"):
        assert "Oldname backs Target" in html(client, url)
    brief = deal["brief"]
    brief.status = "draft"
    brief.save()
    assert client.get("/briefs/oldname-target/").status_code == 404
    assert "Oldname backs Target" not in html(client, "/")
    assert "Oldname backs Target" not in html(client, "/feed/rss/")
    assert client.get("/parties/target/").status_code == 404  # no published brief left: not public


def test_a_published_brief_appears_on_cached_pages(client, deal):
    html(client, "/"), html(client, "/feed/atom/")
    make_brief(title="Freshly published deal", slug="fresh")
    assert "Freshly published deal" in html(client, "/")
    assert "Freshly published deal" in html(client, "/feed/atom/")


def test_a_scheduled_brief_appears_when_its_time_comes_with_no_write(client, deal):
    go_live = timezone.now() + datetime.timedelta(hours=1)
    make_brief(title="Scheduled deal", slug="scheduled", status="scheduled", published_at=go_live)
    assert "Scheduled deal" not in html(client, "/")
    assert client.get("/briefs/scheduled/").status_code == 404
    later = go_live + datetime.timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("briefs.freshness.pages.time.time", return_value=later.timestamp()),
    ):
        assert "Scheduled deal" in html(client, "/")
        assert "Scheduled deal" in html(client, "/feed/rss/")
        assert client.get("/briefs/scheduled/").status_code == 200


def test_an_author_renamed_and_a_related_brief_added_show(client, deal):
    user = get_user_model().objects.create_user("writer", first_name="Ann", last_name="Author")
    brief = deal["brief"]
    brief.authors.add(user)
    assert "Ann Author" in html(client, "/briefs/oldname-target/")
    user.last_name = "Writer"
    user.save()
    assert "Ann Writer" in html(client, "/briefs/oldname-target/")
    other = make_brief(title="A related deal", slug="related-deal")
    brief.related.add(other)
    assert "A related deal" in html(client, "/briefs/oldname-target/")


def test_a_re_render_in_the_background_invalidates(client, deal):
    """The renderer writes with bulk updates (no signals); it bumps the generation itself."""
    html(client, "/briefs/oldname-target/")
    Brief.objects.filter(pk=deal["brief"].pk).update(body="Only [Target Co](party:target) now.")
    from briefs.services.rendering import render_brief

    render_brief(deal["brief"])
    page = html(client, "/briefs/oldname-target/")
    assert "Only" in page and "invests" not in page


def test_etag_and_last_modified_answer_304_until_the_content_changes(client, deal):
    url = "/briefs/oldname-target/"
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    response, sql = queries_of(client, url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and len(sql) == 1 and response.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    deal["investor"].name = "Renamed Again"
    deal["investor"].save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Renamed Again" in changed.content.decode()
    # Every page of the site answers conditional requests the same way.
    for page in PAGES:
        tag = client.get(page)["ETag"]
        assert client.get(page, HTTP_IF_NONE_MATCH=tag).status_code == 304, page


def test_a_conditional_request_for_a_missing_page_is_still_a_404(client, deal):
    for _ in range(2):  # before and after the page cache has seen the path
        assert client.get("/briefs/no-such-brief/", HTTP_IF_NONE_MATCH="*").status_code == 404
    assert client.get("/briefs/oldname-target/", HTTP_IF_NONE_MATCH="*").status_code == 304


def test_etags_differ_between_pages(client, deal):
    tags = {client.get(url)["ETag"] for url in PAGES}
    assert len(tags) == len(PAGES)


def test_other_query_strings_are_served_but_not_cached(client, deal):
    html(client, "/?utm_source=x")
    response, sql = queries_of(client, "/?utm_source=x")
    assert response.status_code == 200 and sql and "ETag" not in response
    html(client, "/?page=1")
    assert len(queries_of(client, "/?page=1")[1]) == 1


def test_anonymous_pages_make_no_session_or_auth_queries(client, deal):
    user = get_user_model().objects.create_user("writer", first_name="Ann", last_name="Author")
    deal["brief"].authors.add(user)
    client.cookies["sessionid"] = "not-a-real-session"  # a stale cookie must not cost a lookup either
    for url in PAGES:
        cache.clear(), pages.local.clear()
        response, sql = queries_of(client, url)
        assert response.status_code == 200
        assert not [q for q in sql if "django_session" in q], url
        # The only user rows read are the brief's authors (content), never the visitor.
        assert not [q for q in sql if "auth_user" in q and "briefs_brief_authors" not in q], url
        assert "Set-Cookie" not in str(response.cookies) and "Cookie" not in response.get("Vary", ""), url


def test_logged_in_staff_get_the_same_public_page(client, admin_user, deal):
    anonymous = html(client, "/briefs/oldname-target/")
    client.force_login(admin_user)
    assert html(client, "/briefs/oldname-target/") == anonymous


def test_page_cache_can_be_turned_off(client, settings, deal):
    settings.PAGE_CACHE = False
    html(client, "/")
    response, sql = queries_of(client, "/")
    assert sql and "ETag" not in response


def test_pages_are_served_from_process_memory_and_invalidated_all_the_same(client, deal, settings):
    """The per-process copy is keyed by the content state read on every request."""
    html(client, "/briefs/oldname-target/")
    with mock.patch.object(pages.cache, "get", wraps=pages.cache.get) as shared_get:
        html(client, "/briefs/oldname-target/")
    assert shared_get.call_args_list == []
    deal["investor"].name = "Renamed In Memory"
    deal["investor"].save()
    assert "Renamed In Memory" in html(client, "/briefs/oldname-target/")
    # Bounded: pages beyond the byte budget push out the oldest.
    settings.PAGE_CACHE_LOCAL_BYTES = 4 * len(client.get("/").content) + 10
    pages.local.clear()
    for url in PAGES:
        client.get(url)
    assert pages.local.size <= settings.PAGE_CACHE_LOCAL_BYTES


def test_bulk_updates_invalidate_too(client, deal):
    """Database triggers bump the version whatever writes: QuerySet.update() sends no signal."""
    from briefs.models import Party

    html(client, "/parties/oldname/")
    Party.objects.filter(slug="oldname").update(description="Bulk-updated profile text.")
    assert "Bulk-updated profile text." in html(client, "/parties/oldname/")


def test_nothing_is_stored_from_inside_a_transaction_that_could_roll_back(client, deal):
    from django.db import transaction

    from briefs.models import Party

    investor = Party.objects.filter(pk=deal["investor"].pk)  # one statement, one bump on every database
    with transaction.atomic():
        investor.update(name="Never Committed")
        rolled_back_version = ContentVersion.objects.get(pk=1).counter
        assert "Never Committed" in html(client, "/parties/oldname/")
        transaction.set_rollback(True)
    assert "Never Committed" not in html(client, "/parties/oldname/")
    # The next write reaches the version number the rolled-back one had: still nothing stale.
    investor.update(description="A committed change.")
    assert ContentVersion.objects.get(pk=1).counter == rolled_back_version
    page = html(client, "/parties/oldname/")
    assert "A committed change." in page and "Never Committed" not in page


def test_a_process_resolves_a_cached_pages_path_once_not_on_every_hit(client, deal):
    from briefs.freshness import state

    state._match.cache_clear()
    for _ in range(3):
        assert client.get("/").status_code == 200
    client.get("/no-such-page/")
    client.get("/no-such-page/")
    assert (state._match.cache_info().misses, state._match.cache_info().hits) == (2, 3)


def test_a_changed_urlconf_is_never_answered_from_the_resolved_paths(settings):
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    from briefs.freshness import state
    from tests import urls_changing

    settings.ROOT_URLCONF = "tests.urls_changing"
    assert state.resolved(RequestFactory().get("/added/")) is None
    urls_changing.urlpatterns.append(path("added/", lambda request: HttpResponse(), name="added"))
    try:
        clear_url_caches()  # what Django does when its URLconf changes
        assert state.resolved(RequestFactory().get("/added/")).url_name == "added"
    finally:
        urls_changing.urlpatterns.clear()
        clear_url_caches()


def test_a_cache_that_keeps_nothing_still_serves_pages(client, deal):
    with (
        mock.patch.object(pages.cache, "get", return_value=None),
        mock.patch.object(pages.cache, "add", return_value=True),
    ):
        assert "Oldname backs Target" in html(client, "/")


def test_on_redis_every_change_still_shows(client, deal, redis_cache):
    from django.core.cache import caches

    backend = caches["default"]
    assert type(backend).__name__ == "RedisCache"
    assert "Oldname Capital" in html(client, "/briefs/oldname-target/")
    response, sql = queries_of(client, "/briefs/oldname-target/")
    assert len(sql) == 1 and response.status_code == 200
    deal["investor"].name = "Renamed On Redis"
    deal["investor"].save()
    assert "Renamed On Redis" in html(client, "/briefs/oldname-target/")
    etag = client.get("/").headers["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
