"""The text rule: what printable() leaves can go into XML 1.0 and UTF-8, and nothing else is lost."""

from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from briefs.text import describe, printable, unaccepted

any_text = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF))


@given(any_text)
def test_what_is_left_is_valid_xml_and_utf8(value):
    cleaned = printable(value)
    cleaned.encode("utf-8")
    element = ElementTree.Element("item")
    element.text = cleaned
    parsed = ElementTree.fromstring(ElementTree.tostring(element, encoding="unicode"))
    assert (parsed.text or "") == cleaned.replace("\r\n", "\n").replace("\r", "\n")


@given(any_text)
def test_only_the_unaccepted_characters_are_removed(value):
    cleaned = printable(value)
    assert not unaccepted(cleaned)
    assert len(cleaned) + len(unaccepted(value)) == len(value)
    assert printable(cleaned) == cleaned


def test_ordinary_text_is_kept_whole():
    text = "Amazon — “up to $4 billion”\tin Anthropic\r\n日本語 🚀 é"
    assert printable(text) == text and unaccepted(text) == []


def test_the_usual_pasted_characters_are_named():
    assert unaccepted("a\x0bb\x00c") == ["\x0b", "\x00"]
    assert describe(["\x0b", "\x0b", "\x85"]) == "U+000B (vertical tab), U+0085"
