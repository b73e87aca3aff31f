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
