"""A brief's annotations as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Each annotation targets the brief's canonical page with a TextQuoteSelector (exact, prefix,
suffix) and a TextPositionSelector (start/end in Unicode code points of the brief's plain text).
The collection embeds its first page; every page is at pages/N/.
"""

import datetime

from ..models.choices import AnnotationKind
from .links import brief_page, party_page, source_page

CONTEXT = "http://www.w3.org/ns/anno.jsonld"

MOTIVATIONS = {
    AnnotationKind.PARTY: "identifying",  # the words name this party
    AnnotationKind.SOURCE: "linking",  # the words are backed by this source
    AnnotationKind.QUOTE: "describing",  # the words are a quote: who said it, where
    AnnotationKind.NOTE: "commenting",  # an editorial note on the words
}


def w3c_datetime(value):
    """xsd:dateTime in UTC with a Z, as the model requires."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text_body(value, purpose):
    return {"type": "TextualBody", "value": value, "format": "text/plain", "language": "en", "purpose": purpose}


def _body(annotation):
    kind = annotation.kind
    if kind == AnnotationKind.PARTY:
        party = annotation.party
        return [
            {"id": party_page(party.slug), "type": "Text", "format": "text/html"},
            _text_body(party.name, "identifying"),
        ]
    if kind == AnnotationKind.SOURCE:
        source = annotation.source
        bodies = [{"id": source_page(source.key), "type": "Text", "format": "text/html"}]
        if source.url:
            bodies.append({"id": source.url, "type": "Text"})
        citation = ", ".join(part for part in (source.title, source.publisher) if part)
        bodies.append(_text_body(citation, "linking"))
        return bodies
    if kind == AnnotationKind.QUOTE:
        quote = annotation.quote
        speaker = quote.speaker.name + (f", {quote.speaker_role}" if quote.speaker_role else "")
        return [
            _text_body(f"{quote.text} — {speaker}", "describing"),
            {"id": party_page(quote.speaker.slug), "type": "Text", "format": "text/html"},
        ]
    return [_text_body(annotation.note.text, "commenting")]


def annotation_document(annotation, brief, links, with_context=True):
    doc = {}
    if with_context:
        doc["@context"] = CONTEXT
    doc.update(
        {
            "id": links.annotation(brief.slug, annotation.pk),
            "type": "Annotation",
            "motivation": MOTIVATIONS[annotation.kind],
            "created": w3c_datetime(annotation.created_at),
            "modified": w3c_datetime(annotation.updated_at),
            "body": _body(annotation),
            "target": {
                "type": "SpecificResource",
                "source": brief_page(brief.slug),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": annotation.exact,
                        "prefix": annotation.prefix,
                        "suffix": annotation.suffix,
                    },
                    {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
                ],
            },
        }
    )
    return doc


def _page_url(brief, links, number):
    return f"{links.annotations(brief.slug)}pages/{number}/"


def page_count(total, page_size):
    return max(1, -(-total // page_size))


def page_document(brief, annotations, links, number, total, page_size, embedded=False):
    """AnnotationPage `number` (1-based) holding `annotations`."""
    pages = page_count(total, page_size)
    doc = {} if embedded else {"@context": CONTEXT}
    doc.update(
        {
            "id": _page_url(brief, links, number),
            "type": "AnnotationPage",
            "startIndex": (number - 1) * page_size,
        }
    )
    if not embedded:
        doc["partOf"] = {"id": links.annotations(brief.slug), "type": "AnnotationCollection", "total": total}
    if number < pages:
        doc["next"] = _page_url(brief, links, number + 1)
    if number > 1:
        doc["prev"] = _page_url(brief, links, number - 1)
    doc["items"] = [annotation_document(a, brief, links, with_context=False) for a in annotations]
    return doc


def collection_document(brief, first_page_annotations, links, total, page_size):
    doc = {
        "@context": CONTEXT,
        "id": links.annotations(brief.slug),
        "type": "AnnotationCollection",
        "label": f"Annotations on “{brief.title}”",
        "total": total,
    }
    if brief.updated_at:
        doc["modified"] = w3c_datetime(brief.rendered_at or brief.updated_at)
    if total:
        doc["first"] = page_document(brief, first_page_annotations, links, 1, total, page_size, embedded=True)
        doc["last"] = _page_url(brief, links, page_count(total, page_size))
    return doc
