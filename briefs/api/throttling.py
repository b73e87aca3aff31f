"""Throttles that read their rates at request time, so settings can change them (tests, env)."""
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _LiveRate:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonThrottle(_LiveRate, AnonRateThrottle):
    pass


class UserThrottle(_LiveRate, UserRateThrottle):
    pass
