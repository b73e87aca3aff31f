"""The API list's deals and parties stored at save time (briefs/api/stored_parts.py): the same JSON
as a full serialization, fewer queries, emptied with the page parts whoever writes, and never
written back by a save of an instance loaded before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.api.stored_parts import stored_api_parts
from briefs.models import Brief, Party
from tests.deal_builders import brief_about, deal_with
from tests.factories import make_brief, make_party

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(db):
    investor, target = make_party(name="Alpha Capital", slug="alpha"), make_party(name="Target Co", slug="target")
    for n in range(6):
        deal = deal_with(
            participants=[(investor, "investor", {"is_lead": True}), (target, "target")],
            amount=f"{n + 1}000000",
            name=f"Round {n}",
        )
        brief_about(deal, title=f"Round {n} brief", slug=f"round-{n}", parties=[(investor, "investor")])
    make_brief("No deal here.", title="Plain", slug="plain", parties=[(target, "target")])
    return investor


def listing(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/briefs/?page_size=50")
    assert response.status_code == 200
    return response.content, len(captured.captured_queries)


def test_saving_a_brief_stores_its_list_and_detail_parts(listed):
    for brief in Brief.objects.all():
        assert stored_api_parts(brief, "api_parts") is not None
        assert stored_api_parts(brief, "api_detail_parts") is not None


def read(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content, len(captured.captured_queries)


def test_the_stored_detail_is_the_full_serialization_in_fewer_queries(client, listed, settings):
    settings.DEALSITE_API = {**settings.DEALSITE_API, "RESPONSE_CACHE": False}
    urls = [f"/api/v1/briefs/{slug}/" for slug in Brief.objects.values_list("slug", flat=True)]
    stored = [read(client, url) for url in urls]
    Brief.objects.update(api_detail_parts="")
    full = [read(client, url) for url in urls]
    for url, (stored_body, stored_queries), (full_body, full_queries) in zip(urls, stored, full, strict=True):
        assert stored_body == full_body, url
        assert stored_queries < full_queries, url


def test_the_stored_list_is_the_full_serialization_in_fewer_queries(client, listed, settings):
    settings.DEALSITE_API = {**settings.DEALSITE_API, "RESPONSE_CACHE": False}
    stored, stored_queries = listing(client)
    Brief.objects.update(api_parts="")
    full, full_queries = listing(client)
    assert stored == full
    assert stored_queries < full_queries


def test_a_party_renamed_by_sql_empties_the_stored_parts_and_the_list_shows_it(client, listed, settings):
    settings.DEALSITE_API = {**settings.DEALSITE_API, "RESPONSE_CACHE": False}
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Party._meta.db_table} SET name = %s WHERE id = %s", ["Alpha Partners", listed.pk])
    for brief in Brief.objects.filter(party_links__party=listed):
        assert stored_api_parts(brief, "api_parts") is None and stored_api_parts(brief, "api_detail_parts") is None
    body, _ = listing(client)
    assert b"Alpha Partners" in body and b"Alpha Capital" not in body


def test_a_save_of_an_instance_loaded_before_never_writes_old_parts_back(listed):
    brief = Brief.objects.get(slug="round-0")
    assert brief.api_parts and brief.page_parts
    Party.objects.filter(pk=listed.pk).update(name="Alpha Partners")  # the triggers empty the parts
    brief.dek = "Edited after the rename."
    brief.save()
    saved = Brief.objects.get(pk=brief.pk)
    assert saved.dek == "Edited after the rename."
    assert saved.api_parts == saved.api_detail_parts == saved.page_parts == ""


def test_parts_made_for_another_address_are_not_used(listed, settings):
    brief = Brief.objects.get(slug="round-0")
    settings.SITE_URL = "https://elsewhere.example"
    assert stored_api_parts(brief) is None


def test_staff_who_read_drafts_get_the_full_serialization(client, listed, admin_user, settings):
    settings.DEALSITE_API = {**settings.DEALSITE_API, "RESPONSE_CACHE": False}
    make_brief("Not yet.", title="A draft", slug="a-draft", published=False)
    client.force_login(admin_user)
    response = client.get("/api/v1/briefs/?page_size=50")
    assert response.status_code == 200 and b"A draft" in response.content


def test_the_sync_feed_shows_the_stored_parts_as_the_full_serialization(client, listed, settings):
    settings.DEALSITE_API = {**settings.DEALSITE_API, "RESPONSE_CACHE": False}
    stored, stored_queries = read(client, "/api/v1/briefs/sync/")
    Brief.objects.update(api_parts="")
    full, full_queries = read(client, "/api/v1/briefs/sync/")
    assert stored == full and stored_queries < full_queries
