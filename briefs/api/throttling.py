"""Throttles: fixed-window counters in the cache (O(1) per request, atomic with Redis), with rates
read at request time so settings can change them (tests, env)."""

import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _FixedWindow:
    """At most N requests per client per window; Retry-After is the time left in the window.

    DRF's default keeps every request time in a list (cost grows with the rate); a counter per
    window does not.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        return self._allow(request, lambda: self.get_cache_key(request, view))

    def _allow(self, request, cache_key):
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        ident = cache_key()
        if ident is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        self.window_end = (window + 1) * self.duration
        self.now = now
        key = f"{ident}:{window}"
        try:
            count = cache.incr(key)
        except ValueError:  # first request of this window
            count = 1 if cache.add(key, 1, timeout=self.duration + 1) else cache.incr(key)
        return count <= self.num_requests

    def wait(self):
        return max(1, round(self.window_end - self.now))


class AnonThrottle(_FixedWindow, AnonRateThrottle):
    def allow_known_anonymous(self, request):
        """For a request known to carry no credentials: skips loading the (anonymous) user."""
        return self._allow(request, lambda: self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)})


class UserThrottle(_FixedWindow, UserRateThrottle):
    """Authenticated users only; anonymous requests are AnonThrottle's."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
