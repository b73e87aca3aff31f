"""One shown name for a user: the full name, else the username, in feeds, bylines and the admin."""

import pytest
from django.template import Context, Template

from briefs.services.presence import display_name

from .factories import make_brief
from .workflow_helpers import make_user as make_staff

pytestmark = pytest.mark.django_db


def make_user(username="bare", first_name="", last_name=""):
    return make_staff(username=username, first_name=first_name, last_name=last_name)


def test_the_full_name_is_shown_and_the_username_stands_in_for_a_missing_one():
    assert display_name(make_user(username="ann", first_name="Ann", last_name="Author")) == "Ann Author"
    assert display_name(make_user(username="bare")) == "bare"


def test_feeds_name_authors_the_same_way(client):
    brief = make_brief()
    brief.authors.add(make_user(username="ann", first_name="Ann", last_name="Author"), make_user(username="bare"))
    feed = client.get("/feed/atom/").content.decode()
    assert "<name>Ann Author, bare</name>" in feed


def test_admin_templates_use_the_same_name():
    template = Template("{% load briefs %}{{ full|display_name }}/{{ bare|display_name }}")
    context = Context({"full": make_user(username="ed", first_name="Ed", last_name="Itor"), "bare": make_user()})
    assert template.render(context) == "Ed Itor/bare"
