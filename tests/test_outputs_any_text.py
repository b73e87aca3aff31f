"""Any text, stored anywhere a reader sees it, renders through every output, and each output parses.

The text is written by raw SQL (QuerySet.update), around every input and its rule (briefs.text):
it may carry the control characters, non-characters and markup the inputs refuse or remove, as an
old row or a hand-made fix could. Every public output then answers without a server error and
parses: feeds and the sitemap as XML, the API, the W3C export and the JSON-LD as strict JSON (no
raw control character in a string), the pages as HTML with no character the HTML standard calls a
parse error (a control character in the input stream) and no broken JSON-LD block.
"""

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.freshness import pages
from briefs.models import Annotation, Brief, Deal, DealStage, Note, Party, Quote, Source
from briefs.text import unaccepted
from search.models import SearchEntry
from tests.factories import make_brief, make_deal, make_party, make_quote, make_source

pytestmark = pytest.mark.django_db

TOKEN = "zqanytext"  # kept in the indexed text, so the search for it finds the brief

# Characters the inputs refuse or that break outputs most often, mixed with any other character.
# Lone surrogates are left out: no database driver can store one (they cannot be encoded).
SPECIAL = list("\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\x80\x85\x9f\ufffe\uffff\u2028\u2029\ufeff\r\n\t")
SPECIAL += list("<>&\"'`]()[*_#\\/:;{}=!") + ["]]>", "<!--", "-->", "</script>", "&#0;", "&#x0b;", "\\u000b"]
any_character = st.characters(codec=None, exclude_categories=["Cs"])
stored_text = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(any_character, max_size=4)), max_size=12).map(
    "".join
)


def storable(text):
    """PostgreSQL's text type cannot hold NUL: on PostgreSQL the text is written without it."""
    return text.replace("\x00", "") if connection.vendor == "postgresql" else text


@pytest.fixture
def world(db):
    party = make_party(name="Acme", slug="acme", description="A party.", aliases=["ACME"])
    person = make_party(name="Ann Speaker", slug="ann", kind="person")
    source = make_source(key="filing", title="A filing", publisher="Example News")
    quote = make_quote(speaker=person, source=source, key="said", text="We said it.")
    deal = make_deal(
        slug="acme-deal",
        name="Acme deal",
        summary="A summary.",
        participants=[(party, "investor", {"amount": 1000000, "currency": "USD"})],
        stages=[{"occurred_on": "2024-01-01", "status": "announced", "description": "First stage"}],
        figures=[{"kind": "amount", "amount": 1000000, "source": source, "stage": 0}],
    )
    brief = make_brief(
        f"[Acme](party:acme) paid [$1 million](source:filing): [“We said it.”](quote:said) "
        f"[context](note:ctx) {TOKEN}.",
        slug="any-text",
        parties=[(party, "investor"), (person, "mentioned")],
        sources=[source],
        quotes=[quote],
        notes=[("ctx", "A note.")],
        deals=[(deal, deal.made_stages[0])],
    )
    assert SearchEntry.objects.filter(brief=brief).exists()
    annotation = Annotation.objects.filter(brief=brief).order_by("ordinal").first()
    return {"brief": brief, "party": party, "person": person, "source": source, "deal": deal, "annotation": annotation}


def write_around_the_inputs(world, text):
    """Store `text` in every field a reader sees, by raw SQL (no save path, no rule)."""
    text = storable(text)
    brief, deal = world["brief"], world["deal"]
    Brief.objects.filter(pk=brief.pk).update(
        title=text or "t", dek=text, body=f"{text} {TOKEN}", body_text=f"{text} {TOKEN}", body_html=f"<p>{text}</p>"
    )
    Party.objects.filter(pk__in=[world["party"].pk, world["person"].pk]).update(
        name=text or "n", description=text, aliases=[text], title=text
    )
    Source.objects.filter(pk=world["source"].pk).update(title=text or "t", publisher=text)
    Quote.objects.filter(source=world["source"]).update(text=text, speaker_role=text)
    Note.objects.filter(brief=brief).update(text=text)
    Deal.objects.filter(pk=deal.pk).update(name=text or "n", summary=text, stake_description=text[:120])
    DealStage.objects.filter(deal=deal).update(description=text)
    Annotation.objects.filter(brief=brief).update(exact=text or "x", prefix=text[:64], suffix=text[:64])
    SearchEntry.objects.filter(brief=brief).update(
        title=text or "t", dek=text, body=f"{text} {TOKEN}", deal_line=[[text, "acme", "investor", world["party"].pk]]
    )


class Page(HTMLParser):
    """Parses a whole page; collects its JSON-LD blocks."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.jsonld, self._in_jsonld = [], False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self._in_jsonld = tag == "script" and dict(attrs).get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag):
        self._in_jsonld = False


def parses_as_xml(response):
    ElementTree.fromstring(response.content)


def parses_as_json(response):
    json.loads(response.content.decode("utf-8"))  # strict: a raw control character in a string fails


def parses_as_html(response):
    html = response.content.decode("utf-8")
    found = unaccepted(html)
    if found:
        raise AssertionError(f"characters the HTML standard calls parse errors: {sorted(set(found))!r}")
    for block in Page(html).jsonld:
        json.loads(block)
    assert len(re.findall(r'type="application/ld\+json"', html)) == len(Page(html).jsonld)


def outputs(world):
    brief, party, source, deal = world["brief"], world["party"], world["source"], world["deal"]
    annotations = f"/api/v1/briefs/{brief.slug}/annotations/"
    return [
        ("/", parses_as_html),
        (f"/briefs/{brief.slug}/", parses_as_html),
        (f"/parties/{party.slug}/", parses_as_html),
        (f"/parties/{world['person'].slug}/", parses_as_html),
        (f"/sources/{source.key}/", parses_as_html),
        (f"/deals/{deal.slug}/", parses_as_html),
        (f"/search/?q={TOKEN}", parses_as_html),
        ("/feed/rss/", parses_as_xml),
        ("/feed/atom/", parses_as_xml),
        (f"/parties/{party.slug}/feed/rss/", parses_as_xml),
        (f"/parties/{party.slug}/feed/atom/", parses_as_xml),
        ("/sitemap.xml", parses_as_xml),
        ("/api/v1/briefs/", parses_as_json),
        (f"/api/v1/briefs/{brief.slug}/", parses_as_json),
        ("/api/v1/briefs/sync/", parses_as_json),
        ("/api/v1/deals/", parses_as_json),
        (f"/api/v1/deals/{deal.slug}/", parses_as_json),
        ("/api/v1/parties/", parses_as_json),
        (f"/api/v1/parties/{party.slug}/", parses_as_json),
        ("/api/v1/sources/", parses_as_json),
        (f"/api/v1/sources/{source.key}/", parses_as_json),
        ("/api/v1/quotes/", parses_as_json),
        (f"/api/v1/search/?q={TOKEN}", parses_as_json),
        (annotations, parses_as_json),
        (f"{annotations}pages/1/", parses_as_json),
        (f"{annotations}{world['annotation'].pk}/", parses_as_json),
    ]


def check_every_output(client, world):
    cache.clear()  # rate limits and cached responses: every output is rendered from the text stored now
    pages.local.clear()
    failures = []
    for url, parses in outputs(world):
        response = client.get(url, HTTP_ACCEPT="application/json" if url.startswith("/api/") else "text/html")
        if response.status_code != 200:
            failures.append(f"{url}: {response.status_code}")
            continue
        try:
            parses(response)
        except Exception as error:  # noqa: BLE001 (every failure is reported, with its URL)
            failures.append(f"{url}: {type(error).__name__}: {error}")
    assert not failures, failures


@settings(
    max_examples=max(5, settings.default.max_examples // 10),  # each example renders 26 outputs
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=stored_text)
def test_any_stored_text_renders_through_every_output_and_each_output_parses(client, world, text):
    write_around_the_inputs(world, text)
    check_every_output(client, world)


@pytest.mark.parametrize(
    "text",
    [
        "Pasted\x0btext",
        "NUL\x00 and escape\x1b and C1\x85",
        "non-characters \ufffe\uffff",
        '</script><script>alert(1)</script>"]]><!--',
        "line\u2028separator\u2029 and BOM\ufeff",
    ],
)
def test_the_usual_pasted_and_hostile_texts_render_through_every_output(client, world, text):
    write_around_the_inputs(world, text)
    check_every_output(client, world)
