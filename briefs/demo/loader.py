"""Idempotent loading of the demo brief: a second run finds nothing to change."""

from django.db import transaction

from ..models import Brief, BriefParty, BriefQuote, BriefSource, Note, Party, Quote, Source
from ..services.rendering import render_brief
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


def _replace_links(brief, model, field, wanted):
    """Make the brief's links of one kind exactly `wanted` (list of dicts), in order."""
    current = (
        [
            {key: getattr(link, key if key != field else f"{field}_id") for key in wanted[0]}
            for link in model.objects.filter(brief=brief).order_by("position", "pk")
        ]
        if wanted
        else []
    )
    target = [{key: (value.pk if key == field else value) for key, value in row.items()} for row in wanted]
    if current == target:
        return False
    model.objects.filter(brief=brief).delete()
    model.objects.bulk_create(model(brief=brief, **row) for row in wanted)
    return True


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

    brief, changed = _upsert(Brief, {"slug": content.BRIEF_SLUG}, content.BRIEF)
    links_changed = any(
        [
            _replace_links(
                brief,
                BriefParty,
                "party",
                [
                    {"party": parties[slug], "role": role, "position": i}
                    for i, (slug, role) in enumerate(content.BRIEF_PARTIES)
                ],
            ),
            _replace_links(
                brief,
                BriefSource,
                "source",
                [{"source": sources[key], "position": i} for i, key in enumerate(content.BRIEF_SOURCES)],
            ),
            _replace_links(
                brief,
                BriefQuote,
                "quote",
                [{"quote": quotes[key], "position": i} for i, key in enumerate(content.BRIEF_QUOTES)],
            ),
        ]
    )
    for position, (key, text) in enumerate(content.BRIEF_NOTES):
        _, note_changed = _upsert(Note, {"brief": brief, "key": key}, {"text": text, "position": position})
        links_changed = links_changed or note_changed
    changes += changed + links_changed
    if changed or links_changed or not brief.rendered_at:
        render_brief(brief)
    return brief, changes
