"""A brief's own responses are keyed by its freshness: a write invalidates the pages that show it and
leaves every other brief's cached page valid, whoever wrote it (ORM, bulk update, raw SQL)."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from briefs import db_triggers
from briefs.models import Annotation, Brief, BriefDeal, BriefFreshness
from briefs.services.page_parts import store_parts
from tests.deal_builders import brief_about, deal_with
from tests.factories import make_brief, make_party

pytestmark = pytest.mark.django_db(transaction=True)

HIT, MISS = "dealsite; hit", "dealsite; fwd=miss; stored"


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.PAGE_CACHE = True
    settings.DEALSITE_API = {**settings.DEALSITE_API, "RESPONSE_CACHE": True}


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response["Cache-Status"], response.content.decode()


def warm(client, *urls):
    for url in urls:
        served(client, url)
        assert served(client, url)[0] == HIT, url


def own_urls(slug):
    return (f"/briefs/{slug}/", f"/api/v1/briefs/{slug}/", f"/api/v1/briefs/{slug}/annotations/")


@pytest.fixture
def two_briefs(db):
    investor = make_party(name="Alpha Capital", slug="alpha")
    first = make_brief(
        "[Alpha Capital](party:alpha) invests.", title="First brief", slug="first", parties=[(investor, "investor")]
    )
    second = make_brief("An unrelated story.", title="Second brief", slug="second")
    return first, second


def test_saving_one_brief_leaves_the_other_briefs_cached_responses_valid(client, two_briefs):
    first, second = two_briefs
    warm(client, *own_urls("first"), *own_urls("second"), "/", "/api/v1/briefs/")
    first.dek = "A new summary of the first."
    first.save()
    for url in own_urls("second"):
        assert served(client, url)[0] == HIT, url
    for url in ("/briefs/first/", "/api/v1/briefs/first/", "/", "/api/v1/briefs/"):
        status, body = served(client, url)
        assert status == MISS and "A new summary of the first." in body, url


def test_raw_sql_reaches_the_brief_it_writes_and_no_other(client, two_briefs):
    first, second = two_briefs
    warm(client, "/briefs/first/", "/briefs/second/")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Brief._meta.db_table} SET title = %s WHERE id = %s", ["Retitled by SQL", first.pk])
    status, body = served(client, "/briefs/first/")
    assert status == MISS and "Retitled by SQL" in body
    assert served(client, "/briefs/second/")[0] == HIT


def test_an_annotation_written_around_the_app_moves_its_brief(client, two_briefs):
    first, _ = two_briefs
    warm(client, "/api/v1/briefs/first/annotations/")
    before = BriefFreshness.objects.get(brief_id=first.pk).counter
    Annotation.objects.filter(brief=first).update(start=0)
    assert BriefFreshness.objects.get(brief_id=first.pk).counter > before


def test_storing_page_parts_again_does_not_move_the_page_key(client, two_briefs):
    """Parts emptied by a write are made again in the background; the page they make is the one
    already cached, so storing them must not invalidate it."""
    first, _ = two_briefs
    Brief.objects.filter(pk=first.pk).update(page_parts="")
    assert served(client, "/briefs/first/")[0] == MISS
    store_parts(first)
    assert Brief.objects.get(pk=first.pk).page_parts != ""
    assert served(client, "/briefs/first/")[0] == HIT


def test_a_linked_brief_retitled_or_withdrawn_shows_on_the_page_that_links_it(client, two_briefs):
    first, second = two_briefs
    first.related.add(second)
    assert "Second brief" in served(client, "/briefs/first/")[1]
    Brief.objects.filter(pk=second.pk).update(title="Second, retitled")
    assert "Second, retitled" in served(client, "/briefs/first/")[1]
    Brief.objects.filter(pk=second.pk).update(status="draft")
    assert "Second, retitled" not in served(client, "/briefs/first/")[1]


def test_briefs_about_one_deal_show_each_other_joining_changing_and_leaving(client):
    deal = deal_with(participants=[(make_party(name="Beta Corp", slug="beta"), "target")], amount="1000000")
    one = brief_about(deal, title="One about the deal", slug="one")
    assert "Another about the deal" not in served(client, "/briefs/one/")[1]
    other = brief_about(deal, title="Another about the deal", slug="another")
    assert "Another about the deal" in served(client, "/briefs/one/")[1]
    assert "One about the deal" in served(client, "/briefs/another/")[1]
    Brief.objects.filter(pk=other.pk).update(title="Another, retitled")
    assert "Another, retitled" in served(client, "/briefs/one/")[1]
    BriefDeal.objects.filter(brief=other).delete()
    assert "Another, retitled" not in served(client, "/briefs/one/")[1]
    assert one.pk != other.pk


def test_a_slug_given_to_another_brief_never_serves_the_old_briefs_page(client, two_briefs):
    first, second = two_briefs
    served(client, "/briefs/first/")
    Brief.objects.filter(pk=first.pk).update(slug="first-moved")
    Brief.objects.filter(pk=second.pk).update(slug="first")
    status, body = served(client, "/briefs/first/")
    assert status == MISS and "Second brief" in body and "First brief" not in body


def test_a_scheduled_brief_going_live_reaches_the_brief_pages_by_the_clock(client, two_briefs, time_machine):
    first, _ = two_briefs
    later = timezone.now() + datetime.timedelta(hours=1)
    scheduled = make_brief(title="Linked and scheduled", slug="soon", status="scheduled", published_at=later)
    first.related.add(scheduled)
    assert "Linked and scheduled" not in served(client, "/briefs/first/")[1]
    time_machine.move_to(later + datetime.timedelta(seconds=1))
    assert "Linked and scheduled" in served(client, "/briefs/first/")[1]


def installed_sqlite_triggers(prefix):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{prefix}_%"])
        return dict(cursor.fetchall())


@pytest.mark.parametrize("scope", ["brief", "party"])
def test_the_installed_triggers_are_the_live_definition(db, scope):
    """Every rule is installed, and the brief's triggers name every column a reader can see."""
    columns = db_triggers.brief_update_columns(apps)
    assert "title" in columns and "status" in columns and "page_parts" not in columns
    tables = {table for table, *_ in db_triggers.freshness_rules(apps, scope)}
    assert {"briefs_brief", "briefs_briefdeal", "briefs_party", "briefs_dealparticipant"} <= tables
    if scope == "brief":
        assert {"briefs_annotation", "corrections_correction"} <= tables
    prefix = db_triggers.SCOPES[scope][3]
    if connection.vendor == "sqlite":
        installed = installed_sqlite_triggers(prefix)
        expected = db_triggers.sqlite_freshness_triggers(apps, scope)
        assert len(installed) == len(expected)
        for statement in expected:
            name = statement.split()[5]
            assert installed[name] == statement.replace("CREATE TRIGGER IF NOT EXISTS", "CREATE TRIGGER"), name
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = %s",
                [db_triggers.freshness_trigger_name(scope, "briefs_brief")],
            )
            (definition,) = cursor.fetchone()
        for column in columns:
            assert column in definition, column
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s", [f"{prefix}_%"])
            assert cursor.fetchone()[0] == len(tables)
