"""A cache hit is one round trip on every database: the content-state query stands in for Django's
connection health check, and a connection the database dropped is still replaced."""

import pytest
from django.db import connection, connections

from tests.factories import make_brief

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cached_page(settings, client):
    settings.PAGE_CACHE = True
    make_brief("A story.", title="Checked", slug="checked")
    assert client.get("/briefs/checked/").status_code == 200  # stores it
    return "/briefs/checked/"


def as_next_request():
    """What Django does between two requests on a reused connection (close_if_unusable_or_obsolete),
    which the test client skips so as to keep the test database's connection."""
    connection.health_check_done = False


def test_a_hit_on_a_reused_connection_makes_no_separate_health_check(client, cached_page, monkeypatch):
    assert connection.health_check_enabled
    checks = []
    wrapper = type(connections["default"])
    original = wrapper.is_usable
    monkeypatch.setattr(wrapper, "is_usable", lambda self: checks.append(1) or original(self))
    as_next_request()
    response = client.get(cached_page)
    assert response["Cache-Status"] == "dealsite; hit"
    assert checks == []


@pytest.mark.postgres
def test_a_connection_the_database_dropped_is_replaced_before_the_hit(client, cached_page, postgres_only):
    import psycopg

    pid = connection.connection.info.backend_pid
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    as_next_request()
    response = client.get(cached_page)
    assert response.status_code == 200 and response["Cache-Status"] == "dealsite; hit"
    assert connection.connection.info.backend_pid != pid


def test_the_state_query_reads_the_next_go_live_time_off_the_live_index(db):
    """Through bound parameters SQLite cannot use the partial index on the live statuses and reads
    every brief on every cache hit; the statuses are written into the SQL instead."""
    from briefs.freshness.state import _state_sql

    make_brief("Indexed.", slug="indexed")
    sql = _state_sql(None)
    if connection.vendor != "sqlite":
        assert "'published'" in sql
        return
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", ["2026-01-01 00:00:00"])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "brief_live_latest_idx" in plan, plan
