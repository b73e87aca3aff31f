"""Text the product does not accept is removed from every admin form, and the editor is told what
was removed from which field (briefs.admin.accepted_text, with the rule of briefs.text)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from briefs.models import Brief, Deal, Party, Quote, Source
from tests.factories import make_brief, make_party, make_source
from tests.test_admin_briefs import ADD_URL as BRIEF_ADD_URL
from tests.test_admin_briefs import brief_data, change_url, complete_brief_data, library  # noqa: F401 (fixture)
from tests.test_admin_deals import ADD_URL as DEAL_ADD_URL
from tests.test_admin_deals import deal_data, errors_of, participant, stage

pytestmark = pytest.mark.django_db


def told(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_brief_saved_with_pasted_control_characters_is_saved_without_them_and_the_editor_is_told(
    admin_client, library
):
    data = complete_brief_data(library, dek="Amazon\x0btakes a\x0b stake.", title="Amazon\x00 invests")
    data["notes-0-text"] = "A note\x1b with an escape."
    response = admin_client.post(BRIEF_ADD_URL, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    brief = Brief.objects.get(slug="amazon-anthropic-admin")
    assert (brief.title, brief.dek) == ("Amazon invests", "Amazontakes a stake.")
    assert brief.notes.get().text == "A note with an escape."
    messages = told(response)
    assert "Removed 2 control characters (vertical tab) from Dek." in messages
    assert "Removed 1 control character (NUL) from Title." in messages
    assert "Removed 1 control character (escape) from Text (editorial note 1)." in messages


def test_ordinary_text_saves_with_no_message_about_characters(admin_client, library):
    response = admin_client.post(BRIEF_ADD_URL, complete_brief_data(library, dek="Tab\tand\r\nnewlines 日本語 🚀"))
    assert response.status_code == 302
    assert Brief.objects.get(slug="amazon-anthropic-admin").dek == "Tab\tand\r\nnewlines 日本語 🚀"
    assert not [message for message in told(response) if message.startswith("Removed")]


def test_a_form_shown_again_for_another_error_carries_the_cleaned_text_and_says_what_was_removed(admin_client, library):
    data = brief_data("Mentions [Google](party:google).", dek="Pasted\x0b\x0c dek")
    response = admin_client.post(BRIEF_ADD_URL, data)
    assert response.status_code == 200  # the unlinked party keeps it from saving
    assert not Brief.objects.filter(slug="amazon-anthropic-admin").exists()
    assert response.context["adminform"].form["dek"].value() == "Pasted dek"
    assert "Removed 2 control characters (vertical tab, form feed) from Dek." in response.content.decode()


def test_a_deal_and_its_inline_rows_lose_control_characters_with_a_message_naming_the_row(admin_client):
    amazon = make_party(name="Amazon", slug="amazon")
    data = deal_data(
        name="Amazon\x0b deal",
        summary="Sum\x85mary",
        participants=[participant(amazon)],
        stages=[stage("First\x07 tranche", "2023-09-25"), stage("Second tranche\x0b", "2024-03-27")],
    )
    response = admin_client.post(DEAL_ADD_URL, data)
    assert response.status_code == 302, errors_of(response)
    deal = Deal.objects.get(slug="amazon-anthropic")
    assert (deal.name, deal.summary) == ("Amazon deal", "Summary")
    assert [s.description for s in deal.stages.order_by("position")] == ["First tranche", "Second tranche"]
    messages = told(response)
    assert "Removed 1 control character (vertical tab) from Name." in messages
    assert "Removed 1 control character (U+0085) from Summary." in messages
    assert "Removed 1 control character (U+0007) from Description (stage 1)." in messages
    assert "Removed 1 control character (vertical tab) from Description (stage 2)." in messages


PARTY = {"slug": "aws", "kind": "organisation", "description": "", "website": "", "aliases": ""}
PARTY |= {"parent": "", "wikidata_id": "", "title": "", "affiliation": ""}


@pytest.mark.parametrize(
    ("model", "fields", "changed", "field_label", "expected"),
    [
        ("party", {**PARTY, "name": "Amazon\x0b Web Services"}, "name", "Name", "Amazon Web Services"),
        ("party", {**PARTY, "name": "AWS", "aliases": "A\x0cWS\nCloud\x00"}, "aliases", "Aliases", ["AWS", "Cloud"]),
        ("party", {**PARTY, "name": "AWS", "description": "Cloud\x1f."}, "description", "Description", "Cloud."),
        (
            "source",
            {
                "title": "Filing\x0b",
                "key": "filing",
                "publisher": "SEC\x7f",
                "url": "https://sec.example/f",
                "kind": "filing",
            },
            "title",
            "Title",
            "Filing",
        ),
        (
            "quote",
            {"key": "q", "text": "Quite\x0b excited", "speaker_role": "", "said_on": ""},
            "text",
            "Text",
            "Quite excited",
        ),
    ],
)
def test_parties_sources_and_quotes_lose_control_characters_with_a_message(
    admin_client, model, fields, changed, field_label, expected
):
    data = dict(fields)
    if model == "source":
        data.update(published_on="", accessed_on="", link_status="unchecked")
    if model == "quote":
        data.update(speaker=make_party(kind="person", slug="jassy").pk, source=make_source(key="s").pk)
    response = admin_client.post(reverse(f"admin:briefs_{model}_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    saved = {"party": Party, "source": Source, "quote": Quote}[model].objects.order_by("-pk").first()
    assert getattr(saved, changed) == expected
    assert any(
        message.startswith("Removed ") and message.endswith(f" from {field_label}.") for message in told(response)
    )


def test_an_edit_is_cleaned_too(admin_client):
    brief = make_brief(published=False, slug="edited")
    data = brief_data("A plain brief.", slug="edited", dek="Edited\x0b dek", base_version=str(brief.version))
    response = admin_client.post(change_url(brief), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Brief.objects.get(pk=brief.pk).dek == "Edited dek"
    assert "Removed 1 control character (vertical tab) from Dek." in told(response)
