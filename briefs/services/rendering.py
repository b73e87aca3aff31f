"""Save-time rendering of a brief: HTML, plain text, annotations and footnote numbers.

The one place a brief's derived fields are written. Called after a brief and its links are
saved (admin, API, demo loader) and by the background task when a linked party, source or quote
changes.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import extensions
from ..markup import LinkedTargets, render_body
from ..markup.errors import MarkupError
from ..models import Annotation, AnnotationKind, Brief, BriefSource
from . import party_parts, unlinked
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


@dataclass(frozen=True)
class CheckedBody:
    """A body rendered while it was validated, with the targets it was checked against: the save
    stores this result instead of rendering again, when the saved body and links are still these."""

    body: str
    linked: LinkedTargets
    result: object  # markup.RenderedBody

    def rendering_of(self, body, linked):
        return self.result if (self.body, self.linked) == (body, linked) else None


def validate_markup(body, linked):
    """Render `body`; raise BriefMarkupInvalid with every problem (reference and line) in it, or
    when it has more annotations than BRIEF_MAX_ANNOTATIONS. Returns the CheckedBody."""
    result = render_body(body, linked)
    if result.errors:
        raise BriefMarkupInvalid(unlinked.explain(result.errors, linked))
    limit = settings.BRIEF_MAX_ANNOTATIONS
    if len(result.annotations) > limit:
        raise BriefMarkupInvalid(
            [
                MarkupError(
                    "",
                    1,
                    f"The body has {len(result.annotations):,} annotations; a brief may have at most {limit:,} "
                    "(BRIEF_MAX_ANNOTATIONS).",
                    code="too_many_annotations",
                )
            ]
        )
    return CheckedBody(body, linked, result)


@transaction.atomic
def render_brief(brief, checked=None):
    """Render `brief` from the database state of its links and store everything derived.

    checked: the CheckedBody of the validation that came before the save, used as the rendering
    when the saved body and links are the ones it was checked against (otherwise rendered again)."""
    caller_copy = brief
    brief = Brief.objects.select_for_update().get(pk=brief.pk)
    linked = linked_targets_for(brief)
    result = checked.rendering_of(brief.body, linked) if checked is not None else None
    if result is None:
        result = validate_markup(brief.body, linked).result
    derived = {"body_html": result.html, "body_text": result.text, "rendered_at": timezone.now()}
    derived["updated_at"] = derived["rendered_at"]
    Brief.objects.filter(pk=brief.pk).update(**derived)
    # Keep the caller's instance current, so a later save() of it cannot write back stale HTML.
    for name, value in derived.items():
        setattr(caller_copy, name, value)
    _store_annotations(brief, result.annotations)
    _number_sources(brief, result.citation_numbers)
    caller_copy.page_parts = store_parts(brief)
    # The parties this brief shows on have stale parts now, if they had any: made again after the commit.
    party_parts.schedule_refresh()
    return result


def _store_annotations(brief, spans):
    """Replace the brief's annotations, keeping id and creation time of those that survive."""
    target_ids = _target_ids_by_key(brief)
    previous = {}
    for pk, kind, party, source, quote, note, exact, created_at in Annotation.objects.filter(brief=brief).values_list(
        "pk", "kind", "party_id", "source_id", "quote_id", "note_id", "exact", "created_at"
    ):
        previous.setdefault((kind, party or source or quote or note, exact), []).append((pk, created_at))
    rows = []
    for span in spans:
        if span.kind not in AnnotationKind.values:
            continue  # a kind a feature owns (a correction): the feature keeps its own record of it
        target_id = target_ids[span.kind][span.key]
        row = Annotation(
            brief_id=brief.pk,
            ordinal=span.ordinal,
            kind=span.kind,
            exact=span.exact,
            prefix=span.prefix,
            suffix=span.suffix,
            start=span.start,
            end=span.end,
            citation_number=span.citation_number,
            **{f"{span.kind}_id": target_id},
        )
        survivors = previous.get((span.kind, target_id, span.exact))
        if survivors:
            row.pk, row.created_at = survivors.pop(0)
        rows.append(row)
    Annotation.objects.filter(brief=brief).delete()
    Annotation.objects.bulk_create(rows)


def _target_ids_by_key(brief):
    return {
        "party": dict(brief.party_links.values_list("party__slug", "party_id")),
        "source": dict(brief.source_links.values_list("source__key", "source_id")),
        "quote": dict(brief.quote_links.values_list("quote__key", "quote_id")),
        "note": dict(brief.notes.values_list("key", "pk")),
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
