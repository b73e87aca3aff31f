"""Brute-force protection: the admin sign-in and API tokens are locked out by django-axes."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client, override_settings
from django.urls import reverse

from tests.workflow_helpers import make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("admin:login")
PASSWORD = "pw-for-tests-only"


def _sign_in(client, username, password, address="10.1.1.1", next_url="/admin/"):
    return client.post(f"{LOGIN}?next={next_url}", {"username": username, "password": password}, REMOTE_ADDR=address)


@override_settings(AXES_FAILURE_LIMIT=5)
def test_five_wrong_passwords_lock_the_account_at_that_address_with_retry_after():
    editor = make_user("Editor")
    client = Client()
    for _ in range(4):
        assert _sign_in(client, editor.username, "wrong").status_code == 200  # the form again, with its error
    assert _sign_in(client, editor.username, "wrong").status_code == 429  # the fifth failure locks
    locked = _sign_in(client, editor.username, PASSWORD)  # the right password no longer gets in
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username=editor.username, locked_out=True).exists()  # logged


@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_stranger_elsewhere_cannot_lock_the_editor_out():
    editor = make_user("Editor")
    stranger = Client()
    for _ in range(8):
        _sign_in(stranger, editor.username, "guess", address="203.0.113.9")
    assert _sign_in(stranger, editor.username, PASSWORD, address="203.0.113.9").status_code == 429
    response = _sign_in(Client(), editor.username, PASSWORD, address="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/admin/"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_each_further_lockout_the_same_day_doubles_the_wait(time_machine):
    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    editor = make_user("Editor")
    client = Client()
    for _ in range(3):
        _sign_in(client, editor.username, "wrong")
    assert int(_sign_in(client, editor.username, "wrong")["Retry-After"]) == 15 * 60
    time_machine.shift(16 * 60)  # the first cool-off has passed
    for _ in range(3):
        _sign_in(client, editor.username, "wrong")
    assert int(_sign_in(client, editor.username, "wrong")["Retry-After"]) >= 30 * 60


def test_an_administrator_unlocks_by_deleting_the_attempt():
    editor = make_user("Editor")
    client = Client()
    for _ in range(6):
        _sign_in(client, editor.username, "wrong")
    admin = Client()
    admin.force_login(make_user("admin"))
    attempt = AccessAttempt.objects.get(username=editor.username)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and editor.username in listing.content.decode()
    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert _sign_in(client, editor.username, PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=5)
def test_invalid_api_tokens_lock_out_the_address_with_retry_after():
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    good = Token.objects.create(user=make_user("Editor"))
    guesser = APIClient(REMOTE_ADDR="203.0.113.5")
    codes = [guesser.get("/api/v1/briefs/", HTTP_AUTHORIZATION=f"Token wrong{n:036d}").status_code for n in range(6)]
    assert codes[:4] == [401] * 4 and codes[4:] == [429, 429]
    locked = guesser.get("/api/v1/briefs/", HTTP_AUTHORIZATION=f"Token {good.key}")
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert locked.json()["status"] == 429
    elsewhere = APIClient(REMOTE_ADDR="198.51.100.1")
    assert elsewhere.get("/api/v1/briefs/", HTTP_AUTHORIZATION=f"Token {good.key}").status_code == 200


def test_an_off_site_next_lands_on_the_admin():
    editor = make_user("Editor")
    response = _sign_in(Client(), editor.username, PASSWORD, next_url="https://evil.example/")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
