"""Workflow buttons on the brief's change page never drop what is in the form: they submit the brief
form, which is saved through the admin's one save path (every check), and only then act; a form that
cannot be saved is shown again with its problems and nothing moves. Refusals read as sentences."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from briefs.models import Brief
from briefs.services import revisions, workflow

from .factories import make_brief
from .test_admin_briefs import brief_data, change_url
from .workflow_helpers import make_user

pytestmark = pytest.mark.django_db


def messages_of(client, response):
    assert response.status_code == 302, response.context and response.context["errors"]
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


def form_data(brief, **changes):
    """What the change page posts for a brief without links, with `changes` typed into it."""
    fields = {"title": brief.title, "slug": brief.slug, "dek": brief.dek, "base_version": str(brief.version)}
    body = changes.pop("body", brief.body)
    return brief_data(body, **{**fields, **changes})


def test_submit_for_review_saves_the_edit_in_the_form_first(client):
    writer = make_user("Writer")
    brief = make_brief("The old text.", published=False)
    client.force_login(writer)
    response = client.post(
        change_url(brief), {**form_data(brief, body="The new text, typed just now."), "transition": "submit"}
    )
    shown = messages_of(client, response)
    saved = Brief.objects.get(pk=brief.pk)
    assert saved.status == "in_review"
    assert saved.body == "The new text, typed just now." and "typed just now" in saved.body_text
    assert shown == [f"Your changes were saved. “{saved}” is now in review."]
    assert saved.transitions.get().to_status == "in_review"


def test_a_comment_and_a_schedule_time_come_with_the_brief_form(client):
    brief = make_brief("Ready.", published=False, status="in_review")
    client.force_login(make_user("Editor"))
    when = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    data = form_data(brief, dek="A sharper dek.")
    data.update(transition="schedule", when=when.strftime("%Y-%m-%dT%H:%M"), comment="Embargo")
    messages_of(client, client.post(change_url(brief), data))
    saved = Brief.objects.get(pk=brief.pk)
    assert (saved.status, saved.dek, saved.published_at) == ("scheduled", "A sharper dek.", when)
    assert saved.transitions.get().comment == "Embargo"


def test_a_workflow_button_refuses_with_the_form_errors_when_the_edit_cannot_be_saved(client):
    brief = make_brief("The old text.", published=False)
    client.force_login(make_user("Writer"))
    data = {**form_data(brief, body="[Zoom](party:zoom) buys it."), "transition": "submit"}
    response = client.post(change_url(brief), data)
    assert response.status_code == 200  # the form again, with the edit kept in it
    assert response.context["adminform"].form.errors["body"]
    assert "[Zoom](party:zoom) buys it." in response.content.decode()
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Not done: “Submit for review” saves your changes first") for m in shown)
    saved = Brief.objects.get(pk=brief.pk)
    assert (saved.status, saved.body, saved.transitions.count()) == ("draft", "The old text.", 0)


def test_a_workflow_button_on_an_unchanged_form_makes_no_revision(client):
    brief = make_brief("Ready to go.", published=False, status="in_review")
    before = (brief.version, revisions.revisions_of(brief).count())
    client.force_login(make_user("Editor"))
    shown = messages_of(client, client.post(change_url(brief), {**form_data(brief), "transition": "publish"}))
    saved = Brief.objects.get(pk=brief.pk)
    assert saved.status == "published" and shown == [f"“{saved}” is now published."]
    assert (saved.version, revisions.revisions_of(saved).count()) == before


def test_a_transition_that_fails_after_the_save_says_the_edit_was_kept(client):
    brief = make_brief("Intro.", published=False)
    client.force_login(make_user("Writer"))
    data = {**form_data(brief, body="Intro.\n\nAmazon pays $4 billion."), "transition": "submit"}
    shown = messages_of(client, client.post(change_url(brief), data))
    assert shown[0].startswith("Your changes were saved. Not submitted: the citation check found 1 problem(s)")
    saved = Brief.objects.get(pk=brief.pk)
    assert saved.status == "draft" and "$4 billion" in saved.body


def test_the_preview_link_button_saves_the_form_first(client):
    brief = make_brief("Draft.", published=False)
    client.force_login(make_user("Editor"))
    data = {**form_data(brief, body="Draft, improved."), "_preview_link": "1"}
    shown = messages_of(client, client.post(change_url(brief), data))
    assert Brief.objects.get(pk=brief.pk).body == "Draft, improved."
    assert any("Preview link for reviewers" in m for m in shown)


def test_the_buttons_belong_to_the_brief_form_and_enter_in_a_field_still_just_saves(client):
    brief = make_brief("Draft.", published=False)
    client.force_login(make_user("Editor"))
    page = client.get(change_url(brief)).content.decode()
    assert re.search(r'<button type="submit" name="transition" value="submit"[^>]*form="brief_form"', page)
    assert 'name="comment" maxlength="2000" class="vTextField" form="brief_form"' in page
    assert re.search(r'<button type="submit" name="_preview_link"[^>]*form="brief_form"', page)
    # Implicit submission (Enter) uses the form's first submit button in document order: a plain save.
    submits = re.findall(r'<(?:button|input) type="submit" name="(\w+)"[^>]*form="brief_form"', page)
    assert submits[0] == "_continue"
    assert page.index('name="_continue"') < page.index('id="brief_form"')


def test_a_brief_the_user_cannot_edit_keeps_its_own_transition_form(client):
    brief = make_brief("Gone.", published=False, status="withdrawn")
    writer = make_user("Writer")
    client.force_login(writer)
    page = client.get(change_url(brief)).content.decode()
    transition_url = reverse("admin:briefs_brief_transition", args=[brief.pk])
    assert f'<form method="post" action="{transition_url}"' in page
    assert 'value="redraft"' in page and 'value="redraft" class="button" form=' not in page
    assert "_continue" not in page
    shown = messages_of(client, client.post(transition_url, {"transition": "redraft"}))
    assert shown == [f"“{brief}” is now draft."]


REFUSALS = {
    "submit": "You are not allowed to submit briefs for review.",
    "return_to_draft": "You are not allowed to return briefs in review to draft.",
    "publish": "You are not allowed to publish briefs.",
    "schedule": "You are not allowed to schedule briefs.",
    "unschedule": "You are not allowed to unschedule briefs.",
    "withdraw": "You are not allowed to withdraw briefs.",
    "redraft": "You are not allowed to return withdrawn briefs to draft.",
}


@pytest.mark.parametrize("name", sorted(workflow.SPECS))
def test_a_refusal_reads_as_a_sentence(name):
    nobody = make_user()  # staff, in no group: no workflow permission
    status = workflow.SPECS[name].sources[0]
    when = {"scheduled": timezone.now() + datetime.timedelta(days=1), "published": timezone.now()}.get(status)
    brief = make_brief("Text.", published=False, status=status, published_at=when)
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        if name == "schedule":
            workflow.schedule(brief, nobody, timezone.now() + datetime.timedelta(days=1))
        else:
            workflow.TRANSITION_FUNCTIONS[name](brief, nobody)
    assert str(refused.value) == REFUSALS[name]


def test_the_admin_shows_the_refusal_sentence(client):
    client.force_login(make_user("Writer"))
    brief = make_brief("Text.", published=False, status="in_review")
    response = client.post(reverse("admin:briefs_brief_transition", args=[brief.pk]), {"transition": "publish"})
    assert messages_of(client, response) == ["You are not allowed to publish briefs."]
