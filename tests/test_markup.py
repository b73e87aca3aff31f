"""The markup renderer: annotation links → sanitized, annotated HTML, plain text and spans."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.markup import LinkedTargets, render_body
from briefs.markup.plaintext import text_and_spans

from .html_safety import assert_no_executable_html

LINKED = LinkedTargets(
    party_urls={"amazon": "/parties/amazon/", "anthropic": "/parties/anthropic/"},
    sources={"techcrunch", "deck"},
    quotes={"jassy-bedrock"},
    notes={"claude-next"},
)


def test_each_scheme_renders_an_annotated_link_to_its_evidence():
    result = render_body(
        "[Amazon](party:amazon) put [up to $4 billion](source:techcrunch) in; "
        "[“Customers are quite excited”](quote:jassy-bedrock) about [Claude-Next](note:claude-next).",
        LINKED,
    )
    assert result.ok
    assert (
        '<a class="anno anno-party" data-anno="1" data-ref="party:amazon" href="/parties/amazon/" id="anno-1">Amazon</a>'
        in result.html
    )
    assert 'href="#source-1"' in result.html and '<sup class="cite-ref">[1]</sup>' in result.html
    assert 'href="#quote-jassy-bedrock"' in result.html
    assert 'href="#note-claude-next"' in result.html
    assert [(a.kind, a.key, a.exact) for a in result.annotations] == [
        ("party", "amazon", "Amazon"),
        ("source", "techcrunch", "up to $4 billion"),
        ("quote", "jassy-bedrock", "“Customers are quite excited”"),
        ("note", "claude-next", "Claude-Next"),
    ]


def test_reference_style_links_are_annotations_too():
    result = render_body("[Amazon][a] invests.\n\n[a]: party:amazon\n", LINKED)
    assert result.ok
    assert [a.key for a in result.annotations] == ["amazon"]


def test_a_source_cited_twice_keeps_one_number_and_numbers_follow_first_citation():
    result = render_body("[a](source:deck) [b](source:techcrunch) [c](source:deck)", LINKED)
    assert result.citation_numbers == {"deck": 1, "techcrunch": 2}
    assert [a.citation_number for a in result.annotations] == [1, 2, 1]
    assert result.html.count('href="#source-1"') == 2


def test_offsets_count_code_points_with_emoji_and_accents():
    result = render_body("Café 🚀 déjà: [Ånthröpic 🤖](party:anthropic) — fin 🎉 [ok](party:amazon)", LINKED)
    for annotation in result.annotations:
        assert result.text[annotation.start : annotation.end] == annotation.exact
    first = result.annotations[0]
    assert first.exact == "Ånthröpic 🤖"
    assert first.start == len("Café 🚀 déjà: ")  # one code point per emoji, not two UTF-16 units


def test_prefix_and_suffix_are_the_text_around_the_span():
    result = render_body("Before the words [Amazon](party:amazon) after the words.", LINKED)
    annotation = result.annotations[0]
    assert annotation.prefix == "Before the words "
    assert annotation.suffix == " after the words."
    assert result.text.find(annotation.prefix + annotation.exact + annotation.suffix) == 0


def test_citation_markers_are_not_part_of_the_plain_text():
    result = render_body("[up to $4 billion](source:techcrunch) and more", LINKED)
    assert result.text == "up to $4 billion and more"
    assert "[1]" in result.html


def test_unlinked_reference_is_an_error_naming_reference_and_line():
    result = render_body("Line one.\nLine two.\n\nAnd [Jassy](quote:jassy-2) on line four.", LINKED)
    assert not result.ok
    assert [str(error) for error in result.errors] == ["quote:jassy-2 is not linked to this brief, line 4"]


def test_every_bad_reference_is_reported_with_its_own_line():
    body = "[x](party:nobody)\n\n[y](source:)\n\n[](note:claude-next)\n\n[[a](party:amazon)](source:deck)"
    messages = [str(error) for error in render_body(body, LINKED).errors]
    assert "party:nobody is not linked to this brief, line 1" in messages
    assert any(m.startswith("source: is not a valid reference") and m.endswith("line 3") for m in messages)
    assert "note:claude-next has no text to annotate, line 5" in messages


def test_raw_html_in_the_body_is_shown_as_text_not_markup():
    result = render_body('<script>alert(1)</script> <img src=x onerror="alert(1)"> <b>bold</b>', LINKED)
    assert "<script" not in result.html and "<img" not in result.html and "<b>" not in result.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.html
    assert "<script>alert(1)</script>" in result.text  # readers see what was typed


def test_control_characters_cannot_break_the_renderer():
    result = render_body("A\x00B\x02C\x03 [Amazon\x03](party:amazon)\x1b", LINKED)
    assert result.ok
    assert result.text == "ABC Amazon"


@pytest.mark.parametrize(
    "body",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
        "<svg onload=alert(1)>",
        "<a href='javascript:alert(1)'>x</a>",
        '[x](https://example.com "a" onmouseover="alert(1)")',
        "<iframe src=https://evil.example></iframe>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ],
)
def test_known_xss_vectors_never_render_executable_html(body):
    html = render_body(body, LINKED).html
    assert_no_executable_html(html)


MARKUP_PIECES = st.sampled_from(
    [
        "[Amazon](party:amazon)",
        "[$4 billion](source:techcrunch)",
        "[“q”](quote:jassy-bedrock)",
        "[n](note:claude-next)",
        "[x](javascript:alert(1))",
        "<script>alert(1)</script>",
        "<svg onload=alert(1)>",
        '<img src=x onerror="alert(1)">',
        "**bold**",
        "*em*",
        "`code <b>`",
        "\n\n",
        "\n",
        "# ",
        "> ",
        "- ",
        "[ext](https://example.com)",
        "&amp;",
        "&#x3C;script&#x3E;",
        "\"'",
        "é",
        "🚀",
        "]",
        "[",
        "(",
        ")",
        "<",
        ">",
    ]
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKUP_PIECES, st.text(max_size=12)), max_size=25).map("".join))
def test_property_any_body_renders_without_executable_html_and_spans_match_text(body):
    result = render_body(body, LINKED)
    assert_no_executable_html(result.html)
    for annotation in result.annotations:
        assert 0 <= annotation.start < annotation.end <= len(result.text)
        assert result.text[annotation.start : annotation.end] == annotation.exact
        assert result.text[: annotation.start].endswith(annotation.prefix)
        assert result.text[annotation.end :].startswith(annotation.suffix)
    # The stored text and spans are exactly what re-reading the stored HTML gives back.
    text, spans = text_and_spans(result.html)
    assert text == result.text
    assert [(s.start, s.end) for s in spans] == [(a.start, a.end) for a in result.annotations]


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.sampled_from(["party:amazon", "source:techcrunch", "quote:jassy-bedrock", "note:claude-next"]),
)
def test_property_annotation_exact_is_the_link_text_as_rendered(words, reference):
    words = re.sub(r"[\[\]\\`*_<>&!#()\n\r]", "", words).strip()
    if not words:
        return
    result = render_body(f"Lead [{words}]({reference}) tail", LINKED)
    assert result.ok, result.errors
    (annotation,) = result.annotations
    assert annotation.exact == words
