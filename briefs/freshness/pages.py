"""Whole-response caching for the public pages that never serves stale content.

A page's cache key and its ETag are made of the release, the content state (see ``state``: a
brief's own freshness for its page, the content version for the rest) and the absolute URL, so a
change invalidates every page that shows it and its ETag at once; Last-Modified is when
the state was first seen (kept in the shared cache, so all processes agree). Pages are stored in the
default cache and each process keeps its most recent ones in memory (an LRU bounded in bytes,
``PAGE_CACHE_LOCAL_BYTES``); both are keyed by the state, so neither can be stale, and the default
local-memory cache is correct with any number of processes. Responses are the same for every
visitor, so none of this reads the session.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.http import quote_etag

from dealsite.compression import compressed_body

from .entries import Entry, answer, entry_key, identity_digest, local, made_once, read_entry, store_when_committed
from .state import request_state, resolved

STATE_TIME_KEY = "dealsite:page-state:{}"


def _first_seen(state):
    """When this process or any other first saw the state: the Last-Modified of its pages."""
    changed_at = local.get_time(state.generation)
    if changed_at is None:
        key = STATE_TIME_KEY.format(state.generation)
        cache.add(key, int(time.time()), timeout=settings.PAGE_CACHE_TIMEOUT)
        changed_at = cache.get(key) or int(time.time())
        local.put_time(state.generation, changed_at)
    return changed_at


class _Lookup:
    """Where a request's page lives in the cache, and the ETag it is served with."""

    __slots__ = ("etag", "key", "state")

    def __init__(self, request, state):
        digest = identity_digest(request.build_absolute_uri())  # validates the host, as CommonMiddleware would
        self.state = state
        self.key = entry_key("page", state, digest)
        self.etag = quote_etag(f"{state.generation}-{digest}")


def _lookup(request, allowed):
    """The request's _Lookup when its page may be cached (GET/HEAD, only `allowed` query
    parameters, cache on, a content state to key it by), else None."""
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD") or not set(request.GET).issubset(allowed):
        return None
    state = request_state(request)
    return _Lookup(request, state) if state is not None else None


def _headers():
    return {"Cache-Control": f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, must-revalidate"}


def _hit(request, lookup):
    """The answer from the cache, or None when the page is not there. Only pages that exist are in
    the cache, so a conditional request for a missing page (If-None-Match: *) still gets its 404."""
    entry = read_entry(lookup.key)
    return answer(request, entry, _headers()) if entry is not None else None


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

            def make():
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return response
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                content_type = response["Content-Type"]
                entry = Entry(
                    response.content,
                    content_type,
                    lookup.etag,
                    _first_seen(lookup.state),
                    compressed_body(response.content, content_type),
                )
                store_when_committed(lookup.key, entry, settings.PAGE_CACHE_TIMEOUT, also=local.put)
                return entry

            made, status = made_once(lookup.key, make)
            return answer(request, made, _headers(), status=status) if isinstance(made, Entry) else made

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
    match = resolved(request)
    return getattr(match.func, "cached_page", None) if match is not None else None
