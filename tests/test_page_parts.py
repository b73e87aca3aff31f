"""The brief page's stored parts (briefs/services/page_parts.py): the same page as a full render,
fewer queries, and never stale — even before the background re-render has run."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from briefs.models import Brief, Note
from briefs.services import page_parts
from briefs.services.rendering import render_brief
from tests.factories import make_brief, make_party, make_quote, make_source
from tests.test_public_pages import big_brief, jsonld_of

pytestmark = pytest.mark.django_db

DEMO_URL = "/briefs/amazon-invests-up-to-4-billion-in-anthropic/"


@pytest.fixture
def no_background_rerender(monkeypatch):
    """A worker that has not run yet: linked changes queue no re-render here."""
    monkeypatch.setattr("briefs.signals.schedule_rerender_for", lambda kind, pk: None)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def stored(brief):
    return Brief.objects.get(pk=brief.pk).page_parts


def deal():
    investor = make_party(name="Oldname Capital", slug="oldname")
    target = make_party(name="Target Co", slug="target-co")
    speaker = make_party(kind="person", name="Speaker Person", slug="speaker-person")  # not a linked party
    source = make_source(title="Original source title", key="orig")
    quote_source = make_source(title="Quote-only source title", key="quote-only")  # only the quote's source
    quote = make_quote(speaker=speaker, source=quote_source, text="Original quoted words.", key="q1")
    brief = make_brief(
        "[Oldname](party:oldname) backs [Target](party:target-co) [for money](source:orig), "
        "saying [“words”](quote:q1) [here](note:ctx).",
        parties=[(investor, "investor"), (target, "target")],
        sources=[source],
        quotes=[quote],
        notes=[("ctx", "Original note text.")],
        slug="the-deal",
    )
    return {
        "brief": brief,
        "investor": investor,
        "speaker": speaker,
        "source": source,
        "quote_source": quote_source,
        "quote": quote,
    }


# ---------------------------------------------------------------- the same page, cheaper


def test_render_brief_stores_current_parts(demo_brief):
    parts = page_parts.current_parts(Brief.objects.get(pk=demo_brief.pk))
    assert parts is not None
    assert 'class="fact-box"' in parts["fact_box"] and 'id="sources"' in parts["endmatter"]
    assert {node["name"] for node in parts["jsonld"]["about"]} >= {"Amazon", "Anthropic"}
    assert [node["name"] for node in parts["jsonld"]["deals"]] == [demo_brief.deal_link.deal.name]


@pytest.mark.parametrize("which", ["demo", "big"])
def test_page_from_stored_parts_is_the_page_rendered_in_full(client, demo_brief, which):
    brief = demo_brief if which == "demo" else big_brief(5)[0]
    render_brief(brief)  # big_brief adds related briefs after rendering
    url = brief.get_absolute_url()
    assert page_parts.current_parts(Brief.objects.get(pk=brief.pk)) is not None
    from_parts = page(client, url)
    Brief.objects.filter(pk=brief.pk).update(page_parts="")
    assert page(client, url) == from_parts


@pytest.mark.parametrize("size", [1, 30])
def test_brief_page_from_stored_parts_makes_fixed_queries_whatever_its_size(
    client, db, django_assert_max_num_queries, size
):
    brief, _ = big_brief(size)
    render_brief(brief)
    # The content state (the page cache's key, on a miss), the brief, its related briefs that are published.
    with django_assert_max_num_queries(1 + 3):  # the content state, the brief, linked briefs, corrections
        html = page(client, brief.get_absolute_url())
    assert html.count('class="anno anno-') == 4 * size
    assert html.count('data-card="quote:') == size
    assert html.count('<ul class="related-list">') == 2  # more on its deal, related briefs


def test_brief_page_from_stored_parts_is_four_queries(client, demo_brief, django_assert_num_queries):
    # The content state (the page cache's key, on a miss), the brief, the published briefs linked to
    # it (its deal's other briefs and related ones, in one query), and its corrections.
    with django_assert_num_queries(1 + 3):
        page(client, DEMO_URL)


def test_parts_made_by_other_templates_are_not_used(client, demo_brief):
    brief = Brief.objects.get(pk=demo_brief.pk)
    parts = json.loads(brief.page_parts)
    forged = {**parts, "fact_box": '<aside class="fact-box">FORGED</aside>'}
    Brief.objects.filter(pk=brief.pk).update(page_parts=json.dumps(forged))
    assert "FORGED" in page(client, DEMO_URL)  # same key: used
    Brief.objects.filter(pk=brief.pk).update(page_parts=json.dumps({**forged, "key": "another-release:x"}))
    assert "FORGED" not in page(client, DEMO_URL)
    Brief.objects.filter(pk=brief.pk).update(page_parts="{not json")
    assert 'id="sources"' in page(client, DEMO_URL)  # rendered in full


# ---------------------------------------------------------------- never stale


def test_renamed_party_shows_at_once_on_its_briefs(client, no_background_rerender):
    d = deal()
    assert "Oldname Capital" in page(client, "/briefs/the-deal/")
    d["investor"].name = "Newname Capital"
    d["investor"].save()
    assert stored(d["brief"]) == ""
    html = page(client, "/briefs/the-deal/")
    assert "Newname Capital" in html and "Oldname Capital" not in html
    assert "Newname Capital" in {node["name"] for node in jsonld_of(html)["about"]}


def test_edited_quote_source_and_speaker_show_at_once(client, no_background_rerender):
    d = deal()
    page(client, "/briefs/the-deal/")
    d["quote"].text = "Rewritten quoted words."
    d["quote"].save()
    d["source"].title = "Rewritten source title"
    d["source"].save()
    page(client, "/briefs/the-deal/")
    render_brief(d["brief"])  # stored again: the speaker and quote source must empty them too
    d["speaker"].name = "Renamed Speaker"
    d["speaker"].save()
    d["quote_source"].title = "Renamed quote-only source"
    d["quote_source"].save()
    html = page(client, "/briefs/the-deal/")
    for text in ("Rewritten quoted words.", "Rewritten source title", "Renamed Speaker", "Renamed quote-only source"):
        assert text in html, text
    for text in ("Original quoted words.", "Original source title", "Speaker Person", "Quote-only source title"):
        assert text not in html, text


def test_notes_and_links_written_outside_render_brief_show_at_once(client):
    d = deal()
    page(client, "/briefs/the-deal/")
    note = Note.objects.get(brief=d["brief"], key="ctx")
    note.text = "Rewritten note text."
    note.save()
    assert "Rewritten note text." in page(client, "/briefs/the-deal/")
    render_brief(d["brief"])
    d["brief"].party_links.filter(role="target").delete()
    assert "Target Co" not in page(client, "/briefs/the-deal/").split('id="brief-body"')[0]


def test_bulk_and_raw_writes_empty_the_parts_too(client):
    """Triggers, not signals: QuerySet.update() and raw SQL are seen as well."""
    from django.db import connection

    from briefs.models import Party, Quote, Source

    d = deal()
    Party.objects.filter(pk=d["investor"].pk).update(description="Bulk-updated party description.")
    assert stored(d["brief"]) == ""
    assert "Bulk-updated party description." in page(client, "/briefs/the-deal/")
    for model, pk, field, value in [
        (Quote, d["quote"].pk, "text", "Bulk quote words."),
        (Source, d["source"].pk, "title", "Bulk source title"),
        (Party, d["speaker"].pk, "name", "Bulk Speaker"),
        (Source, d["quote_source"].pk, "title", "Bulk quote source"),
    ]:
        render_brief(d["brief"])
        model.objects.filter(pk=pk).update(**{field: value})
        assert value in page(client, "/briefs/the-deal/"), value
    render_brief(d["brief"])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE briefs_note SET text = %s WHERE brief_id = %s", ["Raw SQL note.", d["brief"].pk])
    assert "Raw SQL note." in page(client, "/briefs/the-deal/")


def test_an_author_logging_in_keeps_the_parts(client):
    d = deal()
    writer = get_user_model().objects.create_user("writer", password="a-long-password-1")
    d["brief"].authors.add(writer)
    render_brief(d["brief"])
    assert client.login(request=HttpRequest(), username="writer", password="a-long-password-1")  # writes last_login
    assert page_parts.current_parts(Brief.objects.get(pk=d["brief"].pk)) is not None


def test_authors_and_their_names_show_at_once(client):
    d = deal()
    writer = get_user_model().objects.create_user("writer", first_name="Ada", last_name="Lovelace")
    d["brief"].authors.add(writer)
    html = page(client, "/briefs/the-deal/")
    assert '<span class="author">Ada Lovelace</span>' in html
    assert jsonld_of(html)["author"] == [{"@type": "Person", "name": "Ada Lovelace"}]
    render_brief(d["brief"])
    writer.last_name = "King"
    writer.save()
    assert '<span class="author">Ada King</span>' in page(client, "/briefs/the-deal/")
    render_brief(d["brief"])
    writer.briefs.clear()  # from the user's side
    assert 'class="author"' not in page(client, "/briefs/the-deal/")


def test_related_briefs_follow_links_and_publication(client):
    d = deal()
    other = make_brief(title="The other deal")
    d["brief"].related.add(other)
    assert "The other deal" in page(client, "/briefs/the-deal/")
    render_brief(d["brief"])
    Brief.objects.filter(pk=other.pk).update(status="withdrawn")  # visibility is decided per request
    assert "The other deal" not in page(client, "/briefs/the-deal/")
    Brief.objects.filter(pk=other.pk).update(status="published")
    other.related_from.remove(d["brief"])  # from the other side
    assert "The other deal" not in page(client, "/briefs/the-deal/")


def test_previews_render_the_parts_afresh(admin_client):
    d = deal()
    Brief.objects.filter(pk=d["brief"].pk).update(
        page_parts=json.dumps({**json.loads(stored(d["brief"])), "fact_box": '<aside class="fact-box">FORGED</aside>'})
    )
    response = admin_client.get(f"/briefs/{d['brief'].pk}/preview/")
    assert response.status_code == 200
    assert "FORGED" not in response.content.decode()


def test_render_page_parts_stores_what_is_missing_or_not_current(client, demo_brief):
    from io import StringIO

    from django.core.management import call_command

    call_command(
        "generate_briefs", count=5, seed=3, no_index=True, no_page_parts=True, no_progress=True, stdout=StringIO()
    )
    generated = Brief.objects.filter(slug__startswith="g3-")
    assert not any(brief.page_parts for brief in generated)  # bulk-loaded: rendered in full
    out = StringIO()
    call_command("render_page_parts", no_progress=True, stdout=out)
    assert (
        f"Stored the page parts of 5 of {5 + Brief.objects.exclude(pk__in=generated).count()} briefs" in out.getvalue()
    )
    for brief in Brief.objects.all():
        assert page_parts.current_parts(brief) is not None, brief.slug
    call_command("render_page_parts", no_progress=True, stdout=out)
    assert f"Stored the page parts of 0 of {Brief.objects.count()} briefs" in out.getvalue()
