"""Token authentication whose failures are counted and locked out by django-axes.

Wrong tokens count as failed sign-ins of one pseudo-account per address (dealsite/lockout.py), so
an address that guesses tokens is locked out after AXES_FAILURE_LIMIT of them, with growing
delays, while an editor with a good token elsewhere is unaffected. A locked-out address gets 429
with Retry-After before its token is even looked up. An address with no recent failure (a cache
key, set on failure for as long as a lockout could last) skips the lockout lookup, so a good token
costs no extra query.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled

from dealsite.lockout import MAX_COOL_OFF, cool_off

TOKEN_PSEUDO_ACCOUNT = "api-token"
RECENT_FAILURE_KEY = "api-token-failures:{}"


class LockingTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        if not self.get_header_present(request):
            return None
        credentials = {"username": TOKEN_PSEUDO_ACCOUNT}
        django_request = request._request
        recent_failure = RECENT_FAILURE_KEY.format(get_client_ip_address(django_request))
        if cache.get(recent_failure) and not AxesProxyHandler.is_allowed(django_request, credentials):
            raise _locked_out(django_request)
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            cache.set(recent_failure, True, timeout=int(MAX_COOL_OFF.total_seconds()))
            user_login_failed.send(sender=type(self), credentials=credentials, request=django_request)
            if not AxesProxyHandler.is_allowed(django_request, credentials):
                raise _locked_out(django_request) from None
            raise

    @staticmethod
    def get_header_present(request):
        return bool(request.META.get("HTTP_AUTHORIZATION", "").strip())


def _locked_out(request):
    wait = int(cool_off(request).total_seconds())
    return Throttled(
        wait=wait,
        detail=f"Too many invalid tokens from your address: try again in {max(1, round(wait / 60))} minute(s).",
    )
