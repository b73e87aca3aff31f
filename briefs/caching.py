"""Whole-response caching for the public pages that never serves stale content.

One mechanism, shared with the API's response cache (briefs.api.caching): the **content version**,
a counter in the database (ContentVersion) that triggers bump in the writing transaction on every
write to a content table (briefs, their links, notes, annotations, parties, sources, quotes, related
briefs) — whatever wrote it: admin, API, renderer, bulk updates, other processes or hosts. Two
things the triggers do not watch are bumped here by signals: authors linked to a brief, and a user's
name (shown as the byline); logging in changes nothing a page shows and bumps nothing.

Time is part of visibility too (a scheduled brief goes live when its publication time passes, with
no write), so the state read on every request is (version, next go-live time) — one small query —
and both are in the key: the moment a scheduled brief goes live, every key changes.

A page's cache key and its ETag are made of the release, that state and the absolute URL, so any
change invalidates every page and every ETag at once; Last-Modified is when the state was first seen
(kept in the shared cache, so all processes agree). Conditional GETs get a 304 from the state alone.
Pages are stored in the default cache and each process keeps its most recent ones in memory (an LRU
bounded in bytes, ``PAGE_CACHE_LOCAL_BYTES``); both are keyed by the state, so neither can be stale,
and the default local-memory cache is correct with any number of processes. Nothing is stored from a
request running inside a transaction of its own (its writes could still roll back). Responses are
the same for every visitor, so none of this reads the session.
"""

import hashlib
import os
import threading
import time
from collections import OrderedDict
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag

# ----------------------------------------------------------------------------- release token


def _release_token():
    """Changes with every deploy, so a new template never answers under an old page's key or ETag.

    RELEASE (e.g. the git revision) when set, else a digest of the templates, static files and the
    app's code as deployed (names, sizes, modification times).
    """
    if os.environ.get("RELEASE"):
        return os.environ["RELEASE"]
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in ("templates", "static", "briefs", "dealsite"):
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".css", ".js", ".py", ".svg"}:
                stat = path.stat()
                digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


RELEASE = _release_token()


# ----------------------------------------------------------------------------- the content state

STATE_TIME_KEY = "dealsite:page-state:{}"


def content_changed():
    """Bump the content version, for changes the database triggers do not see (authors, users)."""
    from django.db.models import F

    from .models import ContentVersion

    if not ContentVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


class _LocalPages:
    """This process's most recently used pages and state times, bounded in bytes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages = OrderedDict()
        self.size = 0
        self.times = OrderedDict()

    def get_time(self, generation):
        with self.lock:
            return self.times.get(generation)

    def put_time(self, generation, when):
        with self.lock:
            self.times[generation] = when
            while len(self.times) > 16:
                self.times.popitem(last=False)

    def get(self, key):
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        size = len(entry[1])
        if size > limit // 4:
            return
        with self.lock:
            if key in self.pages:
                return
            self.pages[key] = entry
            self.size += size
            while self.size > limit:
                _, (_, dropped) = self.pages.popitem(last=False)
                self.size -= len(dropped)

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.times.clear()
            self.size = 0


local = _LocalPages()


def current_state():
    """{"generation", "changed_at"} of the content as it is now (one query)."""
    from .api.caching import content_state

    version, next_live = content_state()
    if version is None:
        return None  # no ContentVersion row: serve uncached
    # The next go-live time as the database returns it (text on SQLite, a datetime on PostgreSQL):
    # only its identity matters, and str() of it is the same in every process.
    upcoming = hashlib.sha1(str(next_live).encode()).hexdigest()[:10] if next_live is not None else "0"
    generation = f"{version:x}.{upcoming}"
    changed_at = local.get_time(generation)
    if changed_at is None:
        key = STATE_TIME_KEY.format(generation)
        cache.add(key, int(time.time()), timeout=settings.PAGE_CACHE_TIMEOUT)
        changed_at = cache.get(key) or int(time.time())
        local.put_time(generation, changed_at)
    return {"generation": generation, "changed_at": changed_at}


def _in_own_transaction():
    """Inside an atomic block that is not a test case's wrapper: what we read may still roll back."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


# ----------------------------------------------------------------------------- signals


def _user_changed(sender, instance=None, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields and set(update_fields) <= {"last_login", "password"}):
        return  # logging in or a new password changes nothing a page shows
    content_changed()


def _authors_changed(sender, action=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed()


def connect_signals():
    from .models import Brief

    user = get_user_model()
    post_save.connect(_user_changed, sender=user, dispatch_uid="page-cache-user-saved")
    post_delete.connect(_user_changed, sender=user, dispatch_uid="page-cache-user-deleted")
    m2m_changed.connect(_authors_changed, sender=Brief.authors.through, dispatch_uid="page-cache-authors")


# ----------------------------------------------------------------------------- the view decorator


def _not_modified(request, etag, last_modified):
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        return "*" in tags or etag in tags or etag.removeprefix("W/") in [t.removeprefix("W/") for t in tags]
    if_modified_since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return if_modified_since is not None and last_modified <= if_modified_since


class _Lookup:
    """Where a request's page lives in the cache, and the validators it is served with."""

    __slots__ = ("changed_at", "etag", "headers", "key")

    def __init__(self, request, state):
        url = request.build_absolute_uri()  # validates the host, as CommonMiddleware would
        digest = hashlib.sha256(f"{RELEASE}|{url}".encode()).hexdigest()[:20]
        self.changed_at = state["changed_at"]
        self.etag = quote_etag(f"{state['generation']}-{digest}")
        self.key = f"dealsite:page:{state['generation']}:{digest}"
        self.headers = {
            "ETag": self.etag,
            "Last-Modified": http_date(state["changed_at"]),
            "Cache-Control": f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, must-revalidate",
        }


def _lookup(request, allowed):
    """The request's _Lookup when its page may be cached (GET/HEAD, only `allowed` query
    parameters, cache on), else None; computed once per request (middleware, then the view)."""
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD") or not set(request.GET).issubset(allowed):
        return None
    lookup = getattr(request, "_page_cache_lookup", None)
    if lookup is None:
        state = current_state()
        if state is None:
            return None
        lookup = request._page_cache_lookup = _Lookup(request, state)
    return lookup


def _cached_entry(lookup):
    entry = local.get(lookup.key)
    if entry is None:
        entry = cache.get(lookup.key)
        if entry is not None:
            local.put(lookup.key, entry)
    return entry


def _answer(request, lookup, content_type, content):
    """The page, or a 304 when the client's copy is current; with the validators."""
    if _not_modified(request, lookup.etag, lookup.changed_at):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type=content_type)
    for name, value in lookup.headers.items():
        response[name] = value
    return response


def _hit(request, lookup):
    """The answer from the cache, or None when the page is not there. Only pages that exist are in
    the cache, so a conditional request for a missing page (If-None-Match: *) still gets its 404."""
    entry = _cached_entry(lookup)
    return _answer(request, lookup, *entry) if entry is not None else None


def cached_page(view=None, *, query_params=()):
    """Cache a public GET view's 200 responses under the content generation; answer 304s.

    Only requests whose query string uses nothing but `query_params` are cached (others are served
    directly), so arbitrary query strings cannot fill the cache. Hits are usually answered earlier,
    by PageCacheMiddleware; this serves the rest and fills the cache.
    """
    allowed = frozenset(query_params)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            lookup = _lookup(request, allowed)
            if lookup is None:
                return view(request, *args, **kwargs)
            response = _hit(request, lookup)
            if response is not None:
                return response
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            if hasattr(response, "render") and callable(response.render):
                response.render()
            entry = (response["Content-Type"], response.content)
            if not _in_own_transaction():
                cache.set(lookup.key, entry, timeout=settings.PAGE_CACHE_TIMEOUT)
                local.put(lookup.key, entry)
            return _answer(request, lookup, *entry)

        wrapper.cached_page = allowed  # the query parameters it caches (PageCacheMiddleware reads it)
        return wrapper

    return decorator(view) if view is not None else decorator


class PageCacheMiddleware:
    """Answers hits and 304s of the cached public pages before the session, CSRF, auth and
    messages middleware and the view: those pages are the same for every visitor, so none of that
    work would change the response. Placed after the security and static-file middleware; adds the
    two headers the skipped middleware would (Content-Length, X-Frame-Options). Misses, and every
    other path, go through the whole stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE and request.method in ("GET", "HEAD"):
            allowed = _cached_page_params(request)
            lookup = _lookup(request, allowed) if allowed is not None else None
            response = _hit(request, lookup) if lookup is not None else None
            if response is not None:
                if response.status_code == 200:
                    response["Content-Length"] = str(len(response.content))
                response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
                return response
        return self.get_response(request)


def _cached_page_params(request):
    """The query parameters the view at the request's path caches, or None if it is not cached."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return getattr(match.func, "cached_page", None)
