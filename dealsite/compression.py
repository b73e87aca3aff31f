"""gzip for HTML and JSON responses, decided in one place.

A response is compressed when the client accepts gzip, it is HTML or JSON (JSON-LD and other +json
types too), large enough to gain, not streamed and not already encoded, and carries no CSRF token:
a page that reflects a secret next to request input is never compressed, so its length cannot leak
the secret (BREACH). Cached responses keep their gzip bytes beside the plain ones
(``compressed_body`` at store time, ``encode`` at answer time), so a cache hit costs no compression;
everything else is compressed on the way out by ``CompressionMiddleware``. Compressible responses say
``Vary: Accept-Encoding`` whichever encoding they were sent in, and a compressed one's ETag is weak,
since its bytes differ from the plain representation's.
"""

import gzip
import re

from django.conf import settings
from django.utils.cache import patch_vary_headers

MIN_SIZE = 200
LEVEL = 6
_COMPRESSIBLE = re.compile(r"^(text/html|application/json|application/[\w.+-]*\+json)\s*(;|$)", re.I)
_ACCEPTS_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))", re.I)


def compressible(content_type):
    return bool(_COMPRESSIBLE.match(content_type or ""))


def compressed_body(body, content_type):
    """The gzip bytes to store beside `body` in a cache, or None when it would not be compressed."""
    if not compressible(content_type) or len(body) < MIN_SIZE:
        return None
    return gzip.compress(body, compresslevel=LEVEL, mtime=0)


def accepts_gzip(request):
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def carries_csrf_token(request, response):
    """Whether a CSRF token went out with the response: Django's get_token() (every {% csrf_token %},
    every form view) leaves this key in request.META (CsrfViewMiddleware turns it to False once it
    has set the cookie, so its presence is what counts), and the token's cookie is set."""
    return "CSRF_COOKIE_NEEDS_UPDATE" in request.META or settings.CSRF_COOKIE_NAME in response.cookies


def encode(request, response, gzipped=None):
    """`response` in the encoding the request accepts: `gzipped` (its stored gzip bytes) when given,
    else compressed now. Returns the response, changed in place."""
    if response.status_code == 304:
        # A 304 has no body or Content-Type: it says what the 200 it stands for would have said.
        if gzipped is not None:
            patch_vary_headers(response, ["Accept-Encoding"])
            if accepts_gzip(request):
                _weaken_etag(response)
        return response
    if (
        response.streaming
        or response.has_header("Content-Encoding")
        or not compressible(response.get("Content-Type"))
        or carries_csrf_token(request, response)
        or len(response.content) < MIN_SIZE
    ):
        return response
    patch_vary_headers(response, ["Accept-Encoding"])
    if not accepts_gzip(request):
        return response
    body = gzipped if gzipped is not None else gzip.compress(response.content, compresslevel=LEVEL, mtime=0)
    if len(body) >= len(response.content):
        return response
    response.content = body
    response["Content-Length"] = str(len(body))
    response["Content-Encoding"] = "gzip"
    _weaken_etag(response)
    return response


def _weaken_etag(response):
    etag = response.get("ETag")
    if etag and not etag.startswith("W/"):
        response["ETag"] = f"W/{etag}"


class CompressionMiddleware:
    """Outermost but for the security headers: compresses what nothing before it did (cache hits
    come already encoded, from their stored bytes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return encode(request, self.get_response(request))
