"""The workflow in the admin: roles and buttons, actions, revisions and restore, edit conflicts,
presence, preview links, broken sources. Driven through the Django test client."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from briefs.models import Brief, BriefRevision, Source
from briefs.services import presence, revisions

from .deal_builders import brief_about, sourced_deal
from .factories import make_brief, make_source
from .test_admin_briefs import ADD_URL, CHANGELIST_URL, change_url, complete_brief_data, library  # noqa: F401 (fixture)
from .workflow_helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """Presence lives in the cache, keyed by brief id: ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def transition_url(brief):
    return reverse("admin:briefs_brief_transition", args=[brief.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_messages(client, response):
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


def test_writer_creates_a_draft_and_submits_it_but_cannot_publish(client, library):
    writer = make_user("Writer")
    client.force_login(writer)
    response = client.post(ADD_URL, complete_brief_data(library, status="published"))  # status is not on the form
    assert response.status_code == 302, response.context and response.context["errors"]
    brief = Brief.objects.get(slug="amazon-anthropic-admin")
    assert brief.status == "draft" and brief.published_at is None

    page = client.get(change_url(brief)).content.decode()
    assert 'value="submit"' in page and 'value="publish"' not in page
    response = client.post(transition_url(brief), {"transition": "submit", "comment": "Ready."})
    assert "is now in review" in " ".join(follow_messages(client, response))

    response = client.post(transition_url(brief), {"transition": "publish"})
    assert any("not allowed" in m for m in follow_messages(client, response))
    brief.refresh_from_db()
    assert brief.status == "in_review"
    assert [(t.by, t.to_status, t.comment) for t in brief.transitions.all()] == [(writer, "in_review", "Ready.")]

    # Now in review: the writer may read it but no longer change it.
    page = client.get(change_url(brief))
    assert page.status_code == 200 and "You can read this brief but not edit it" in page.content.decode()
    assert client.post(change_url(brief), complete_brief_data(library, slug=brief.slug)).status_code == 403


def test_editor_schedules_from_the_change_page_and_the_transition_is_shown(client):
    editor = make_user("Editor", first_name="Erin", last_name="Editor")
    brief = make_brief("No figures here.", published=False, status="in_review")
    client.force_login(editor)
    page = client.get(change_url(brief)).content.decode()
    for name in ("return_to_draft", "publish", "schedule"):
        assert f'value="{name}"' in page
    when = (timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(
        transition_url(brief),
        {"transition": "schedule", "when": when.strftime("%Y-%m-%dT%H:%M"), "comment": "Embargo until tomorrow"},
    )
    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.status == "scheduled" and brief.published_at == when
    page = client.get(change_url(brief)).content.decode()
    assert "Embargo until tomorrow" in page and "Erin Editor" in page and "goes live" in page


def test_schedule_in_the_past_is_refused_with_a_message(client):
    client.force_login(make_user("Editor"))
    brief = make_brief("Text.", published=False, status="in_review")
    response = client.post(transition_url(brief), {"transition": "schedule", "when": "2001-01-01T09:00"})
    assert any("has passed" in m for m in follow_messages(client, response))
    assert Brief.objects.get(pk=brief.pk).status == "in_review"


def test_citation_check_lists_uncited_figures_with_lines(client):
    client.force_login(make_user("Writer"))
    brief = make_brief("Intro.\n\nAmazon pays $4 billion for 20% of it.", published=False)
    response = client.post(transition_url(brief), {"transition": "submit"})
    shown = follow_messages(client, response)
    assert shown[0].startswith("Not submitted: the citation check found 2 problem(s)")
    assert shown[1].startswith("Line 3: the figure “$4 billion”")
    assert shown[2].startswith("Line 3: the figure “20%”")
    assert Brief.objects.get(pk=brief.pk).status == "draft"


def test_citation_check_lists_deal_figures_without_a_source(client):
    client.force_login(make_user("Writer"))
    sourced = sourced_deal(
        name="Sourced deal",
        figures=[{"kind": "amount", "amount": 10, "currency": "USD", "source": make_source()}],
    )
    unsourced = sourced_deal(
        name="Amazon’s investment in Anthropic",
        figures=[
            {"kind": "amount", "amount": 1250000000, "currency": "USD"},
            {"kind": "stake", "percent": 20, "basis": "reported", "reported_by": "Bloomberg"},
        ],
    )
    brief = brief_about(sourced, unsourced, body="No figures in the text.", published=False)
    response = client.post(transition_url(brief), {"transition": "submit"})
    shown = follow_messages(client, response)
    assert shown[0].startswith("Not submitted: the citation check found 2 problem(s)")
    assert "in the figures of the brief's deals" in shown[0]
    assert shown[1].startswith(
        "Deal “Amazon’s investment in Anthropic”: the official amount $1.25 billion names no source"
    )
    assert shown[2].startswith("Deal “Amazon’s investment in Anthropic”: the reported stake 20% names no source")
    assert Brief.objects.get(pk=brief.pk).status == "draft"


def test_bulk_actions_follow_roles(client):
    one, two = (
        make_brief("A.", published=False, status="in_review"),
        make_brief("B.", published=False, status="in_review"),
    )
    writer, editor = make_user("Writer"), make_user("Editor")
    client.force_login(writer)
    actions = [value for value, _ in client.get(CHANGELIST_URL).context["action_form"].fields["action"].choices]
    assert "submit_selected" in actions and "publish_selected" not in actions and "withdraw_selected" not in actions
    client.force_login(editor)
    response = client.post(CHANGELIST_URL, {"action": "publish_selected", "_selected_action": [one.pk, two.pk]})
    assert response.status_code == 302
    assert set(Brief.objects.values_list("status", flat=True)) == {"published"}
    assert Brief.objects.published().count() == 2
    response = client.post(CHANGELIST_URL, {"action": "withdraw_selected", "_selected_action": [one.pk]})
    assert Brief.objects.get(pk=one.pk).status == "withdrawn"


# Revisions: every admin save is one; history, diff and restore ---------------------------------


def test_every_admin_save_is_a_revision_and_history_shows_a_readable_diff(client, library):
    editor = make_user("Editor", first_name="Ed", last_name="Itor")
    client.force_login(editor)
    deal = sourced_deal(name="Amazon’s investment in Anthropic")
    assert client.post(ADD_URL, complete_brief_data(library)).status_code == 302
    brief = Brief.objects.get(slug="amazon-anthropic-admin")
    data = complete_brief_data(
        library,
        slug=brief.slug,
        deals=[{"deal": deal.pk, "stage": "", "position": ""}],
        base_version=str(brief.version),
        body=brief.body.replace("will invest", "is investing"),
    )
    data.update(_existing_rows(brief))
    response = client.post(change_url(brief), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    brief.refresh_from_db()
    assert brief.version == 2
    metas = list(revisions.revisions_of(brief))
    assert [m.brief_version for m in metas] == [2, 1]
    assert metas[1].revision.comment == "Created." and metas[0].revision.user == editor

    history = client.get(reverse("admin:briefs_brief_history", args=[brief.pk])).content.decode()
    assert "body, authors, deals" in history and "first revision" in history and "Ed Itor" in history
    detail = client.get(reverse("admin:briefs_brief_revision", args=[brief.pk, metas[0].pk])).content.decode()
    assert "<del>- [Amazon](party:amazon) will invest" in detail
    assert "<ins>+ [Amazon](party:amazon) is investing" in detail
    assert "Amazon’s investment in Anthropic" in detail

    # Restore the first revision from its page.
    response = client.post(reverse("admin:briefs_brief_restore", args=[brief.pk, metas[1].pk]))
    assert response.status_code == 302
    brief.refresh_from_db()
    assert "will invest" in brief.body and not brief.deal_links.exists() and brief.version == 3
    assert "will invest" in brief.body_text  # re-rendered
    assert revisions.revisions_of(brief).count() == 3


def _existing_rows(brief):
    return {
        "party_links-INITIAL_FORMS": "2",
        "party_links-0-id": str(brief.party_links.get(party__slug="amazon").pk),
        "party_links-1-id": str(brief.party_links.get(party__slug="anthropic").pk),
        "source_links-INITIAL_FORMS": "1",
        "source_links-0-id": str(brief.source_links.get().pk),
        "quote_links-INITIAL_FORMS": "1",
        "quote_links-0-id": str(brief.quote_links.get().pk),
        "notes-INITIAL_FORMS": "1",
        "notes-0-id": str(brief.notes.get().pk),
    }


def test_writer_cannot_restore_a_published_brief(client, library):
    brief = make_brief("Live text.", published=True)
    meta = revisions.record_revision(brief)
    client.force_login(make_user("Writer"))
    response = client.post(reverse("admin:briefs_brief_restore", args=[brief.pk, meta.pk]))
    assert response.status_code == 403


# Edit conflicts ----------------------------------------------------------------------------


def test_second_save_is_refused_with_who_and_what_and_keeps_the_text(client, library):
    alice = make_user("Editor", first_name="Alice", last_name="Ames")
    bob = make_user("Editor", first_name="Bob", last_name="Burns")
    client.force_login(alice)
    assert client.post(ADD_URL, complete_brief_data(library)).status_code == 302
    brief = Brief.objects.get(slug="amazon-anthropic-admin")

    # Both open the form at version 1.
    for user in (alice, bob):
        client.force_login(user)
        form_page = client.get(change_url(brief)).content.decode()
        assert re.search(r'name="base_version" value="1"', form_page)

    client.force_login(alice)
    alice_data = {**complete_brief_data(library, slug=brief.slug, dek="Alice's sharper dek."), **_existing_rows(brief)}
    assert client.post(change_url(brief), alice_data).status_code == 302

    client.force_login(bob)
    bob_body = brief.body + "\nBob's new closing paragraph.\n"
    bob_data = {**complete_brief_data(library, slug=brief.slug, body=bob_body), **_existing_rows(brief)}
    response = client.post(change_url(brief), bob_data)
    assert response.status_code == 200  # refused, form shown again
    page = response.content.decode()
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Alice Ames saved this brief while you were editing it" in errors and "they changed: dek" in errors
    assert "Bob&#x27;s new closing paragraph." in page  # his text is kept
    assert "Alice&#x27;s sharper dek." in page  # and the diff shows hers
    assert re.search(r'name="base_version" value="2"', page)  # saving again is a deliberate overwrite
    saved = Brief.objects.get(pk=brief.pk)
    assert saved.dek == "Alice's sharper dek." and "Bob" not in saved.body and saved.version == 2

    # Bob merges (keeps Alice's dek) and saves again from the re-rendered form.
    merged = {**bob_data, "dek": "Alice's sharper dek.", "base_version": "2"}
    assert client.post(change_url(brief), merged).status_code == 302
    saved = Brief.objects.get(pk=brief.pk)
    assert saved.dek == "Alice's sharper dek." and "Bob's new closing paragraph." in saved.body and saved.version == 3


# Presence, preview links, broken sources ----------------------------------------------------


def test_change_page_shows_who_else_has_the_brief_open(client):
    brief = make_brief("Text.", published=False)
    alice, bob = make_user("Editor", first_name="Alice", last_name="Ames"), make_user("Editor")
    presence.heartbeat(brief.pk, alice)
    client.force_login(bob)
    page = client.get(change_url(brief)).content.decode()
    assert "Also open by: <strong>Alice Ames</strong>" in page
    assert "briefs_admin/presence.js" in page and reverse("briefs:presence", args=[brief.pk]) in page
    # Bob's visit counts as a heartbeat: Alice sees him.
    assert [o["name"] for o in presence.others(brief.pk, alice)] == [presence.display_name(bob)]


def test_preview_link_from_the_admin_opens_for_anyone(client):
    brief = make_brief("Draft text.", published=False, title="Draft deal")
    client.force_login(make_user("Writer"))
    response = client.post(reverse("admin:briefs_brief_preview_link", args=[brief.pk]))
    message = follow_messages(client, response)[0]
    url = re.search(r"(http://127.0.0.1:8000/preview/\S+/)", message).group(1)
    client.logout()
    assert "Draft deal" in client.get(url).content.decode()


def test_broken_sources_are_listed_with_the_briefs_citing_them(client):
    broken, fine = make_source(title="Gone article"), make_source(title="Fine article")
    Source.objects.filter(pk=broken.pk).update(
        link_status="broken", link_status_code=404, link_error="HTTP 404 Not Found", link_checked_at=timezone.now()
    )
    Source.objects.filter(pk=fine.pk).update(link_status="ok", link_status_code=200)
    citing = make_brief("Cites it.", sources=[broken], title="Brief citing the gone article")
    client.force_login(make_user("Editor"))
    page = client.get(reverse("admin:briefs_brokensource_changelist")).content.decode()
    assert "Gone article" in page and "Fine article" not in page
    assert "Brief citing the gone article" in page and "HTTP 404 Not Found" in page
    assert reverse("admin:briefs_brief_change", args=[citing.pk]) in page


def test_writer_and_editor_groups_reach_the_admin_pages_they_need(client):
    brief = make_brief("Text.", published=False)
    for role in ("Writer", "Editor"):
        client.force_login(make_user(role))
        assert client.get(CHANGELIST_URL).status_code == 200
        assert client.get(ADD_URL).status_code == 200
        assert client.get(change_url(brief)).status_code == 200
        assert client.get(reverse("admin:briefs_brief_history", args=[brief.pk])).status_code == 200
        assert client.get(reverse("admin:briefs_brokensource_changelist")).status_code == 200
    assert BriefRevision.objects.count() == 1  # the brief's creation; opening pages saves nothing


def test_an_api_write_is_a_revision_and_refuses_an_admin_form_opened_before_it(client, library):
    from tests.api.conftest import token_client

    editor = make_user("Editor", first_name="Eve", last_name="Admin")
    client.force_login(editor)
    assert client.post(ADD_URL, complete_brief_data(library)).status_code == 302
    brief = Brief.objects.get(slug="amazon-anthropic-admin")
    assert client.get(change_url(brief)).status_code == 200  # Eve opens the form at version 1

    api_user = make_user("Editor", username="apiwriter", first_name="Api", last_name="Writer")
    response = token_client(api_user).patch(
        f"/api/v1/briefs/{brief.slug}/", {"dek": "Changed by the API."}, format="json"
    )
    assert response.status_code == 200, response.content
    brief.refresh_from_db()
    assert brief.version == 2 and brief.dek == "Changed by the API."
    latest = revisions.revisions_of(brief).first()
    assert latest.revision.user == api_user and latest.revision.comment == "Saved through the API."

    data = {**complete_brief_data(library, slug=brief.slug, dek="Eve's dek."), **_existing_rows(brief)}
    response = client.post(change_url(brief), data)
    assert response.status_code == 200
    assert "Api Writer saved this brief" in " ".join(response.context["adminform"].form.non_field_errors())
    assert Brief.objects.get(pk=brief.pk).dek == "Changed by the API."
