"""Corrections in the API (on the brief detail, the corrections list, POST with the permission,
If-Match and JSON errors; 410 for a withdrawn once-public brief), in the admin, and as a
brief.corrected webhook delivery."""

import json

import pytest
from django.urls import reverse

from briefs.models import Brief
from briefs.services import workflow
from corrections.models import Correction
from tests.api.conftest import make_user as make_api_user
from tests.api.conftest import token_client
from tests.committing import as_committed
from tests.deal_builders import brief_about, sourced_deal
from tests.webhooks.test_webhooks import commit, receiver, subscription  # noqa: F401 (fixtures)
from tests.workflow_helpers import make_user

from .helpers import BODY, corrected_brief

pytestmark = pytest.mark.django_db

CORRECTION = {"was": "It hired 160 people.", "text": "It hired 140 people, not 160.", "passage": "160 people"}


@pytest.fixture
def live_brief():
    return brief_about(sourced_deal(), body=BODY, slug="live-brief")


@pytest.fixture
def corrector():
    return make_api_user("corrector", "corrections.add_correction", "briefs.view_brief", staff=True)


def post(api, slug, data, **headers):
    """POST a correction with the brief's current ETag as If-Match unless the caller gives one."""
    if "HTTP_IF_MATCH" not in headers:
        read = api.get(f"/api/v1/briefs/{slug}/")
        if "ETag" in read:
            headers["HTTP_IF_MATCH"] = read["ETag"]
    return api.post(f"/api/v1/briefs/{slug}/corrections/", data, format="json", **headers)


def test_a_correction_without_if_match_is_428_and_publishes_nothing(live_brief, corrector):
    api = token_client(corrector, read_before_write=False)
    response = api.post("/api/v1/briefs/live-brief/corrections/", CORRECTION, format="json")
    assert response.status_code == 428 and response.json()["etag_from"].endswith("/api/v1/briefs/live-brief/")
    assert api.get("/api/v1/corrections/").json()["results"] == []


def test_a_correction_through_the_api_is_on_the_brief_detail_and_the_corrections_list(live_brief, corrector):
    response = post(token_client(corrector), "live-brief", CORRECTION)
    assert response.status_code == 201, response.json()
    assert response.json()["page_url"].endswith("/briefs/live-brief/#correction-correction-1")
    assert response["Location"] == response.json()["page_url"]
    detail = token_client(make_api_user("reader")).get("/api/v1/briefs/live-brief/").json()
    (shown,) = detail["corrections"]
    assert (shown["kind"], shown["text"], shown["was"]) == ("correction", CORRECTION["text"], CORRECTION["was"])
    assert [entry["kind"] for entry in detail["change_log"]] == ["correction", "published"]
    assert "(correction:correction-1)" in detail["body"]
    listed = token_client(make_api_user("anyone")).get("/api/v1/corrections/").json()
    assert [item["brief"]["slug"] for item in listed["results"]] == ["live-brief"]


def test_posting_a_correction_needs_the_permission(live_brief):
    writer = make_api_user("writer", "briefs.change_brief", "briefs.publish_brief", staff=True)
    response = post(token_client(writer), "live-brief", CORRECTION)
    assert response.status_code == 403
    assert response.json()["status"] == 403
    assert post(__import__("rest_framework.test").test.APIClient(), "live-brief", CORRECTION).status_code in (401, 403)
    assert not Correction.objects.exists()


def test_api_errors_name_each_field_in_json(live_brief, corrector):
    response = post(token_client(corrector), "live-brief", {"was": "", "text": "x", "passage": "not there"})
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"was", "passage"} <= fields


def test_a_draft_has_no_corrections_resource(corrector):
    brief_about(sourced_deal(), body=BODY, slug="a-draft", published=False)
    assert post(token_client(corrector), "a-draft", CORRECTION).status_code == 404
    assert token_client(corrector).get("/api/v1/briefs/a-draft/corrections/").status_code == 404


def test_a_stale_if_match_is_412_and_a_current_one_is_accepted(live_brief, corrector):
    api = token_client(corrector)
    stale = f'"brief-{live_brief.pk}-v{live_brief.version - 1}"' if live_brief.version > 1 else None
    current = f'"brief-{live_brief.pk}-v{live_brief.version}"'
    if stale:
        assert post(api, "live-brief", CORRECTION, HTTP_IF_MATCH=stale).status_code == 412
    with as_committed():
        Brief.objects.filter(pk=live_brief.pk).update(version=live_brief.version + 1)
    response = post(api, "live-brief", CORRECTION, HTTP_IF_MATCH=current)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    fresh = f'"brief-{live_brief.pk}-v{live_brief.version + 1}"'
    assert post(api, "live-brief", CORRECTION, HTTP_IF_MATCH=fresh).status_code == 201


def test_the_api_detail_of_a_withdrawn_once_public_brief_is_410_and_a_draft_404(live_brief):
    with as_committed():
        workflow.withdraw(live_brief, make_user("Editor"), comment="Never agreed.")
    response = token_client(make_api_user("reader")).get("/api/v1/briefs/live-brief/")
    assert response.status_code == 410
    body = response.json()
    assert (body["status"], body["code"], body["reason"]) == (410, "gone", "Never agreed.")
    brief_about(sourced_deal(), body=BODY, slug="draft-slug", published=False)
    assert token_client(make_api_user("other")).get("/api/v1/briefs/draft-slug/").status_code == 404
    assert b"live-brief" not in token_client(make_api_user("third")).get("/api/v1/briefs/").content


@pytest.mark.parametrize("count", [1, 6])
def test_the_api_detail_reads_corrections_in_constant_queries(count, django_assert_max_num_queries):
    brief, _, editor = corrected_brief()
    from corrections.publishing import publish_correction

    for n in range(count - 1):
        publish_correction(brief, editor, kind="update", text=f"Update {n}.")
    api = token_client(make_api_user("reader"))
    with django_assert_max_num_queries(22):
        assert api.get(f"/api/v1/briefs/{brief.slug}/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/corrections/").status_code == 200


def test_a_correction_through_the_admin_is_published(client, live_brief):
    editor = make_user("Editor")
    client.force_login(editor)
    url = reverse("admin:corrections_correction_add") + f"?brief={live_brief.pk}"
    assert b"Publish a correction" in client.get(url).content
    response = client.post(url, {"brief": live_brief.pk, "kind": "correction", **CORRECTION, "body": ""})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Correction.objects.get().by == editor
    page = client.get(live_brief.get_absolute_url()).content.decode()
    assert "corrections-box" in page and CORRECTION["text"] in page


def test_the_admin_refuses_a_correction_without_the_permission_and_offers_one_before_withdrawal(client, live_brief):
    writer = make_user("Writer")
    client.force_login(writer)
    assert client.get(reverse("admin:corrections_correction_add")).status_code == 403
    client.force_login(make_user("Editor"))
    change = client.get(reverse("admin:briefs_brief_change", args=[live_brief.pk])).content.decode()
    assert "Publish a correction" in change and "before you withdraw it" in change


def test_a_correction_is_a_signed_brief_corrected_delivery(receiver, subscription, django_capture_on_commit_callbacks):  # noqa: F811
    brief, correction, _ = commit(django_capture_on_commit_callbacks, corrected_brief)
    assert "brief.corrected" in receiver.events()
    body = next(json.loads(b) for _, b in receiver.requests if json.loads(b)["event"] == "brief.corrected")
    assert body["brief"]["slug"] == brief.slug
    assert body["correction"]["text"] == correction.text and body["correction"]["kind"] == "correction"


def test_the_openapi_schema_names_every_field_the_brief_detail_sends(live_brief, corrector):
    assert post(token_client(corrector), "live-brief", CORRECTION).status_code == 201
    api = token_client(make_api_user("schema-reader"))
    schema = api.get("/api/schema/?format=json").json()
    detail = schema["components"]["schemas"]["BriefDetail"]
    sent = api.get("/api/v1/briefs/live-brief/").json()
    assert set(sent) <= set(detail["properties"]) and {"corrections", "change_log"} <= set(detail["required"])
    assert detail["properties"]["corrections"]["items"] == {"$ref": "#/components/schemas/Correction"}
    assert set(sent["corrections"][0]) <= set(schema["components"]["schemas"]["Correction"]["properties"])
