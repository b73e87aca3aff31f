"""Brute-force protection of sign-ins, with django-axes: its cool-off and its lockout response.

Axes counts failed sign-ins per account *and* address together (AXES_LOCKOUT_PARAMETERS), so a
stranger guessing an editor's password from elsewhere cannot lock the editor out. Wrong API tokens
count as failures of one pseudo-account per address (briefs.api.authentication), so token guessing
is locked out by address the same way. What this module adds to the library:

- growing delays: each lockout of the same account and address within a day doubles the cool-off
  (AXES_COOLOFF_TIME is this module's ``cool_off``), counted from axes' own failure log;
- the response: 429 with ``Retry-After`` and a message that says what happened and when to try
  again — the admin's sign-in page for people, the API's JSON error under /api/.
"""

import datetime

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone

MAX_COOL_OFF = datetime.timedelta(hours=24)


def _base():
    return datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def _failures_today(request, credentials=None):
    from axes.helpers import get_client_ip_address, get_client_username
    from axes.models import AccessFailureLog

    username = get_client_username(request, credentials or getattr(request, "axes_credentials", None))
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    since = timezone.now() - MAX_COOL_OFF
    return AccessFailureLog.objects.filter(username=username, ip_address=address, attempt_time__gte=since).count()


def cool_off(request=None):
    """The base cool-off, doubled for every earlier lockout of this account and address today."""
    if request is None:
        return _base()
    earlier_lockouts = max(0, _failures_today(request) // settings.AXES_FAILURE_LIMIT - 1)
    return min(_base() * 2**earlier_lockouts, MAX_COOL_OFF)


def lockout_response(request, original_response=None, credentials=None):
    wait = cool_off(request)
    seconds = int(wait.total_seconds())
    minutes = max(1, round(seconds / 60))
    message = (
        f"Too many failed sign-ins for this account from your address. Try again in {minutes} "
        f"minute{'s' if minutes != 1 else ''}, or ask an administrator to unlock it (Axes › Access attempts)."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"status": 429, "code": "locked_out", "detail": message}, status=429)
    else:
        page = render_to_string("admin/locked_out.html", {"message": message, "title": "Sign-in locked"}, request)
        response = HttpResponse(page, status=429)
    response["Retry-After"] = str(seconds)
    return response
