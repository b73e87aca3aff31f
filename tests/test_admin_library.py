"""Party, source and quote admins: pages, search, filters, autocomplete and "used in" lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefs.models import Party
from tests.factories import make_brief, make_party, make_quote, make_source

pytestmark = pytest.mark.django_db


def admin_url(model, action, *args):
    return reverse(f"admin:briefs_{model}_{action}", args=args)


def listed(client, model, **params):
    response = client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize("model", ["party", "source", "quote"])
def test_changelist_add_and_change_pages_render(admin_client, demo_brief, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = {
        "party": demo_brief.party_links.first().party,
        "source": demo_brief.source_links.first().source,
        "quote": demo_brief.quote_links.first().quote,
    }[model]
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert ">Used in</h2>" in response.content.decode()
    assert "briefs-used-in" in response.content.decode()


def test_party_page_lists_the_briefs_that_link_it_with_roles_status_and_admin_links(admin_client):
    amazon = make_party(name="Amazon", slug="amazon")
    live = make_brief("x", title="Amazon invests", parties=[(amazon, "investor"), (amazon, "advisor")])
    draft = make_brief("x", title="Amazon buys", parties=[(amazon, "acquirer")], published=False)
    make_brief("x", title="Unrelated deal")

    content = admin_client.get(admin_url("party", "change", amazon.pk)).content.decode()
    live_item = f'<a href="{admin_url("brief", "change", live.pk)}">Amazon invests</a> — Published · Investor, Advisor'
    assert live_item in content
    assert f'<a href="{admin_url("brief", "change", draft.pk)}">Amazon buys</a> — Draft · Acquirer' in content
    assert "Unrelated deal" not in content


def test_source_and_quote_pages_list_the_briefs_that_link_them(admin_client):
    source = make_source()
    quote = make_quote(source=source)
    brief = make_brief("x", title="A sourced brief", sources=[source], quotes=[quote], published=False)
    for model, obj in (("source", source), ("quote", quote)):
        content = admin_client.get(admin_url(model, "change", obj.pk)).content.decode()
        assert f'<a href="{admin_url("brief", "change", brief.pk)}">A sourced brief</a> — Draft' in content


def test_an_unused_party_says_it_is_not_linked_yet_and_the_add_page_has_no_used_in(admin_client):
    party = make_party()
    assert "Not linked to any brief yet." in admin_client.get(admin_url("party", "change", party.pk)).content.decode()
    assert ">Used in</h2>" not in admin_client.get(admin_url("party", "add")).content.decode()


@pytest.mark.parametrize("model", ["party", "source", "quote"])
def test_used_in_lists_take_the_same_number_of_queries_for_one_brief_or_many(admin_client, model):
    party, source = make_party(), make_source()
    quote = make_quote(speaker=party, source=source)
    obj = {"party": party, "source": source, "quote": quote}[model]

    def queries_for_change_page():
        with CaptureQueriesContext(connection) as context:
            response = admin_client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200
        return len(context.captured_queries)

    make_brief("x", parties=[(party, "investor")], sources=[source], quotes=[quote])
    one = queries_for_change_page()
    for _ in range(6):
        make_brief("x", parties=[(party, "investor"), (party, "advisor")], sources=[source], quotes=[quote])
    assert queries_for_change_page() == one


def test_party_search_matches_name_alias_and_slug(admin_client):
    aws = make_party(name="Amazon Web Services", slug="aws", aliases=["AWS", "Amazon Cloud"])
    other = make_party(name="Zoom", slug="zoom")
    assert listed(admin_client, "party", q="web services") == {aws}
    assert listed(admin_client, "party", q="amazon cloud") == {aws}
    assert listed(admin_client, "party", q="aws") == {aws}
    assert listed(admin_client, "party", q="zoom") == {other}


def test_party_filters_by_kind(admin_client):
    person = make_party(kind="person")
    fund = make_party(kind="fund")
    assert listed(admin_client, "party", kind__exact="person") == {person}
    assert listed(admin_client, "party", kind__exact="fund") == {fund}


def test_source_search_matches_title_publisher_key_and_url_and_filters_by_kind_and_link_status(admin_client):
    deck = make_source(
        key="deck-2023",
        title="Series C deck",
        publisher="The Information",
        kind="investor_deck",
        url="https://example.org/deck.pdf",
        link_status="broken",
    )
    article = make_source(key="tc-article", title="Amazon invests", publisher="TechCrunch", link_status="ok")
    assert listed(admin_client, "source", q="series c") == {deck}
    assert listed(admin_client, "source", q="techcrunch") == {article}
    assert listed(admin_client, "source", q="deck-2023") == {deck}
    assert listed(admin_client, "source", q="example.org/deck") == {deck}
    assert listed(admin_client, "source", kind__exact="investor_deck") == {deck}
    assert listed(admin_client, "source", link_status__exact="broken") == {deck}
    assert listed(admin_client, "source", link_status__exact="ok") == {article}


def test_quote_search_matches_text_key_and_speaker_name(admin_client):
    jassy = make_party(name="Andy Jassy", kind="person")
    quote = make_quote(key="jassy-bedrock", text="Customers are quite excited", speaker=jassy)
    other = make_quote(key="amodei", text="Scaling matters")
    assert listed(admin_client, "quote", q="quite excited") == {quote}
    assert listed(admin_client, "quote", q="jassy-bedrock") == {quote}
    assert listed(admin_client, "quote", q="andy jassy") == {quote}
    assert listed(admin_client, "quote", q="scaling") == {other}
    assert listed(admin_client, "quote", speaker__kind__exact="person") == {quote, other}


def test_party_admin_edits_aliases_one_per_line_and_fills_slug_from_name(admin_client):
    page = admin_client.get(admin_url("party", "add")).content.decode()
    assert "data-prepopulated-fields" in page and "#id_slug" in page
    response = admin_client.post(
        admin_url("party", "add"),
        {
            "name": "Amazon Web Services",
            "slug": "aws",
            "kind": "organisation",
            "description": "",
            "website": "",
            "aliases": "AWS\n\n Amazon cloud \nAWS",
            "parent": "",
            "wikidata_id": "",
            "title": "",
            "affiliation": "",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert Party.objects.get(slug="aws").aliases == ["AWS", "Amazon cloud"]
    change = admin_client.get(admin_url("party", "change", Party.objects.get(slug="aws").pk)).content.decode()
    assert "AWS\nAmazon cloud</textarea>" in change


def test_autocomplete_finds_parties_sources_and_quotes_for_the_brief_inlines(admin_client):
    amazon = make_party(name="Amazon", slug="amazon")
    make_party(name="Zoom")
    source = make_source(title="Amazon to invest", publisher="TechCrunch")
    quote = make_quote(text="Customers are quite excited")
    url = reverse("admin:autocomplete")
    cases = [
        ("briefparty", "party", "amaz", amazon),
        ("briefsource", "source", "techcrunch", source),
        ("briefquote", "quote", "excited", quote),
        ("party", "parent", "amaz", amazon),
        ("quote", "speaker", "amaz", amazon),
    ]
    for model_name, field_name, term, expected in cases:
        params = {"app_label": "briefs", "model_name": model_name, "field_name": field_name, "term": term}
        response = admin_client.get(url, params)
        assert response.status_code == 200, (model_name, field_name)
        assert [row["id"] for row in response.json()["results"]] == [str(expected.pk)]
