"""Throttles: the site's fixed-window counters (dealsite.ratelimit) with DRF's client identification,
and rates read at request time so settings can change them (tests, env)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from dealsite import ratelimit


class _FixedWindow:
    """At most N requests per client per window; Retry-After is the time left in the window."""

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
        self.verdict = ratelimit.hit(ident, self.num_requests, self.duration)
        return self.verdict.allowed

    def wait(self):
        return self.verdict.retry_after


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
