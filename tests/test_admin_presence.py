"""The Workflow box's "also open by": hidden while nobody else is there, and someone whose tab closed
is gone from it within 30 seconds (a goodbye beacon, else the heartbeat's expiry)."""

import re
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from briefs.services import presence

from .factories import make_brief
from .test_admin_briefs import change_url
from .workflow_helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def presence_box(page):
    return re.search(r'<p id="briefs-presence"[^>]*>.*?</p>', page, re.S).group(0)


def test_the_presence_bar_is_hidden_when_nobody_else_has_the_brief_open(client):
    brief = make_brief("Text.", published=False)
    client.force_login(make_user("Editor"))
    box = presence_box(client.get(change_url(brief)).content.decode())
    assert " hidden>" in box and re.fullmatch(r"<p [^>]*></p>", box)  # no text, no whitespace, not shown


def test_the_presence_bar_names_the_others_and_carries_the_heartbeat_interval(client):
    brief = make_brief("Text.", published=False)
    presence.heartbeat(brief.pk, make_user("Editor", first_name="Alice", last_name="Ames"))
    client.force_login(make_user("Editor"))
    box = presence_box(client.get(change_url(brief)).content.decode())
    assert "hidden" not in box and "Also open by: <strong>Alice Ames</strong>" in box
    assert f'data-interval="{presence.heartbeat_interval()}"' in box


def test_a_closed_tab_leaves_the_others_list_within_30_seconds_even_without_its_goodbye(monkeypatch):
    brief = make_brief("Text.", published=False)
    alice, bob = make_user("Editor"), make_user("Editor")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    presence.heartbeat(brief.pk, alice)  # Alice's last heartbeat; then her tab dies silently
    # Bob sees the list as of his own heartbeats, one interval apart: the worst case is the one
    # just before Alice's entry expires plus one interval.
    worst = presence._ttl() + presence.heartbeat_interval()
    assert worst <= 30
    monkeypatch.setattr(time, "time", lambda: now + presence._ttl())
    assert presence.heartbeat(brief.pk, bob) == []


def test_the_goodbye_beacon_removes_the_editor_at_once(client):
    brief = make_brief("Text.", published=False)
    alice, bob = make_user("Editor"), make_user("Editor")
    presence.heartbeat(brief.pk, bob)
    client.force_login(bob)
    response = client.post(reverse("briefs:presence", args=[brief.pk]), {"leave": "1"})
    assert response.status_code == 200
    assert presence.heartbeat(brief.pk, alice) == []
