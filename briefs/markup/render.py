from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import markdown

from .errors import MarkupError
from .extension import AnnotationExtension, RenderState
from .plaintext import context, text_and_spans
from .references import line_of
from .sanitize import sanitize_html

MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


@dataclass(frozen=True)
class LinkedTargets:
    """What a brief links, so references in its body can resolve: party slug → page URL, and keys."""

    party_urls: Mapping[str, str] = field(default_factory=dict)
    sources: Collection[str] = frozenset()
    quotes: Collection[str] = frozenset()
    notes: Collection[str] = frozenset()
    # Corrections and updates of a published brief, anchored to the passage they concern.
    corrections: Collection[str] = frozenset()

    @classmethod
    def of(cls, party_urls=(), sources=(), quotes=(), notes=(), corrections=()):
        """From any iterables: (slug, URL) pairs or a mapping, and keys."""
        return cls(dict(party_urls), frozenset(sources), frozenset(quotes), frozenset(notes), frozenset(corrections))


@dataclass(frozen=True)
class AnnotationSpan:
    ordinal: int
    kind: str
    key: str
    exact: str
    prefix: str
    suffix: str
    start: int  # Unicode code points into RenderedBody.text
    end: int
    citation_number: int | None = None


@dataclass(frozen=True)
class RenderedBody:
    html: str
    text: str
    annotations: list[AnnotationSpan]
    citation_numbers: dict[str, int]
    errors: list[MarkupError]

    @property
    def ok(self):
        return not self.errors


# C0 controls other than tab and newline: never meaningful in prose, and Python-Markdown uses
# STX/ETX internally as placeholder delimiters.
_CONTROL_CHARS = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def normalise_source(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL_CHARS)


def render_body(markdown_text, linked):
    """Render brief markup to sanitized HTML, its plain text and its annotations, or errors."""
    source = normalise_source(markdown_text)
    state = RenderState(linked)
    converter = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, AnnotationExtension(state)], output_format="html")
    html = sanitize_html(converter.convert(source))
    text, spans = text_and_spans(html)
    annotations = []
    for span in spans:
        kind, key = span.reference.split(":", 1)
        prefix, exact, suffix = context(text, span.start, span.end)
        annotations.append(
            AnnotationSpan(
                ordinal=span.ordinal,
                kind=kind,
                key=key,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                start=span.start,
                end=span.end,
                citation_number=state.citation_numbers.get(key) if kind == "source" else None,
            )
        )
    errors = _located(source, state.problems)
    return RenderedBody(html, text, annotations, dict(state.citation_numbers), errors)


def _located(source, problems):
    seen = set()
    errors = []
    for reference, message, code in problems:
        if (reference, message) in seen:
            continue
        seen.add((reference, message))
        errors.append(MarkupError(reference, line_of(source, reference) if reference else 1, message, code))
    return sorted(errors, key=lambda error: error.line)
