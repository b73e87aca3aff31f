"""Idempotent loading of the demo brief: a second run finds nothing to change."""

from django.db import transaction

from ..models import Brief, BriefParty, BriefQuote, BriefSource, Note, Party, Quote, Source
from ..services.saving import Links, save_brief
from . import content


def _upsert(model, lookup, values):
    """Create or update one row, saving only when a value differs. Returns (obj, changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return obj, bool(changed)


def _links_differ(brief, links):
    """Whether the saved brief's links are other than `links` (a Links with every list given)."""
    if brief.pk is None:
        return True
    saved = (
        [(link.party_id, link.role) for link in BriefParty.objects.filter(brief=brief).order_by("position", "pk")],
        list(BriefSource.objects.filter(brief=brief).order_by("position", "pk").values_list("source_id", flat=True)),
        list(BriefQuote.objects.filter(brief=brief).order_by("position", "pk").values_list("quote_id", flat=True)),
        list(Note.objects.filter(brief=brief).order_by("position", "pk").values_list("key", "text")),
    )
    wanted = (
        [(party.pk, role) for party, role in links.parties],
        [source.pk for source in links.sources],
        [quote.pk for quote in links.quotes],
        [tuple(note) for note in links.notes],
    )
    return saved != wanted


@transaction.atomic
def load_demo():
    changes = 0
    parties = {}
    for slug, name, kind, fields in content.PARTIES:
        values = {"name": name, "kind": kind, **{k: v for k, v in fields.items() if k not in ("parent", "affiliation")}}
        parties[slug], changed = _upsert(Party, {"slug": slug}, values)
        changes += changed
    for slug, _, _, fields in content.PARTIES:
        relations = {k: parties[fields[k]] if k in fields else None for k in ("parent", "affiliation")}
        _, changed = _upsert(Party, {"slug": slug}, relations)
        changes += changed
    sources = {}
    for key, fields in content.SOURCES:
        sources[key], changed = _upsert(Source, {"key": key}, fields)
        changes += changed
    quotes = {}
    for key, fields in content.QUOTES:
        values = {**fields, "speaker": parties[fields["speaker"]], "source": sources[fields["source"]]}
        quotes[key], changed = _upsert(Quote, {"key": key}, values)
        changes += changed

    brief = Brief.objects.filter(slug=content.BRIEF_SLUG).first() or Brief(slug=content.BRIEF_SLUG)
    changed = [name for name, value in content.BRIEF.items() if getattr(brief, name) != value]
    for name in changed:
        setattr(brief, name, content.BRIEF[name])
    links = Links(
        parties=[(parties[slug], role) for slug, role in content.BRIEF_PARTIES],
        sources=[sources[key] for key in content.BRIEF_SOURCES],
        quotes=[quotes[key] for key in content.BRIEF_QUOTES],
        notes=list(content.BRIEF_NOTES),
    )
    if changed or _links_differ(brief, links) or not brief.rendered_at:
        brief = save_brief(brief, links=links, comment="Loaded the demo brief.")
        changes += 1
    return brief, changes
