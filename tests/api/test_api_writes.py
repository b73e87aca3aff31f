"""Nested writes: one request, one transaction, the admin's markup validation, model permissions."""

import json

import pytest

from briefs.models import Annotation, Brief, BriefParty, Note
from tests.factories import make_brief, make_party, make_quote, make_source

from .conftest import make_user, token_client
from .deal_builders import amount, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    amazon, anthropic = make_party(slug="amazon", name="Amazon"), make_party(slug="anthropic", name="Anthropic")
    jassy = make_party(slug="andy-jassy", name="Andy Jassy", kind="person")
    techcrunch = make_source(key="techcrunch")
    quote = make_quote(key="jassy-bedrock", speaker=jassy, source=techcrunch, text="Customers are quite excited")
    figures = [amount("1250000000", source=techcrunch), amount("4000000000", kind="up_to", source=techcrunch)]
    deal = make_deal(slug="amazon-anthropic-deal", figures=figures)
    return {
        "amazon": amazon,
        "anthropic": anthropic,
        "jassy": jassy,
        "techcrunch": techcrunch,
        "quote": quote,
        "deal": deal,
    }


BODY = (
    "[Amazon](party:amazon) will invest [up to $4 billion](source:techcrunch) in [Anthropic](party:anthropic).\n\n"
    "[Andy Jassy](party:andy-jassy) said [“Customers are quite excited”](quote:jassy-bedrock) about "
    "[Claude-Next](note:claude-next) 🚀."
)


def payload(**changes):
    data = {
        "title": "Amazon to invest up to $4 billion in Anthropic",
        "slug": "amazon-anthropic",
        "dek": "A minority stake now, more later.",
        "body": BODY,
        "deals": [{"deal": "amazon-anthropic-deal"}],
        "parties": [
            {"party": "amazon", "role": "investor"},
            {"party": "anthropic", "role": "target"},
            {"party": "andy-jassy", "role": "mentioned"},
        ],
        "sources": [{"source": "techcrunch"}],
        "quotes": [{"quote": "jassy-bedrock"}],
        "notes": [{"key": "claude-next", "text": "Working name of the planned model."}],
    }
    data.update(changes)
    return data


def snapshot():
    return (
        list(Brief.objects.values_list("slug", "title", "status", "body")),
        list(BriefParty.objects.values_list("brief_id", "party_id", "role")),
        list(Note.objects.values_list("key", "text")),
        Annotation.objects.count(),
    )


def test_create_brief_with_all_links_in_one_request(catalogue, editor):
    response = token_client(editor).post("/api/v1/briefs/", payload(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == data["api_url"]
    assert data["status"] == "draft"
    # Saved, but not shown: the deal is public only once a published brief is about it, and this
    # editor may not view unpublished deals.
    assert data["deals"] == []
    assert [(p["party"]["slug"], p["role"]) for p in data["parties"]] == [
        ("amazon", "investor"),
        ("anthropic", "target"),
        ("andy-jassy", "mentioned"),
    ]
    assert {a["kind"] for a in data["annotations"]} == {"party", "source", "quote", "note"}
    assert "🚀" in data["body_text"]
    brief = Brief.objects.get(slug="amazon-anthropic")
    assert list(brief.authors.all()) == [editor]
    assert [link.deal.slug for link in brief.deal_links.all()] == ["amazon-anthropic-deal"]
    for annotation in brief.annotations.all():
        assert brief.body_text[annotation.start : annotation.end] == annotation.exact


def test_update_replaces_given_lists_and_keeps_the_others(catalogue, publisher):
    api = token_client(publisher)
    assert api.post("/api/v1/briefs/", payload(), format="json").status_code == 201
    body = "[Amazon](party:amazon) invests. [Claude-Next](note:claude-next)"
    response = api.patch(
        "/api/v1/briefs/amazon-anthropic/",
        {
            "body": body,
            "parties": [{"party": "amazon", "role": "investor"}],
            "notes": [{"key": "claude-next", "text": "Updated note."}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert [p["party"]["slug"] for p in data["parties"]] == ["amazon"]
    assert [s["source"]["key"] for s in data["sources"]] == ["techcrunch"]  # not given: kept
    assert data["notes"] == [{"key": "claude-next", "text": "Updated note."}]
    assert data["title"] == payload()["title"]


def test_put_replaces_the_brief(catalogue, editor):
    api = token_client(editor)
    api.post("/api/v1/briefs/", payload(), format="json")
    response = api.put("/api/v1/briefs/amazon-anthropic/", payload(title="New title", slug="renamed"), format="json")
    assert response.status_code == 200, response.content
    assert Brief.objects.get().slug == "renamed"
    assert api.get("/api/v1/briefs/renamed/").json()["title"] == "New title"


def test_invalid_markup_is_400_with_reference_and_line_and_saves_nothing(catalogue, editor):
    before = snapshot()
    body = "Fine first line.\n\n[Zed](party:zed) and [words](quote:jassy-bedrock)"
    response = token_client(editor).post("/api/v1/briefs/", payload(body=body, quotes=[]), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["field"], e["reference"], e["line"]) for e in errors} == {
        ("body", "party:zed", 3),
        ("body", "quote:jassy-bedrock", 3),
    }
    assert all(e["code"] == "unlinked" and "line 3" in e["message"] for e in errors)
    assert snapshot() == before


def test_invalid_markup_on_update_changes_nothing(catalogue, editor):
    api = token_client(editor)
    api.post("/api/v1/briefs/", payload(), format="json")
    before = snapshot()
    response = api.patch(
        "/api/v1/briefs/amazon-anthropic/", {"parties": [{"party": "amazon", "role": "investor"}]}, format="json"
    )
    assert response.status_code == 400
    assert {e["reference"] for e in response.json()["errors"]} == {"party:anthropic", "party:andy-jassy"}
    assert snapshot() == before


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"parties": [{"party": "nobody", "role": "investor"}]}, "parties[0].party"),
        ({"parties": [{"party": "amazon", "role": "emperor"}]}, "parties[0].role"),
        ({"sources": [{"source": "nowhere"}]}, "sources[0].source"),
        ({"quotes": [{"quote": "unsaid"}]}, "quotes[0].quote"),
        ({"deals": [{"deal": "no-such-deal"}]}, "deals[0].deal"),
        ({"deals": [{"deal": "amazon-anthropic-deal", "stage": 0}]}, "deals[0].stage"),
        ({"slug": "not a slug!"}, "slug"),
        ({"title": ""}, "title"),
        ({"status": "whatever"}, "status"),
        ({"notes": [{"key": "claude-next", "text": "a"}, {"key": "claude-next", "text": "b"}]}, "notes[1]"),
    ],
)
def test_bad_input_is_400_with_field_path_and_saves_nothing(catalogue, editor, changes, field):
    before = snapshot()
    response = token_client(editor).post("/api/v1/briefs/", payload(**changes), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert field in [error["field"] for error in body["errors"]], body
    assert snapshot() == before


def test_duplicate_slug_is_400(catalogue, editor):
    make_brief(slug="amazon-anthropic")
    response = token_client(editor).post("/api/v1/briefs/", payload(), format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "slug"


def test_malformed_json_is_400_and_form_data_is_415(catalogue, editor):
    api = token_client(editor)
    response = api.generic("POST", "/api/v1/briefs/", '{"title": "x",', content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    response = api.post("/api/v1/briefs/", {"title": "x"}, format="multipart")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    assert Brief.objects.count() == 0


def test_anonymous_cannot_write(client, catalogue):
    response = client.post("/api/v1/briefs/", payload(), format="json")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_users_without_model_permissions_cannot_write(catalogue, reader):
    api = token_client(reader)
    assert api.post("/api/v1/briefs/", payload(), format="json").status_code == 403
    make_brief(slug="existing")
    assert api.patch("/api/v1/briefs/existing/", {"title": "Hijacked"}, format="json").status_code == 403
    assert Brief.objects.get(slug="existing").title != "Hijacked"


def test_add_without_change_cannot_update(catalogue):
    adder = make_user("adder", "briefs.view_brief", "briefs.add_brief", staff=True)
    api = token_client(adder)
    assert api.post("/api/v1/briefs/", payload(), format="json").status_code == 201
    assert api.patch("/api/v1/briefs/amazon-anthropic/", {"title": "x"}, format="json").status_code == 403


def test_publishing_needs_the_publish_permission(catalogue, editor, publisher):
    # A new brief is a draft; it goes live only through review (briefs.services.workflow).
    response = token_client(editor).post("/api/v1/briefs/", payload(status="published"), format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "status"
    assert not Brief.objects.exists()
    api = token_client(editor)
    api.post("/api/v1/briefs/", payload(), format="json")
    assert api.patch("/api/v1/briefs/amazon-anthropic/", {"status": "in_review"}, format="json").status_code == 200
    response = api.patch("/api/v1/briefs/amazon-anthropic/", {"status": "published"}, format="json")
    assert response.status_code == 403 and "publish" in response.json()["detail"]
    response = token_client(publisher).patch("/api/v1/briefs/amazon-anthropic/", {"status": "published"}, format="json")
    assert response.status_code == 200
    assert response.json()["published_at"]  # publishing without a time means now
    # Once live, editing or withdrawing it is publishing too.
    assert api.patch("/api/v1/briefs/amazon-anthropic/", {"title": "Sneaky"}, format="json").status_code == 403
    assert api.patch("/api/v1/briefs/amazon-anthropic/", {"status": "withdrawn"}, format="json").status_code == 403
    assert (
        token_client(publisher)
        .patch("/api/v1/briefs/amazon-anthropic/", {"status": "withdrawn"}, format="json")
        .status_code
        == 200
    )
    assert Brief.objects.get().status == "withdrawn"


def test_scheduling_needs_a_time(catalogue, publisher):
    api = token_client(publisher)
    assert api.post("/api/v1/briefs/", payload(status="in_review"), format="json").status_code == 201
    response = api.patch("/api/v1/briefs/amazon-anthropic/", {"status": "scheduled"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "published_at"
    assert Brief.objects.get().status == "in_review"


def test_method_not_allowed_is_json(client, demo_brief):
    response = client.delete("/api/v1/briefs/amazon-invests-up-to-4-billion-in-anthropic/")
    assert response.status_code in (401, 405)
    superuser = make_user("su", staff=True)
    superuser.is_superuser = True
    superuser.save()
    response = token_client(superuser).delete("/api/v1/briefs/amazon-invests-up-to-4-billion-in-anthropic/")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert client.post("/api/v1/parties/", {}, format="json").status_code in (401, 405)
    assert json.loads(client.put("/api/v1/parties/amazon/", {}, format="json").content)["status"] in (401, 405)


@pytest.mark.parametrize("bad", ["nul\x00byte", 42, None, ["amazon"], "not a slug", "x" * 500])
def test_references_that_are_not_slugs_are_400(catalogue, editor, bad):
    before = snapshot()
    response = token_client(editor).post(
        "/api/v1/briefs/", payload(parties=[{"party": bad, "role": "investor"}]), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "parties[0].party"
    assert snapshot() == before


@pytest.mark.parametrize("field", ["title", "dek", "body"])
def test_nul_bytes_in_text_are_400(catalogue, editor, field):
    response = token_client(editor).post("/api/v1/briefs/", payload(**{field: "a\x00b"}), format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
