"""Why a reference in a brief's body resolves to nothing it links, and what the editor does about it.

Two different mistakes give the same symptom: the record exists but is not linked to this brief
(link it in the form), or no record has that key at all (a typo, or a record still to create). The
message tells them apart and, for a typo, names the closest key that does exist (difflib), preferring
what the brief already links.
"""

import dataclasses
import difflib

from ..markup.references import parse_reference
from ..models import Party, Quote, Source


@dataclasses.dataclass(frozen=True)
class Kind:
    noun: str
    key_name: str  # what the key is called for this kind
    section: str  # where in the brief form it is linked
    model: type | None = None  # None: the brief's own records (notes)
    key_field: str = "key"


KINDS = {
    "party": Kind("party", "slug", "Parties in this deal", Party, "slug"),
    "source": Kind("source", "key", "Sources", Source),
    "quote": Kind("quote", "key", "Quotes", Quote),
    "note": Kind("note", "key", "Editorial notes"),
}


def linked_keys(kind, linked):
    return {
        "party": linked.party_urls.keys(),
        "source": linked.sources,
        "quote": linked.quotes,
        "note": linked.notes,
    }[kind]


def closest(key, candidates):
    matches = difflib.get_close_matches(key, sorted(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def explain(errors, linked):
    """`errors` with each "not linked" problem told as one of the two mistakes, with its fix."""
    existing = {}  # kind -> every key of that kind, read once and only when needed
    explained = []
    for error in errors:
        reference = parse_reference(error.reference) if error.code == "unlinked" else None
        # Kinds that feature apps add (briefs.extensions) keep the message their own check gives.
        kind = KINDS.get(reference.kind) if reference is not None else None
        if kind is None:
            explained.append(error)
            continue
        if kind.model is not None and kind.noun not in existing:
            existing[kind.noun] = set(kind.model.objects.values_list(kind.key_field, flat=True))
        explained.append(dataclasses.replace(error, message=_message(reference, kind, linked, existing)))
    return explained


def _message(reference, kind, linked, existing):
    known = existing.get(kind.noun, set())
    if reference.key in known:
        return f"{reference} is not linked to this brief: link it under {kind.section}"
    of_brief = "" if kind.model is not None else " of this brief"
    suggestion = closest(reference.key, linked_keys(kind.noun, linked)) or closest(reference.key, known)
    if suggestion:
        return f"{reference}: no {kind.noun}{of_brief} has the {kind.key_name} {reference.key} (did you mean {suggestion}?)"
    where = f"add it under {kind.section}" if kind.model is None else f"create it, then link it under {kind.section}"
    return f"{reference}: no {kind.noun}{of_brief} has the {kind.key_name} {reference.key}; {where}"
