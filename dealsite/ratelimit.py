"""Fixed-window request counters in the cache: the one rate-limit mechanism of the site and the API.

At most N requests per client per window; a hit costs one cache increment (atomic with Redis),
whatever the rate, where DRF's default keeps every request time in a list. ``Retry-After`` is the
time left in the window. A window's counter expires a second after the window ends.

On Redis a hit is one round trip: SET NX (the counter with its expiry, if it is missing) and INCR in
one MULTI/EXEC, on a client kept per cache backend over Django's own connection pool. Django's
``cache.incr()`` costs two round trips (an EXISTS, then the INCR) and a window's first request
three, and it makes a new client object for every operation: on every API request, cached or not,
that was more than half of what the throttle cost. Django's cache API has no "increment, creating
with an expiry", hence the client.
"""

import math
import time
import weakref
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends


def hit(ident, limit, seconds, now=None):
    """Count one request of `ident` in the current window of `seconds`; allowed while ≤ `limit`."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    left = (window + 1) * seconds - now
    count = _count(f"ratelimit:{ident}:{window}", timeout=math.ceil(left) + 1)
    return Verdict(count <= limit, max(1, round(left)))


def _count(key, timeout):
    """The counter at `key` after adding one, created (expiring in `timeout` seconds) if missing."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        key = cache.make_and_validate_key(key)
        pipeline = _client(cache).pipeline(transaction=True)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[-1]
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request
        return 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)


_clients = weakref.WeakKeyDictionary()


def _client(cache):
    """A Redis client of the server `cache` writes to, over the backend's own connection pool (its
    OPTIONS: password, TLS, timeouts), made once per backend."""
    backend = cache._cache  # Django's RedisCacheClient, made once per backend
    client = _clients.get(backend)
    if client is None:
        client = _clients[backend] = backend.get_client(write=True)
    return client
