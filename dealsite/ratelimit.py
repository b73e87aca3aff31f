"""Fixed-window request counters in the cache: the one rate-limit mechanism of the site and the API.

At most N requests per client per window; a hit costs one cache increment (atomic with Redis),
whatever the rate, where DRF's default keeps every request time in a list. ``Retry-After`` is the
time left in the window.

On Redis a hit is one round trip on a client made once per process: a pipeline of SET NX (the
window's counter, with its expiry, if it is missing) and INCR. It cannot outlive its window: the
counter expires a second after the window ends, and every request of the window comes before. Django's
``cache.incr()`` costs two round trips (an EXISTS, then the INCR), a window's first request three, and
each operation makes a new client object: 127 µs of CPU a hit against 41 µs, on every API request,
cached or not. Django's cache API has no "increment, creating with an expiry", hence the client.
"""

import time
from dataclasses import dataclass

import redis
from django.conf import settings
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
    count = _count(f"ratelimit:{ident}:{window}", timeout=seconds + 1)
    return Verdict(count <= limit, max(1, round((window + 1) * seconds - now)))


def _count(key, timeout):
    """The counter at `key` after adding one, created (expiring in `timeout` seconds) if missing."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        key = cache.make_and_validate_key(key)
        pipeline = _client(settings.CACHES["default"]["LOCATION"]).pipeline(transaction=False)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[-1]
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request
        return 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)


_clients = {}


def _client(location):
    """This process's client of the server the cache writes to (the first of LOCATION's, as Django's)."""
    servers = location.split(",") if isinstance(location, str) else location
    client = _clients.get(servers[0])
    if client is None:
        client = _clients[servers[0]] = redis.Redis.from_url(servers[0])
    return client
