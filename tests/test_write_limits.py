"""Brief writes: rendered once, within documented limits, and never committed past their deadline.

Both ways in (the admin's form and the API) go through the one save path; the limits live in the
model's clean() (body characters) and the markup validation (annotations), the deadline in the save
services, so each is proved here through both.
"""

import runpy
from pathlib import Path

import pytest

from briefs.markup import render as markup_render
from briefs.models import Annotation, Brief
from briefs.services import rendering
from tests.api.conftest import make_user, token_client
from tests.factories import make_brief, make_party
from tests.test_admin_briefs import ADD_URL, brief_data, change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(db):
    return [make_party(slug=f"party-{i}", name=f"Party {i}") for i in range(5)]


def body_with(spans):
    return "\n\n".join(f"Span {i} names [party {i % 5}](party:party-{i % 5})." for i in range(spans))


def api_payload(body, slug="many-spans"):
    return {
        "title": "A brief with many spans",
        "slug": slug,
        "dek": "Many spans.",
        "body": body,
        "parties": [{"party": f"party-{i}", "role": "mentioned"} for i in range(5)],
    }


def admin_payload(parties, body, **fields):
    return brief_data(
        body,
        parties=[{"party": party.pk, "role": "mentioned", "position": str(i)} for i, party in enumerate(parties)],
        **fields,
    )


@pytest.fixture
def api(db):
    editor = make_user("writer", "briefs.view_brief", "briefs.add_brief", "briefs.change_brief", staff=True)
    return token_client(editor)


@pytest.fixture
def renders(monkeypatch):
    """The real renderer, counted: how many times a request renders a brief body."""
    calls = []
    real = markup_render.render_body

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(rendering, "render_body", counted)
    return calls


def errors_on(response, field):
    return [error for error in response.json()["errors"] if error["field"] == field]


# Rendered once


def test_an_api_create_and_edit_each_render_the_body_once_and_store_that_rendering(api, parties, renders):
    created = api.post("/api/v1/briefs/", api_payload(body_with(40)), format="json")
    assert created.status_code == 201, created.content
    assert len(renders) == 1
    etag = api.get("/api/v1/briefs/many-spans/")["ETag"]
    renders.clear()
    edited = api.patch("/api/v1/briefs/many-spans/", {"body": body_with(41)}, format="json", HTTP_IF_MATCH=etag)
    assert edited.status_code == 200, edited.content
    assert len(renders) == 1
    brief = Brief.objects.get(slug="many-spans")
    assert Annotation.objects.filter(brief=brief).count() == 41
    assert "Span 40 names" in brief.body_text and "Span 40 names" in brief.body_html


def test_an_admin_save_renders_the_body_once(admin_client, parties, renders):
    response = admin_client.post(ADD_URL, admin_payload(parties, body_with(30)))
    assert response.status_code == 302, response.context and response.context["errors"]
    assert len(renders) == 1
    assert Annotation.objects.filter(brief__slug="amazon-anthropic-admin").count() == 30


def test_a_checked_body_is_not_reused_when_the_saved_links_differ_from_the_checked_ones(parties):
    linked = rendering.linked_targets_for(None, parties=parties)
    checked = rendering.validate_markup(body_with(3), linked)
    assert checked.rendering_of(body_with(3), linked) is checked.result
    fewer_links = rendering.linked_targets_for(None, parties=parties[:4])
    assert checked.rendering_of(body_with(3), fewer_links) is None
    assert checked.rendering_of(body_with(4), linked) is None


# Limits


def test_a_body_over_the_character_limit_is_a_400_on_body_before_it_is_rendered(api, parties, renders, settings):
    settings.BRIEF_MAX_BODY_CHARS = 500
    response = api.post("/api/v1/briefs/", api_payload("x" * 501), format="json")
    assert response.status_code == 400
    [error] = errors_on(response, "body")
    assert error["code"] == "body_too_long" and "500" in error["message"] and "BRIEF_MAX_BODY_CHARS" in error["message"]
    assert renders == [] and not Brief.objects.exists()
    assert api.post("/api/v1/briefs/", api_payload("x" * 500), format="json").status_code == 201


def test_a_body_over_the_annotation_limit_is_a_400_on_body_and_nothing_is_saved(api, parties, settings):
    settings.BRIEF_MAX_ANNOTATIONS = 20
    response = api.post("/api/v1/briefs/", api_payload(body_with(21)), format="json")
    assert response.status_code == 400
    [error] = errors_on(response, "body")
    assert error["code"] == "too_many_annotations"
    assert "21 annotations" in error["message"] and "at most 20" in error["message"]
    assert not Brief.objects.exists()
    assert api.post("/api/v1/briefs/", api_payload(body_with(20)), format="json").status_code == 201


def test_the_default_limits_take_a_brief_of_two_thousand_annotations_and_refuse_one_more(settings):
    assert settings.BRIEF_MAX_ANNOTATIONS == 2000
    assert settings.BRIEF_MAX_BODY_CHARS >= len(body_with(2000))


def test_the_admin_shows_both_limits_as_errors_on_the_body_field_and_saves_nothing(admin_client, parties, settings):
    settings.BRIEF_MAX_ANNOTATIONS = 10
    too_many = admin_client.post(ADD_URL, admin_payload(parties, body_with(11)))
    assert too_many.status_code == 200
    [message] = too_many.context["adminform"].form.errors["body"]
    assert "11 annotations" in message and "at most 10" in message

    settings.BRIEF_MAX_BODY_CHARS = 100
    too_long = admin_client.post(ADD_URL, admin_payload(parties, "y" * 101))
    assert too_long.status_code == 200
    [message] = too_long.context["adminform"].form.errors["body"]
    assert "101 characters" in message and "at most 100" in message
    assert not Brief.objects.exists()


# Deadline: a write too slow for its client is rolled back with a clean error


def test_an_api_write_past_its_deadline_is_a_503_in_the_error_shape_and_commits_nothing(api, parties, settings):
    # Rendering and storing 300 annotations takes far longer than a millisecond: the real slow step.
    settings.WRITE_DEADLINE_SECONDS = 0.001
    response = api.post("/api/v1/briefs/", api_payload(body_with(300)), format="json")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == 503 and body["code"] == "write_deadline_exceeded"
    assert "nothing was saved" in body["detail"]
    assert not Brief.objects.exists() and not Annotation.objects.exists()


def test_an_api_edit_past_its_deadline_leaves_the_brief_as_it_was(api, parties, settings):
    assert api.post("/api/v1/briefs/", api_payload(body_with(3)), format="json").status_code == 201
    before = Brief.objects.values("version", "body", "body_html").get()
    etag = api.get("/api/v1/briefs/many-spans/")["ETag"]
    settings.WRITE_DEADLINE_SECONDS = 0.001
    response = api.patch("/api/v1/briefs/many-spans/", {"body": body_with(300)}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 503
    assert Brief.objects.values("version", "body", "body_html").get() == before
    assert Annotation.objects.count() == 3


def test_an_api_write_within_its_deadline_is_saved(api, parties, settings):
    settings.WRITE_DEADLINE_SECONDS = 60
    assert api.post("/api/v1/briefs/", api_payload(body_with(300)), format="json").status_code == 201


def test_an_admin_save_past_its_deadline_shows_the_form_again_with_the_error_and_saves_nothing(
    admin_client, parties, settings
):
    settings.WRITE_DEADLINE_SECONDS = 0.001
    response = admin_client.post(ADD_URL, admin_payload(parties, body_with(300)))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert any("nothing was saved" in message for message in form.non_field_errors())
    assert form["body"].value() == body_with(300)  # the editor's text is still in the form
    assert not Brief.objects.exists()


def test_an_admin_edit_past_its_deadline_keeps_the_saved_brief(admin_client, parties, settings):
    brief = make_brief(body_with(2), parties=[(party, "mentioned") for party in parties], published=False)
    before = Brief.objects.values_list("version", "body", "body_html").get()
    rows = [
        {"id": link.pk, "brief": brief.pk, "party": link.party_id, "role": "mentioned", "position": str(i)}
        for i, link in enumerate(brief.party_links.order_by("position"))
    ]
    data = brief_data(
        body_with(300),
        slug=brief.slug,
        parties=rows,
        initial={"party_links": len(rows)},
        base_version=str(brief.version),
    )
    settings.WRITE_DEADLINE_SECONDS = 0.001
    response = admin_client.post(change_url(brief), data)
    assert response.status_code == 200
    assert any("nothing was saved" in message for message in response.context["adminform"].form.non_field_errors())
    assert Brief.objects.values_list("version", "body", "body_html").get() == before
    settings.WRITE_DEADLINE_SECONDS = 60
    assert admin_client.post(change_url(brief), data).status_code == 302  # the same form, in time: saved
    assert Annotation.objects.filter(brief=brief).count() == 300


def test_the_default_deadline_is_below_gunicorns_worker_timeout(settings):
    gunicorn_timeout = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))["timeout"]
    assert 0 < settings.WRITE_DEADLINE_SECONDS < gunicorn_timeout
