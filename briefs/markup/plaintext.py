"""Plain text and annotation spans of rendered body HTML.

The plain text is the HTML's text content (what a browser's textContent gives for the article
body) without the citation markers, so offsets are stable whatever the footnote numbers are.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Span:
    ordinal: int
    reference: str
    start: int
    end: int


class _TextWalker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.length = 0
        self.anchors = []  # stack of (ordinal, reference, start) or None for plain links
        self.sup_stack = []  # True for citation markers
        self.spans = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            ordinal = attributes.get("data-anno")
            self.anchors.append((int(ordinal), attributes.get("data-ref", ""), self.length) if ordinal else None)
        elif tag == "sup":
            self.sup_stack.append("cite-ref" in (attributes.get("class") or "").split())

    def handle_endtag(self, tag):
        if tag == "a" and self.anchors:
            opened = self.anchors.pop()
            if opened is not None:
                ordinal, reference, start = opened
                self.spans.append(Span(ordinal, reference, start, self.length))
        elif tag == "sup" and self.sup_stack:
            self.sup_stack.pop()

    def handle_data(self, data):
        if any(self.sup_stack):
            return
        self.parts.append(data)
        self.length += len(data)


def text_and_spans(html):
    walker = _TextWalker()
    walker.feed(html)
    walker.close()
    return "".join(walker.parts), sorted(walker.spans, key=lambda span: span.ordinal)


def context(text, start, end, chars=CONTEXT_CHARS):
    """(prefix, exact, suffix) around text[start:end]."""
    return text[max(0, start - chars) : start], text[start:end], text[end : end + chars]
