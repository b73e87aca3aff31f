"""Keep body markup in step when a party's slug, or a source's or quote's key, changes."""

import re

from ..models import Brief

_LOOKUPS = {"party": "party_links__party", "source": "source_links__source", "quote": "quote_links__quote"}


def _reference_pattern(kind, key):
    # Inline links `](party:key)` / `](party:key "title")` and definitions `[x]: party:key`.
    return re.compile(rf"(?P<lead>\]\(\s*|\]:[ \t]*){kind}:{re.escape(key)}(?=[\s)]|$)", re.IGNORECASE | re.MULTILINE)


def rewrite_references(kind, pk, old_key, new_key):
    """Rewrite `kind:old_key` to `kind:new_key` in the bodies of briefs that link the item.

    Returns the ids of the briefs changed; the caller re-renders them.
    """
    pattern = _reference_pattern(kind, old_key)
    changed = []
    for brief in Brief.objects.filter(**{_LOOKUPS[kind]: pk}).distinct().only("pk", "body"):
        body = pattern.sub(lambda m: f"{m.group('lead')}{kind}:{new_key}", brief.body)
        if body != brief.body:
            Brief.objects.filter(pk=brief.pk).update(body=body)
            changed.append(brief.pk)
    return changed
