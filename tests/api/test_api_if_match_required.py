"""PUT and PATCH of every writable resource need If-Match: without it, 428 (RFC 6585) saying how to
get the ETag, and nothing is saved; a stale ETag stays 412; the current one is accepted."""

import pytest
from django.conf import settings

from briefs.models import Brief, Deal
from tests.factories import make_brief

from .conftest import make_user, token_client
from .deal_builders import make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    user = make_user(
        "careful",
        "briefs.view_brief",
        "briefs.change_brief",
        "briefs.view_deal",
        "briefs.change_deal",
        staff=True,
    )
    return token_client(user, read_before_write=False)


@pytest.fixture
def resources(db):
    brief = make_brief(slug="a-brief", published=False)
    deal = make_deal(slug="a-deal")
    return {
        "brief": ("/api/v1/briefs/a-brief/", {"title": "Overwritten"}, lambda: Brief.objects.get(pk=brief.pk).title),
        "deal": ("/api/v1/deals/a-deal/", {"name": "Overwritten"}, lambda: Deal.objects.get(pk=deal.pk).name),
    }


@pytest.mark.parametrize("resource", ["brief", "deal"])
@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_write_without_if_match_is_428_saying_how_to_get_the_etag_and_saves_nothing(api, resources, resource, method):
    url, change, saved_value = resources[resource]
    before = saved_value()
    response = getattr(api, method)(url, change, format="json")
    assert response.status_code == 428
    body = response.json()
    assert body["status"] == 428 and body["code"] == "precondition_required"
    assert "GET" in body["detail"] and "ETag" in body["detail"] and "If-Match" in body["detail"]
    assert body["etag_from"] == f"{settings.SITE_URL}{url}"
    assert saved_value() == before


@pytest.mark.parametrize("resource", ["brief", "deal"])
def test_an_empty_if_match_is_428_too(api, resources, resource):
    url, change, _ = resources[resource]
    assert api.patch(url, change, format="json", HTTP_IF_MATCH="  ").status_code == 428


@pytest.mark.parametrize("resource", ["brief", "deal"])
def test_the_etag_of_a_get_is_accepted_and_then_stale(api, resources, resource):
    url, change, saved_value = resources[resource]
    etag = api.get(url)["ETag"]
    assert api.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert saved_value() == "Overwritten"
    stale = api.patch(url, {**change, **{k: "Again" for k in change}}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    assert saved_value() == "Overwritten"


def test_the_schema_marks_if_match_required_with_412_and_428_on_every_put_and_patch(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    writes = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("put", "patch")
    ]
    assert {path for path, _, _ in writes} == {"/api/v1/briefs/{slug}/", "/api/v1/deals/{slug}/"}
    for path, method, operation in writes:
        [if_match] = [p for p in operation["parameters"] if p["name"] == "If-Match"]
        assert if_match["in"] == "header" and if_match["required"] is True, (path, method)
        assert {"412", "428"} <= set(operation["responses"]), (path, method)
