"""Keys: a source's key is short (publisher-yyyy-mm-dd) and the editor's once typed; a reference to
nothing the brief links says which of the two mistakes it is and how to fix it."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from briefs.models import Source
from briefs.services.source_keys import suggest_key, unique_key

from .factories import make_brief, make_party, make_quote, make_source
from .test_admin_briefs import body_errors, brief_data

pytestmark = pytest.mark.django_db

SOURCE_ADD_URL = reverse("admin:briefs_source_add")


def source_data(**fields):
    return {
        "title": "Amazon and Anthropic deepen their shared commitment to advancing generative AI",
        "publisher": "About Amazon",
        "url": "https://www.aboutamazon.com/news/company-news/amazon-anthropic",
        "kind": "press_release",
        "published_on": "2024-03-27",
        "accessed_on": "",
        "key": "",
        "link_status": "unchecked",
        **fields,
    }


def test_the_suggested_key_is_publisher_and_date():
    assert (
        suggest_key("TechCrunch", datetime.date(2023, 9, 25), "Amazon to invest up to $4B") == "techcrunch-2023-09-25"
    )
    assert suggest_key("About Amazon", datetime.date(2024, 3, 27), "x") == "about-amazon-2024-03-27"
    assert (
        suggest_key("Reuters", None, "Amazon to invest up to $4 billion in Anthropic") == "reuters-amazon-to-invest-up"
    )
    assert suggest_key("", datetime.date(2023, 9, 25), "Amazon to invest up to $4B") == "amazon-to-invest-up-2023-09-25"


@given(st.text(max_size=300), st.one_of(st.none(), st.dates()), st.text(max_size=300))
def test_a_suggested_key_is_always_a_short_valid_key(publisher, published_on, title):
    key = suggest_key(publisher, published_on, title)
    assert key and len(key) <= 100
    Source._meta.get_field("key").run_validators(key)


def test_a_taken_key_gets_a_number():
    make_source(key="techcrunch-2023-09-25")
    make_source(key="techcrunch-2023-09-25-2")
    assert unique_key("techcrunch-2023-09-25") == "techcrunch-2023-09-25-3"
    assert unique_key("reuters-2023-09-25") == "reuters-2023-09-25"


def test_a_source_saved_with_a_blank_key_gets_the_short_key(admin_client):
    make_source(key="about-amazon-2024-03-27")
    response = admin_client.post(SOURCE_ADD_URL, source_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Source.objects.get(url__contains="aboutamazon").key == "about-amazon-2024-03-27-2"


def test_a_key_the_editor_typed_is_kept_and_the_form_says_how_keys_read_best(admin_client):
    page = admin_client.get(SOURCE_ADD_URL).content.decode()
    assert "publisher-yyyy-mm-dd" in page and "briefs_admin/source_key.js" in page
    assert 'data-prepopulated-fields="[]"' in page  # Django's own filler rewrites a key being typed
    response = admin_client.post(SOURCE_ADD_URL, source_data(key="amazon-anthropic-march"))
    assert response.status_code == 302
    assert Source.objects.get(url__contains="aboutamazon").key == "amazon-anthropic-march"


# "Not linked": which of the two mistakes -------------------------------------------------------


def post_body(admin_client, body, **links):
    return admin_client.post(reverse("admin:briefs_brief_add"), brief_data(body, **links))


def test_an_existing_source_that_is_not_linked_says_link_it_under_sources(admin_client):
    make_source(key="techcrunch-2023-09-25")
    response = post_body(admin_client, "[up to $4 billion](source:techcrunch-2023-09-25)")
    assert body_errors(response) == [
        "source:techcrunch-2023-09-25 is not linked to this brief: link it under Sources, line 1"
    ]


def test_a_key_no_source_has_names_the_closest_key(admin_client):
    techcrunch = make_source(key="techcrunch-2023-09-25")
    make_source(key="reuters-2024-01-02")
    response = post_body(
        admin_client,
        "Intro.\n[up to $4 billion](source:techcrunch-2023-09-52)",
        sources=[{"source": techcrunch.pk, "position": "0"}],
    )
    assert body_errors(response) == [
        "source:techcrunch-2023-09-52: no source has the key techcrunch-2023-09-52 "
        "(did you mean techcrunch-2023-09-25?), line 2"
    ]


def test_the_closest_key_may_be_one_not_linked_yet(admin_client):
    make_source(key="bloomberg-2023-09-25")
    response = post_body(admin_client, "[it](source:bloomberg-2023-9-25)")
    assert body_errors(response) == [
        "source:bloomberg-2023-9-25: no source has the key bloomberg-2023-9-25 "
        "(did you mean bloomberg-2023-09-25?), line 1"
    ]


def test_a_key_like_no_other_says_create_it(admin_client):
    make_source(key="techcrunch-2023-09-25")
    response = post_body(admin_client, "[x](source:zzz)")
    assert body_errors(response) == [
        "source:zzz: no source has the key zzz; create it, then link it under Sources, line 1"
    ]


def test_parties_quotes_and_notes_are_told_apart_the_same_way(admin_client):
    make_party(name="Amazon", slug="amazon")
    make_quote(key="jassy-bedrock")
    body = (
        "[A](party:amazon)\n[B](party:amazn)\n[C](quote:jassy-bedrock)\n[D](quote:jassy-bedrok)\n[E](note:claude-nxt)"
    )
    response = post_body(admin_client, body, notes=[{"key": "claude-next", "text": "The next model.", "position": "0"}])
    assert body_errors(response) == [
        "party:amazon is not linked to this brief: link it under Parties in this deal, line 1",
        "party:amazn: no party has the slug amazn (did you mean amazon?), line 2",
        "quote:jassy-bedrock is not linked to this brief: link it under Quotes, line 3",
        "quote:jassy-bedrok: no quote has the key jassy-bedrok (did you mean jassy-bedrock?), line 4",
        "note:claude-nxt: no note of this brief has the key claude-nxt (did you mean claude-next?), line 5",
    ]


def test_the_api_gives_the_same_explanation(admin_client):
    brief = make_brief("Text.", published=False)
    make_source(key="techcrunch-2023-09-25")
    response = admin_client.patch(
        reverse("api:brief-detail", args=[brief.slug]),
        {"body": "[x](source:techcrunch-2023-09-25)"},
        content_type="application/json",
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 400
    assert "link it under Sources" in response.content.decode()
