"""The fixed-window counters behind every rate limit: counts, limits and expiry on the local cache
and on a real Redis, where a counted request costs one round trip."""

from unittest import mock

import pytest
from django.core.cache import caches

from dealsite import ratelimit

NOW = 1_800_000_030.0  # 30 s into a 60 s window


@pytest.mark.parametrize("backend", ["local", "redis"])
def test_requests_are_allowed_up_to_the_limit_in_a_window_and_counted_afresh_in_the_next(backend, request):
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    verdicts = [ratelimit.hit("client", 3, 60, now=NOW + n) for n in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_after == 27
    assert ratelimit.hit("other-client", 3, 60, now=NOW).allowed
    assert ratelimit.hit("client", 3, 60, now=NOW + 60).allowed  # the next window


def test_on_redis_the_counter_expires_a_second_after_its_window_ends(redis_cache):
    ratelimit.hit("client", 3, 60, now=NOW)  # 30 s before the window ends
    cache = caches["default"]
    key = cache.make_and_validate_key(f"ratelimit:client:{int(NOW // 60)}")
    assert cache.get(f"ratelimit:client:{int(NOW // 60)}") == 1  # the cache's own view of the counter
    assert cache._cache.get_client(key).ttl(key) in (30, 31)


def test_on_redis_a_counted_request_is_one_round_trip(redis_cache):
    from redis.connection import Connection

    ratelimit.hit("warm-up", 3, 60, now=NOW)  # the connection's own handshake is not counted
    sent = mock.patch.object(
        Connection, "send_packed_command", autospec=True, side_effect=Connection.send_packed_command
    )
    with sent as send:
        ratelimit.hit("client", 3, 60, now=NOW)  # the window's first request
        ratelimit.hit("client", 3, 60, now=NOW + 1)
    assert send.call_count == 2
