"""Every annotation, page and collection the API serves passes the W3C Web Annotation musts."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.factories import make_brief, make_party, make_quote, make_source

from . import w3c

pytestmark = pytest.mark.django_db
DEMO = "amazon-invests-up-to-4-billion-in-anthropic"


@pytest.fixture(autouse=True)
def _w3c_tests_present():
    if not w3c.tests_root().exists():
        pytest.skip("shared/w3c-web-annotation-tests is not beside this checkout")


def fetch(client, url, accept="application/ld+json"):
    response = client.get(url, HTTP_ACCEPT=accept)
    assert response.status_code == 200, (url, response.content[:300])
    return response


def validate_everything(client, slug):
    """Walk collection → pages → annotations as a client would; validate each document."""
    collection = fetch(client, f"/api/v1/briefs/{slug}/annotations/").json()
    problems = [("collection", f) for f in w3c.failures("collection", collection)]
    problems += [("collection-as-page", f) for f in w3c.failures("page", collection)]  # embedded first page
    page_url, seen, pages = collection.get("first", {}).get("id"), 0, 0
    while page_url:
        page = fetch(client, page_url).json()
        pages += 1
        problems += [(page_url, f) for f in w3c.failures("page", page)]
        for item in page["items"]:
            problems += [(item["id"], f) for f in w3c.failures("annotation", {"@context": w3c_context(), **item})]
            single = fetch(client, item["id"]).json()
            problems += [(item["id"], f) for f in w3c.failures("annotation", single)]
            assert single == {"@context": w3c_context(), **item}
            seen += 1
        page_url = page.get("next")
    assert seen == collection["total"]
    return problems, pages


def w3c_context():
    return "http://www.w3.org/ns/anno.jsonld"


def test_format_checks_are_really_enforced():
    bad_id = {"@context": w3c_context(), "id": "not a uri", "type": "Annotation", "target": "http://example.org/x"}
    assert any("3.1-annotationIdValidated" in name for name, *_ in w3c.failures("annotation", bad_id))
    bad_date = {**bad_id, "id": "http://example.org/anno/1", "created": "yesterday"}
    assert any("Created" in name for name, *_ in w3c.failures("annotation", bad_date))
    good = {**bad_id, "id": "http://example.org/anno/1", "created": "2023-09-25T14:00:00Z"}
    assert w3c.failures("annotation", good) == []
    samples = w3c.tests_root() / "tools" / "samples" / "incorrect"
    if samples.exists():  # the suite's own bad samples fail at least one must
        documents = []
        for sample in samples.glob("anno*.json"):
            try:
                documents.append(json.loads(sample.read_text()))
            except ValueError:
                continue  # some incorrect samples are not even JSON
        assert documents and all(w3c.failures("annotation", doc) for doc in documents if isinstance(doc, dict))


def test_demo_brief_annotations_pass_every_w3c_must(client, demo_brief):
    problems, pages = validate_everything(client, DEMO)
    assert problems == []
    assert pages == 1


def test_media_type_and_plain_json_on_request(client, demo_brief):
    url = f"/api/v1/briefs/{DEMO}/annotations/"
    assert (
        fetch(client, url, "*/*")["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )
    assert fetch(client, url, "application/ld+json")["Content-Type"].startswith("application/ld+json; profile=")
    assert fetch(client, url, "application/json")["Content-Type"] == "application/json"


def test_annotation_shape_per_kind(client, demo_brief):
    collection = fetch(client, f"/api/v1/briefs/{DEMO}/annotations/").json()
    items = collection["first"]["items"]
    by_motivation = {item["motivation"] for item in items}
    assert by_motivation == {"identifying", "linking", "describing", "commenting"}
    item = items[0]
    assert item["target"]["source"] == f"http://127.0.0.1:8000/briefs/{DEMO}/"
    quote, position = item["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    demo_brief.refresh_from_db()
    text = demo_brief.body_text
    for item in items:
        quote, position = item["target"]["selector"]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"]) and text[position["end"] :].startswith(
            quote["suffix"]
        )
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")


def test_generated_briefs_with_many_pages_pass(client, settings):
    settings.DEALSITE_API = {**settings.DEALSITE_API, "ANNOTATION_PAGE_SIZE": 4}
    parties = [make_party(slug=f"p{n}", name=f"Société Ünïcode {n} 🚀") for n in range(5)]
    source = make_source(key="src", url="")
    quote = make_quote(key="q", speaker=parties[0], source=None, speaker_role="")
    body = "\n\n".join(
        f"Line {n}: [Société {n} 🚀](party:p{n}) said [“words”](quote:q) per [a source](source:src) "
        f"and [a note](note:n1) — café ☕ {n}."
        for n in range(5)
    )
    make_brief(
        body,
        slug="generated",
        parties=[(p, "mentioned") for p in parties],
        sources=[source],
        quotes=[quote],
        notes=[("n1", "A note with “quotes” & <tags>.")],
    )
    problems, pages = validate_everything(client, "generated")
    assert problems == []
    assert pages == 5


def test_brief_without_annotations_is_an_empty_collection(client):
    make_brief("No links at all.", slug="plain")
    collection = fetch(client, "/api/v1/briefs/plain/annotations/").json()
    assert collection["total"] == 0 and "first" not in collection
    assert w3c.failures("collection", collection) == []


words = (
    st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "So", "Pd"]), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


# Each example saves a brief and validates its API output (~0.3 s): a twelfth of the profile's budget.
@hsettings(
    max_examples=max(1, hsettings.default.max_examples // 12),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spans=st.lists(st.tuples(words, words, st.sampled_from(["party", "source", "note"])), min_size=1, max_size=6))
def test_hypothesis_generated_briefs_pass(client, spans):
    from briefs.models import Brief

    Brief.objects.filter(slug="hypo").delete()
    party = make_party()
    source = make_source()
    targets = {"party": f"party:{party.slug}", "source": f"source:{source.key}", "note": "note:n"}
    body = " ".join(
        f"{before} [{inside.replace('[', '').replace(']', '')}]({targets[kind]})" for before, inside, kind in spans
    )
    make_brief(body, slug="hypo", parties=[(party, "investor")], sources=[source], notes=[("n", "note")])
    problems, _ = validate_everything(client, "hypo")
    assert problems == []
