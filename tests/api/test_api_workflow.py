"""API writes and the editorial workflow: If-Match on the content version, status changes as transitions."""

import datetime

import pytest
from django.utils import timezone

from briefs.models import Brief, Transition
from briefs.services.saving import Links, save_brief
from tests.deal_builders import sourced_deal
from tests.factories import make_source
from tests.workflow_helpers import make_user as make_role_user

from .conftest import token_client
from .test_api_writes import catalogue, payload, snapshot  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/briefs/amazon-anthropic/"


@pytest.fixture
def writer(db):
    return make_role_user("Writer")


@pytest.fixture
def editor_role(db):
    return make_role_user("Editor")


@pytest.fixture
def draft(catalogue, writer):  # noqa: F811
    assert token_client(writer).post("/api/v1/briefs/", payload(), format="json").status_code == 201
    return Brief.objects.get(slug="amazon-anthropic")


# If-Match ------------------------------------------------------------------------------------------


def test_detail_etag_is_the_content_version(draft, writer):
    response = token_client(writer).get(URL)
    assert response.status_code == 200
    assert response["ETag"].startswith(f'"brief-{draft.pk}-v{draft.version}-')


def test_get_then_patch_with_the_etag_succeeds_and_returns_the_new_etag(draft, writer):
    api = token_client(writer)
    etag = api.get(URL)["ETag"]
    response = api.patch(URL, {"title": "Amazon invests in Anthropic"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    new_etag = response["ETag"]
    assert new_etag != etag and new_etag.startswith(f'"brief-{draft.pk}-v{draft.version + 1}-')
    assert api.get(URL)["ETag"] == new_etag  # the same representation a GET gives now
    # …and that tag works for the next write.
    assert api.patch(URL, {"dek": "Second edit."}, format="json", HTTP_IF_MATCH=new_etag).status_code == 200


def test_a_stale_if_match_is_412_with_who_and_when_and_changes_nothing(draft, writer):
    api = token_client(writer)
    old = api.get(URL)["ETag"]
    other = make_role_user("Writer", first_name="Ada", last_name="Lovelace")
    assert token_client(other).patch(URL, {"title": "Theirs"}, format="json", HTTP_IF_MATCH=old).status_code == 200
    before = snapshot()
    version = Brief.objects.get().version
    response = api.patch(URL, {"title": "Mine", "body": "Mine."}, format="json", HTTP_IF_MATCH=old)
    assert response.status_code == 412
    body = response.json()
    assert body["status"] == 412 and body["code"] == "precondition_failed"
    assert body["changed_by"] == ["Ada Lovelace"] and "Ada Lovelace" in body["detail"]
    assert datetime.datetime.fromisoformat(body["changed_at"]) <= timezone.now()
    assert "title" in body["changed"]
    assert body["your_version"] == draft.version and body["current_version"] == version
    assert snapshot() == before and Brief.objects.get().version == version
    # PUT too, and a status change is refused the same way.
    assert api.put(URL, payload(title="Mine"), format="json", HTTP_IF_MATCH=old).status_code == 412
    assert api.patch(URL, {"status": "in_review"}, format="json", HTTP_IF_MATCH=old).status_code == 412
    assert snapshot() == before and not Transition.objects.exists()


def test_if_match_star_weak_and_foreign_tags(draft, writer):
    api = token_client(writer)
    etag = api.get(URL)["ETag"]
    # `*` matches any current representation: the brief exists, so the write goes ahead.
    assert api.patch(URL, {"title": "Star"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    # …but not a brief that does not exist.
    assert api.patch("/api/v1/briefs/nope/", {"title": "x"}, format="json", HTTP_IF_MATCH="*").status_code == 404
    current = api.get(URL)["ETag"]
    assert current != etag
    # If-Match compares strongly: a weak tag never matches, even for the current version.
    assert api.patch(URL, {"title": "Weak"}, format="json", HTTP_IF_MATCH="W/" + current).status_code == 412
    assert api.patch(URL, {"title": "Foreign"}, format="json", HTTP_IF_MATCH='"abc"').status_code == 412
    # A list matches if any tag does.
    response = api.patch(URL, {"title": "Listed"}, format="json", HTTP_IF_MATCH=f'"abc", {current}')
    assert response.status_code == 200
    assert Brief.objects.get().title == "Listed"


def test_writes_without_if_match_are_accepted(draft, writer):
    assert token_client(writer).patch(URL, {"title": "No precondition"}, format="json").status_code == 200


def test_conditional_get_of_the_detail_still_gives_304(draft, writer, client):
    api = token_client(writer)
    etag = api.get(URL)["ETag"]
    assert api.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    api.patch(URL, {"title": "Changed"}, format="json")
    assert api.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200
    # A status change does not change the content version but does change the representation.
    etag = api.get(URL)["ETag"]
    assert api.patch(URL, {"status": "in_review"}, format="json").status_code == 200
    response = api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    assert response["ETag"].split("-v")[1].split("-")[0] == etag.split("-v")[1].split("-")[0]
    # Anonymous readers of a published brief get 304s too (the response cache's fast path).
    Brief.objects.filter(pk=draft.pk).update(status="published", published_at=timezone.now())
    etag = client.get(URL)["ETag"]
    assert etag.startswith(f'"brief-{draft.pk}-v')
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304


# Status changes through the workflow ----------------------------------------------------------------


def test_submit_through_the_api_records_a_transition_by_the_token_user(draft, writer):
    response = token_client(writer).patch(URL, {"status": "in_review"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"
    (transition,) = Transition.objects.all()
    assert (transition.brief_id, transition.from_status, transition.to_status, transition.by) == (
        draft.pk,
        "draft",
        "in_review",
        writer,
    )
    assert Brief.objects.get().version == draft.version  # a status change alone is not a content edit


def test_content_and_status_in_one_request(draft, writer):
    response = token_client(writer).patch(URL, {"dek": "Now with review.", "status": "in_review"}, format="json")
    assert response.status_code == 200
    brief = Brief.objects.get()
    assert (brief.dek, brief.status) == ("Now with review.", "in_review")


def test_create_straight_into_review_runs_the_submit_transition(catalogue, writer):  # noqa: F811
    response = token_client(writer).post("/api/v1/briefs/", payload(status="in_review"), format="json")
    assert response.status_code == 201 and response.json()["status"] == "in_review"
    assert Transition.objects.get().by == writer


def test_uncited_figures_refuse_the_submit_with_spans_and_lines_and_change_nothing(draft, writer):
    body = "[Amazon](party:amazon) invests in [Anthropic](party:anthropic).\n\nIt pays $4 billion for 20%."
    before_version = Brief.objects.get().version
    response = token_client(writer).patch(URL, {"body": body, "status": "in_review"}, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert {(e["field"], e["code"], e["reference"], e["line"]) for e in errors} == {
        ("body", "uncited", "$4 billion", 3),
        ("body", "uncited", "20%", 3),
    }
    brief = Brief.objects.get()
    assert brief.status == "draft" and brief.body != body and brief.version == before_version
    assert not Transition.objects.exists()


def test_unsourced_deal_figures_refuse_the_submit_with_their_paths(draft, writer):
    sourced = sourced_deal(figures=[{"kind": "amount", "amount": 10, "currency": "USD", "source": make_source()}])
    deal = sourced_deal(
        name="Amazon’s investment in Anthropic",
        figures=[
            {"kind": "amount", "amount": 1, "currency": "USD", "source": make_source()},
            {"kind": "up_to", "amount": 4000000000, "currency": "USD"},
        ],
    )
    save_brief(Brief.objects.get(), links=Links(deals=[(sourced, None), (deal, None)]))
    response = token_client(writer).patch(URL, {"status": "in_review"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [
        {
            "field": "deals[1].figures[1].source",
            "code": "figure_unsourced",
            "message": "Deal “Amazon’s investment in Anthropic”: the official “up to” amount $4 billion names no "
            "source — give the figure its source in the deal",
        }
    ]
    assert Brief.objects.get().status == "draft" and not Transition.objects.exists()


def test_refused_transitions(draft, writer, editor_role):
    api = token_client(writer)
    # No single transition goes from draft to published.
    response = api.patch(URL, {"status": "published"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "status"
    assert "in_review" in response.json()["errors"][0]["message"]
    assert api.patch(URL, {"status": "in_review"}, format="json").status_code == 200
    # A Writer may not publish, schedule or return to draft.
    for status in ("published", "draft"):
        response = api.patch(URL, {"status": status}, format="json")
        assert response.status_code == 403, (status, response.content)
        assert response.json()["code"] == "permission_denied"
    assert Brief.objects.get().status == "in_review"
    assert Transition.objects.count() == 1
    # The publication time is set by transitions only.
    editor_api = token_client(editor_role)
    when = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    response = editor_api.patch(URL, {"published_at": when}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "published_at"
    response = editor_api.patch(URL, {"status": "published", "published_at": when}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "published_at"
    assert Brief.objects.get().status == "in_review"


def test_editor_schedules_publishes_and_withdraws_through_transitions(draft, writer, editor_role):
    token_client(writer).patch(URL, {"status": "in_review"}, format="json")
    api = token_client(editor_role)
    when = timezone.now() + datetime.timedelta(days=1)
    response = api.patch(URL, {"status": "scheduled", "published_at": when.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    brief = Brief.objects.get()
    assert brief.status == "scheduled" and brief.published_at == when
    assert api.patch(URL, {"status": "published"}, format="json").status_code == 200
    assert Brief.objects.get().is_live
    assert api.patch(URL, {"status": "withdrawn"}, format="json").status_code == 200
    assert list(Transition.objects.order_by("pk").values_list("from_status", "to_status", "by")) == [
        ("draft", "in_review", writer.pk),
        ("in_review", "scheduled", editor_role.pk),
        ("scheduled", "published", editor_role.pk),
        ("published", "withdrawn", editor_role.pk),
    ]


def test_publish_backdated_keeps_the_past_time(draft, writer, editor_role):
    token_client(writer).patch(URL, {"status": "in_review"}, format="json")
    past = timezone.now() - datetime.timedelta(days=3)
    response = token_client(editor_role).patch(
        URL, {"status": "published", "published_at": past.isoformat()}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Brief.objects.get().published_at == past
    assert Transition.objects.order_by("-pk").first().published_at == past


def test_a_writer_cannot_edit_a_brief_in_review_through_the_api_as_in_the_admin(db):
    """One edit rule for admin and API: Writers edit drafts only."""
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from tests.factories import make_brief

    from .conftest import ReadBeforeWriteClient

    writer = User.objects.create_user("wendy", is_staff=True)
    writer.groups.add(Group.objects.get(name="Writer"))
    client = ReadBeforeWriteClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=writer).key}")
    draft = make_brief(slug="a-draft", published=False)
    in_review = make_brief(slug="in-review", published=False, status="in_review")
    assert client.patch("/api/v1/briefs/a-draft/", {"dek": "New dek."}, format="json").status_code == 200
    refused = client.patch("/api/v1/briefs/in-review/", {"dek": "Sneaky."}, format="json")
    assert refused.status_code == 403
    in_review.refresh_from_db()
    assert in_review.dek != "Sneaky." and draft.pk
