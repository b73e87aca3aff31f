"""The text rule: what printable() leaves can go into XML 1.0 and UTF-8, and nothing else is lost."""

from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from briefs.text import describe, printable, printable_in, summarise, unaccepted

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


def test_an_editor_is_told_how_many_characters_of_each_kind_were_removed():
    assert summarise(["\x0b", "\x0b"]) == "2 control characters (vertical tab)"
    assert summarise(["\x0b", "\x07", "\ud800", "\uffff"]) == (
        "2 control characters (vertical tab, U+0007) and 1 lone surrogate (U+D800) and 1 non-character (U+FFFF)"
    )


@given(st.recursive(any_text, lambda inner: st.lists(inner) | st.dictionaries(any_text, inner), max_leaves=8))
def test_loaders_clean_every_string_inside_their_values(value):
    def strings(item):
        if isinstance(item, str):
            yield item
        elif isinstance(item, list):
            for part in item:
                yield from strings(part)
        elif isinstance(item, dict):
            for key, part in item.items():
                yield key
                yield from strings(part)

    assert not any(unaccepted(text) for text in strings(printable_in(value)))
