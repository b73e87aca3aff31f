"""HTTP caching for API reads: ETag/Last-Modified with 304s, Cache-Control, and a response cache.

The response cache stores rendered bytes under a key that includes the content version (a counter
bumped by database triggers on every write to a content table, in the writing transaction) and the
next scheduled go-live time. Reading both is one small query; the version is read before the content,
so an entry can only ever hold content at least as new as its key: it is never stale.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from ..models import Brief, ContentVersion
from ..models.briefs import LIVE_STATUSES
from .renderers import content_type_for
from .throttling import AnonThrottle

CACHEABLE_FORMATS = ("json", "jsonld")
CACHE_TIMEOUT = 60 * 60


def api_settings():
    return settings.DEALSITE_API


_STATE_SQL = {}


def _state_sql():
    sql = _STATE_SQL.get(connection.vendor)
    if sql is None:
        version_table = connection.ops.quote_name(ContentVersion._meta.db_table)
        brief_table = connection.ops.quote_name(Brief._meta.db_table)
        placeholders = ", ".join(["%s"] * len(LIVE_STATUSES))
        sql = _STATE_SQL[connection.vendor] = (
            f"SELECT (SELECT MAX(counter) FROM {version_table}), "
            f"(SELECT MIN(published_at) FROM {brief_table} WHERE status IN ({placeholders}) AND published_at > %s)"
        )
    return sql


_LIVE = [str(status) for status in LIVE_STATUSES]


def content_state():
    """(version, next go-live) in one query."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(), [*_LIVE, now])
        return cursor.fetchone()


class Entry(tuple):
    """(body, content_type, etag, last_modified): a plain tuple pickles and unpickles fastest."""

    __slots__ = ()

    def __new__(cls, body, content_type, etag, last_modified):
        return super().__new__(cls, (body, content_type, etag, last_modified))

    def __reduce__(self):
        return (Entry, tuple(self))

    body = property(lambda self: self[0])
    content_type = property(lambda self: self[1])
    etag = property(lambda self: self[2])
    last_modified = property(lambda self: self[3])


def _key(request, version, next_live, who, renderer_format):
    """Everything a cached representation depends on. Host and scheme are taken raw (every header
    that can change build_absolute_uri), which is finer than needed and cheap: CommonMiddleware has
    already validated the host."""
    meta = request.META
    raw = "|".join(
        [
            str(version),
            str(next_live),
            who,
            renderer_format,
            meta.get("wsgi.url_scheme", ""),
            meta.get("HTTP_X_FORWARDED_PROTO", ""),
            meta.get("HTTP_X_FORWARDED_HOST", ""),
            meta.get("HTTP_HOST", ""),
            meta.get("SERVER_NAME", ""),
            meta.get("SERVER_PORT", ""),
            request.path,
            "&".join(sorted(meta.get("QUERY_STRING", "").split("&"))),
        ]
    )
    return "api:resp:" + hashlib.sha1(raw.encode()).hexdigest()


def _who(user):
    return f"u{user.pk}" if user.is_authenticated else "anon"


def _finish(request, response, etag, last_modified, public=None):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if public is None:
        public = not request.user.is_authenticated
    if public:
        patch_cache_control(response, public=True, max_age=api_settings()["PUBLIC_MAX_AGE"])
    else:
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
    return conditional


class ConditionalReadMixin:
    """For DRF views: cached, conditional GETs (ETag and Last-Modified, 304s)."""

    response_cache = True  # False: no server-side cache, ETag from the bytes on every request

    def cached_read(self, request, compute):
        renderer = getattr(request, "accepted_renderer", None)
        if (
            request.method not in ("GET", "HEAD")
            or renderer is None
            or renderer.format not in CACHEABLE_FORMATS
            or not api_settings()["RESPONSE_CACHE"]
            or not self.response_cache
        ):
            return compute()
        version, next_live = content_state()
        key = _key(request, version, next_live, _who(request.user), renderer.format)
        entry = cache.get(key)
        if entry is None:
            response = compute()
            if response.status_code != 200:
                return response
            response.accepted_renderer = renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            response.render()
            body = bytes(response.content)
            entry = Entry(
                body=body,
                content_type=content_type_for(renderer),
                etag=self.representation_etag(key, body, renderer.format),
                # When this representation was made, rounded up to HTTP's whole seconds: never
                # earlier than its last change (an item's updated_at would miss removals from a list).
                last_modified=math.ceil(time.time()),
            )
            cache.set(key, entry, CACHE_TIMEOUT)
        response = HttpResponse(entry.body, content_type=entry.content_type)
        return _finish(request, response, entry.etag, entry.last_modified)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Uncached reads (browsable API, cache off): ETag from the rendered bytes.
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("ETag")
            and hasattr(response, "accepted_renderer")
        ):
            response.render()
            etag = self.representation_etag(None, bytes(response.content), response.accepted_renderer.format)
            return _finish(request, response, etag, None)
        return response

    def representation_etag(self, key, body, renderer_format):
        """The strong ETag of a rendered representation (`key`: its response-cache key, if cached)."""
        seed = key.encode() if key is not None else b""
        return '"' + hashlib.sha1(seed + body).hexdigest()[:32] + '"'


# --- Fast path for anonymous cache hits ---------------------------------------------------------
# An anonymous GET whose Accept header needs no negotiation is answered from the response cache
# by ApiResponseCacheMiddleware, before the rest of the stack: same key, same headers, same
# throttle. Anything else (tokens, sessions, ?format=, unusual Accept headers, misses) takes the
# normal path through DRF, which fills the cache.


def _simple_format(request, renderer_formats):
    """The renderer format DRF would pick, when the Accept header makes that obvious; else None."""
    accept = request.META.get("HTTP_ACCEPT", "").strip()
    if not accept or accept == "*/*":
        return renderer_formats[0]
    media_type = accept.split(";", 1)[0].strip()
    if "," in accept:
        return None
    if media_type == "application/json" and "json" in renderer_formats:
        return "json"
    if media_type == "application/ld+json" and "jsonld" in renderer_formats:
        return "jsonld"
    return None


def anonymous_cache_hit(request, renderer_formats):
    meta = request.META
    if (
        request.method not in ("GET", "HEAD")
        or "HTTP_AUTHORIZATION" in meta
        or f"{settings.SESSION_COOKIE_NAME}=" in meta.get("HTTP_COOKIE", "")  # maybe logged in
        or "format=" in meta.get("QUERY_STRING", "")
        or not api_settings()["RESPONSE_CACHE"]
    ):
        return None
    renderer_format = _simple_format(request, renderer_formats)
    if renderer_format not in CACHEABLE_FORMATS:
        return None
    version, next_live = content_state()
    entry = cache.get(_key(request, version, next_live, "anon", renderer_format))
    if entry is None or not AnonThrottle().allow_known_anonymous(request):
        return None  # DRF's path computes it (or answers 429 in the API's error format)
    body, content_type, etag, last_modified = entry
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        response = HttpResponse(body, content_type=content_type)
        patch_vary_headers(response, ["Accept"])
        return _finish(request, response, etag, last_modified, public=True)
    # The common case, with the same headers _finish() gives an anonymous response.
    response = HttpResponse(body, content_type=content_type)
    headers = response.headers
    headers["ETag"] = etag
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    headers["Cache-Control"] = f"public, max-age={api_settings()['PUBLIC_MAX_AGE']}"
    headers["Vary"] = "Accept, Authorization, Cookie"
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS  # XFrameOptionsMiddleware is skipped
    return response
