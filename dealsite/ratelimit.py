"""Fixed-window request counters in the cache: the one rate-limit mechanism of the site and the API.

At most N requests per client per window; a hit costs one cache increment (atomic with Redis),
whatever the rate, where DRF's default keeps every request time in a list. ``Retry-After`` is the
time left in the window.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends


def hit(ident, limit, seconds, now=None):
    """Count one request of `ident` in the current window of `seconds`; allowed while ≤ `limit`."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    key = f"ratelimit:{ident}:{window}"
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first request
        count = 1 if cache.add(key, 1, timeout=seconds + 1) else cache.incr(key)
    return Verdict(count <= limit, max(1, round((window + 1) * seconds - now)))
