"""The API's response cache: ETag/Last-Modified with 304s, Cache-Control, and rendered bytes kept
under the content state (see ``state`` and ``entries``), so a cached read is never stale.

ConditionalReadMixin serves DRF's list and retrieve through the cache and fills it. An anonymous
GET whose Accept header needs no negotiation is answered from that cache earlier, by
ApiResponseCacheMiddleware, before the rest of the stack: same key, same headers, same throttle.
Anything else (tokens, sessions, ?format=, unusual Accept headers, misses) takes the normal path
through DRF.
"""

import hashlib
import math
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from dealsite import compression

from ..api.renderers import content_type_for
from ..api.throttling import AnonThrottle
from .entries import (
    CACHE_STATUS,
    HIT,
    Entry,
    entry_key,
    identity_digest,
    local,
    made_once,
    read_entry,
    store_when_committed,
    with_validators,
)
from .state import request_state

CACHEABLE_FORMATS = ("json", "jsonld")
CACHE_TIMEOUT = 60 * 60


def api_settings():
    return settings.DEALSITE_API


def _key(request, state, who, renderer_format):
    """Everything a cached representation depends on. Host and scheme are taken raw (every header
    that can change build_absolute_uri), which is finer than needed and cheap: CommonMiddleware (or
    the early path's own host check) has already validated the host."""
    meta = request.META
    identity = "|".join(
        [
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
    return entry_key("api", state, identity_digest(identity))


def _who(user):
    return f"u{user.pk}" if user.is_authenticated else "anon"


def _cache_headers(response, public):
    if public:
        patch_cache_control(response, public=True, max_age=api_settings()["PUBLIC_MAX_AGE"])
    else:
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])


def _finish(request, response, etag, last_modified):
    _cache_headers(response, public=not request.user.is_authenticated)
    return with_validators(request, response, etag, last_modified)


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
        state = request_state(request)
        if state is None:
            return compute()
        key = _key(request, state, _who(request.user), renderer.format)
        entry = read_entry(key)
        status = HIT
        if entry is None:

            def make():
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
                    gzipped=compression.compressed_body(body, content_type_for(renderer)),
                )
                store_when_committed(key, entry, CACHE_TIMEOUT, also=local.put)
                return entry

            entry, status = made_once(key, make)
            if not isinstance(entry, Entry):
                return entry
        response = HttpResponse(entry.body, content_type=entry.content_type)
        response[CACHE_STATUS] = status
        return compression.encode(request, _finish(request, response, entry.etag, entry.last_modified), entry.gzipped)

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


# ----------------------------------------------------------------------------- early anonymous hits


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
    state = request_state(request)
    entry = read_entry(_key(request, state, "anon", renderer_format)) if state is not None else None
    if entry is None or not AnonThrottle().allow_known_anonymous(request):
        return None  # DRF's path computes it (or answers 429 in the API's error format)
    if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
        response = HttpResponse(entry.body, content_type=entry.content_type)
        response[CACHE_STATUS] = HIT
        patch_vary_headers(response, ["Accept"])
        _cache_headers(response, public=True)
        response = with_validators(request, response, entry.etag, entry.last_modified)
        return compression.encode(request, response, entry.gzipped)
    # The common case, with the same headers _finish() gives an anonymous response.
    response = HttpResponse(entry.body, content_type=entry.content_type)
    headers = response.headers
    headers[CACHE_STATUS] = HIT
    headers["ETag"] = entry.etag
    if entry.last_modified is not None:
        headers["Last-Modified"] = http_date(entry.last_modified)
    headers["Cache-Control"] = f"public, max-age={api_settings()['PUBLIC_MAX_AGE']}"
    headers["Vary"] = "Accept, Authorization, Cookie"
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS  # XFrameOptionsMiddleware is skipped
    return compression.encode(request, response, entry.gzipped)


class ApiResponseCacheMiddleware:
    """Answers anonymous GETs of /api/v1/ from the response cache before the rest of the middleware
    stack and URL resolution; everything else passes."""

    CACHED_PREFIX = "/api/v1/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith(self.CACHED_PREFIX) and request.method in ("GET", "HEAD"):
            request.get_host()  # the host check CommonMiddleware would make (DisallowedHost → 400)
            # The renderer DRF would choose by default: JSON-LD for annotation endpoints, else JSON.
            formats = ("jsonld", "json") if "/annotations/" in path else ("json",)
            response = anonymous_cache_hit(request, formats)
            if response is not None:
                return response
        return self.get_response(request)
