"""Save-time rendering of a brief: HTML, plain text, annotations and footnote numbers.

The one place a brief's derived fields are written. Called after a brief and its links are
saved (admin, API, demo loader) and by the background task when a linked party, source or quote
changes.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import extensions
from ..markup import LinkedTargets, render_body
from ..models import Annotation, AnnotationKind, Brief, BriefSource
from . import unlinked
from .page_parts import store_parts


class BriefMarkupInvalid(ValidationError):
    def __init__(self, errors):
        self.markup_errors = errors
        super().__init__([str(error) for error in errors], code="invalid_markup")


def linked_targets_for(brief, parties=None, source_keys=None, quote_keys=None, note_keys=None):
    """The targets `brief` links once saved: the kinds given (parties as Party objects, the others as
    keys) replace its saved links of that kind; a kind left None is read from the database (nothing
    for a brief not saved yet)."""
    saved = brief is not None and brief.pk is not None
    if parties is None:
        parties = [link.party for link in brief.party_links.select_related("party")] if saved else []
    if source_keys is None:
        source_keys = brief.source_links.values_list("source__key", flat=True) if saved else ()
    if quote_keys is None:
        quote_keys = brief.quote_links.values_list("quote__key", flat=True) if saved else ()
    if note_keys is None:
        note_keys = brief.notes.values_list("key", flat=True) if saved else ()
    anchors = extensions.anchor_keys(brief) if saved else {}
    return LinkedTargets.of(
        {party.slug: party.get_absolute_url() for party in parties},
        source_keys,
        quote_keys,
        note_keys,
        anchors.get("correction", ()),
    )


def validate_markup(body, linked):
    """Raise BriefMarkupInvalid with every problem (reference and line) in `body`."""
    result = render_body(body, linked)
    if result.errors:
        raise BriefMarkupInvalid(unlinked.explain(result.errors, linked))
    return result


@transaction.atomic
def render_brief(brief):
    """Render `brief` from the database state of its links and store everything derived."""
    caller_copy = brief
    brief = Brief.objects.select_for_update().get(pk=brief.pk)
    result = validate_markup(brief.body, linked_targets_for(brief))
    derived = {"body_html": result.html, "body_text": result.text, "rendered_at": timezone.now()}
    derived["updated_at"] = derived["rendered_at"]
    Brief.objects.filter(pk=brief.pk).update(**derived)
    # Keep the caller's instance current, so a later save() of it cannot write back stale HTML.
    for name, value in derived.items():
        setattr(caller_copy, name, value)
    _store_annotations(brief, result.annotations)
    _number_sources(brief, result.citation_numbers)
    caller_copy.page_parts = store_parts(brief)
    return result


def _store_annotations(brief, spans):
    """Replace the brief's annotations, keeping id and creation time of those that survive."""
    targets = _targets_by_key(brief)
    previous = {}
    for old in Annotation.objects.filter(brief=brief):
        previous.setdefault(
            (old.kind, old.party_id or old.source_id or old.quote_id or old.note_id, old.exact), []
        ).append(old)
    rows = []
    for span in spans:
        if span.kind not in AnnotationKind.values:
            continue  # a kind a feature owns (a correction): the feature keeps its own record of it
        target = targets[span.kind][span.key]
        row = Annotation(
            brief=brief,
            ordinal=span.ordinal,
            kind=span.kind,
            exact=span.exact,
            prefix=span.prefix,
            suffix=span.suffix,
            start=span.start,
            end=span.end,
            citation_number=span.citation_number,
            **{span.kind: target},
        )
        survivors = previous.get((span.kind, target.pk, span.exact))
        if survivors:
            kept = survivors.pop(0)
            row.pk, row.created_at = kept.pk, kept.created_at
        rows.append(row)
    Annotation.objects.filter(brief=brief).delete()
    Annotation.objects.bulk_create(rows)


def _targets_by_key(brief):
    return {
        "party": {link.party.slug: link.party for link in brief.party_links.select_related("party")},
        "source": {link.source.key: link.source for link in brief.source_links.select_related("source")},
        "quote": {link.quote.key: link.quote for link in brief.quote_links.select_related("quote")},
        "note": {note.key: note for note in brief.notes.all()},
    }


def _number_sources(brief, citation_numbers):
    """Footnote numbers: cited sources by first citation, then uncited ones in the editor's order."""
    links = list(BriefSource.objects.filter(brief=brief).select_related("source").order_by("position", "pk"))
    next_number = len(citation_numbers) + 1
    for link in links:
        number = citation_numbers.get(link.source.key)
        if number is None:
            number, next_number = next_number, next_number + 1
        link.number = number
    BriefSource.objects.bulk_update(links, ["number"])


def briefs_using(kind, pk):
    """Briefs that show a party, source or quote: the ones to re-render when it changes. A party
    shows as a linked party and as the speaker of a linked quote; a source as a linked source and
    as the source of a linked quote."""
    shown = {
        "party": Q(party_links__party=pk) | Q(quote_links__quote__speaker=pk),
        "source": Q(source_links__source=pk) | Q(quote_links__quote__source=pk),
        "quote": Q(quote_links__quote=pk),
    }[kind]
    return Brief.objects.filter(shown).distinct()
