"""A brief's API representations, their nested half made at save time: for the list item the deals
it is about and its parties (Brief.api_parts), for the detail those and its sources, quotes and
notes (Brief.api_detail_parts), as the serializers show them to the public.

Those nested lists are most of an uncached response's cost (the prefetch queries and thousands of
model instances and field calls). They show only what the page parts show — the brief's links and
notes, the deals with their stages and figures, the parties, sources and quotes — so they are made
with the page parts (briefs.services.page_parts) and emptied with them by the database triggers,
whoever writes. A response then reads them with the row and serializes only the brief's own fields
and what is decided per request: the published related briefs, the annotations (whose references
name the targets' keys), and features' fields.

Used for readers who see what the public sees: every brief they are shown is live, so every deal it
is about is public and the stored deals are exactly the ones they may see. Staff, who may read
drafts about deals not yet public, get the full serialization. The parts carry a key of the release
and SITE_URL (their links are absolute): parts made by other code or for another address are not
used, and the brief is serialized in full.
"""

import hashlib
import json

from django.conf import settings

from ..freshness.state import RELEASE

# Column → the fields it stores.
NESTED = {
    "api_parts": ("deals", "parties"),
    "api_detail_parts": ("deals", "parties", "sources", "quotes", "notes"),
}


def parts_key():
    return hashlib.sha256(f"{RELEASE}|{settings.SITE_URL}".encode()).hexdigest()[:16]


def nested_fields():
    """The public detail serializer's fields that the columns store. Making them copies every nested
    serializer's declared fields, so a bulk store makes them once and passes them to each brief."""
    from .serializers.briefs import BriefDetailSerializer

    return BriefDetailSerializer(context={}).fields


def build_api_parts(brief, fields=None):
    """{column: stored JSON} of a brief loaded with its links and deals (links_queryset); `fields`
    from nested_fields(). A list both columns store (deals, parties) is serialized once."""
    fields = nested_fields() if fields is None else fields
    key = parts_key()
    shown = {}
    made = {}
    for column, names in NESTED.items():
        for name in names:
            if name not in shown:
                shown[name] = fields[name].to_representation(fields[name].get_attribute(brief))
        data = {name: shown[name] for name in names}
        made[column] = json.dumps({"key": key, **data}, ensure_ascii=False, separators=(",", ":"))
    return made


def stored_api_parts(brief, column="api_parts"):
    """The stored nested lists when made by this release for this address, else None."""
    stored = brief.__dict__.get(column)  # deferred on other lists: never a query here
    if not stored:
        return None
    try:
        parts = json.loads(stored)
    except ValueError:
        return None
    return parts if isinstance(parts, dict) and parts.pop("key", None) == parts_key() else None
