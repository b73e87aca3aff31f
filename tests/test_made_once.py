"""When many requests miss the same entry at once, one renders it and the others wait for it."""

import threading
import time

import pytest
from django.core.cache import cache

from briefs.freshness.entries import COLLAPSED, STORED_MISS, Entry, made_once

KEY = "dealsite:page:test:made-once"


def ask_together(make, count=8):
    start, results = threading.Barrier(count), []

    def ask():
        start.wait()
        results.append(made_once(KEY, make))

    threads = [threading.Thread(target=ask) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_a_popular_entry_is_rendered_once_and_the_others_get_that_render():
    renders = []

    def make():
        renders.append(1)
        time.sleep(0.3)  # a slow render: everyone else arrives meanwhile
        entry = Entry(b"<p>page</p>", "text/html", '"etag"', 0, None)
        cache.set(KEY, entry)
        return entry

    results = ask_together(make)
    assert len(renders) == 1
    assert sorted(status for _, status in results) == [COLLAPSED] * 7 + [STORED_MISS]
    assert {entry for entry, _ in results} == {Entry(b"<p>page</p>", "text/html", '"etag"', 0, None)}


def test_waiters_render_themselves_at_once_when_the_render_stores_nothing():
    """A 404 is not cached: the waiters must not sit out the whole wait for an entry never coming."""
    renders = []

    def make():
        renders.append(1)
        time.sleep(0.2)
        return "not found"

    began = time.monotonic()
    results = ask_together(make, count=4)
    assert time.monotonic() - began < 3
    assert len(renders) == 4 and {made for made, _ in results} == {"not found"}


def test_a_lock_left_by_a_dead_renderer_only_delays_until_the_wait_ends(monkeypatch):
    from briefs.freshness import entries

    monkeypatch.setattr(entries, "MAKING_WAIT_SECONDS", 0.2)
    cache.add(f"{KEY}:making", 1, 30)  # its process died while rendering
    made, status = made_once(KEY, lambda: "rendered here")
    assert (made, status) == ("rendered here", STORED_MISS)


@pytest.mark.django_db(transaction=True)
def test_a_brief_page_missed_by_many_at_once_is_rendered_once(settings, monkeypatch):
    from django.db import connection
    from django.test import Client

    from briefs.freshness import pages as page_cache
    from briefs.views import pages
    from tests.factories import make_brief

    settings.PAGE_CACHE = True
    make_brief("A popular story.", title="Popular", slug="popular")
    renders, original = [], pages.render_brief_page
    asked, made_once = [], page_cache.made_once

    def asking(*args, **kwargs):
        asked.append(1)
        return made_once(*args, **kwargs)

    def counted(*args, **kwargs):
        """A slow render, which ends only once every request has asked for the entry: a request the
        machine delays past the render would otherwise find the page stored, a hit."""
        renders.append(1)
        deadline = time.monotonic() + 5
        while len(asked) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)
        return original(*args, **kwargs)

    monkeypatch.setattr(page_cache, "made_once", asking)
    monkeypatch.setattr(pages, "render_brief_page", counted)
    start, statuses = threading.Barrier(4), []

    def ask():
        start.wait()
        try:
            response = Client().get("/briefs/popular/")
            statuses.append((response.status_code, response["Cache-Status"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(renders) == 1
    assert sorted(statuses) == [(200, COLLAPSED)] * 3 + [(200, STORED_MISS)]
