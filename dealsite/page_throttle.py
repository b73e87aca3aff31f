"""Per-address limits on the public pages that are expensive when they are not in the page cache.

Search results (any /search/ request with a query), the deals table and league tables with
filters, the deals exports (always), and deep list pages (``?page=N`` beyond the
first few) are rendered for each request; the rest is served from the page cache, whose hits this
middleware never sees (it sits after PageCacheMiddleware). A client over the limit gets a friendly
429 page with ``Retry-After``, at the cost of one cache increment per counted request
(dealsite.ratelimit). Addresses are the ones sign-in lockouts use (TRUSTED_PROXY_COUNT).
"""

import re

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import render

from . import ratelimit

_RATE = re.compile(r"^(\d+)/(s|sec|m|min|h|hour)$")
_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600}


def parse_rate(rate):
    """A rate such as 30/min as (30, 60)."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ValueError(f"PAGE_THROTTLE_RATE must look like 30/min, not {rate!r}")
    return int(match.group(1)), _SECONDS[match.group(2)]


# Rendered for each request that asks something (the pages without a query are cached).
RENDERED_WHEN_ASKED = ("/search/", "/deals/", "/deals/league/")
# Never cached: the deals exports stream the whole filtered set each time.
ALWAYS_RENDERED = ("/deals/export.csv", "/deals/export.json")


def is_expensive(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path in ALWAYS_RENDERED or (request.path in RENDERED_WHEN_ASKED and request.GET):
        return True
    page = request.GET.get("page", "")
    return page.isdigit() and int(page) > settings.PAGE_THROTTLE_FREE_PAGES


class PageThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_THROTTLE_RATE and is_expensive(request):
            limit, seconds = parse_rate(settings.PAGE_THROTTLE_RATE)
            verdict = ratelimit.hit(f"pages:{get_client_ip_address(request)}", limit, seconds)
            if not verdict.allowed:
                response = render(request, "429.html", {"retry_after": verdict.retry_after}, status=429)
                response["Retry-After"] = str(verdict.retry_after)
                return response
        return self.get_response(request)
