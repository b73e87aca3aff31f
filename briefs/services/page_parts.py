"""The brief page's stored parts: its fact box, its end matter and the linked half of its JSON-LD.

Made at save time by render_brief(), like body_html (with the API list's parts,
briefs/api/stored_parts.py), from the parties, sources, quotes and notes
the brief links and the deals it is about; a reader's request then renders only the header, the
related briefs, the other briefs of its deals and the frame around them (1 query, 2 with related
briefs or deals, instead of 11; a fraction of the template work). The header's deal type and
announcement date are stored too (`heading`), as are the ids of its deals (`deal_ids`).

Never stale:
- database triggers empty the parts of a brief when anything they show is written — its links and
  notes, its authors and their names, its related briefs, a party, source or quote it shows — in
  the writing transaction, whoever wrote it (briefs/db_triggers.py); the background re-render
  (briefs/signals.py) or the next render_brief makes them again;
- the parts show nothing of the brief's own row: the fact box is made from the deals the brief is
  about (their rows, participants, stages, figures and the parties and sources these name), which
  the triggers watch like any other link, even when a write skips save_deal; so the parts carry
  only a digest of their templates and of this code's format, and parts made by another release
  are not used;
- a brief whose parts are missing or not current is rendered in full, by the same code, from the
  database (parts_for).
"""

import functools
import hashlib
import json
from pathlib import Path

from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.template.loader import get_template

from .. import db_triggers
from ..api.stored_parts import NESTED, build_api_parts, nested_fields
from ..deal_facts import deal_summary, heading
from ..models import Brief
from ..models.briefs import deal_link_prefetch
from ..queries import brief_link_prefetches, brief_links_queryset, group_party_links
from ..structured_data import linked_jsonld
from .presence import display_name

TEMPLATES = {"fact_box": "briefs/_brief_fact_box.html", "endmatter": "briefs/_brief_endmatter.html"}
# Bump when the code below changes what the parts show (template edits change the digest by themselves).
FORMAT = 2


@functools.cache
def _templates_digest():
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for name in TEMPLATES.values():
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest()[:16]


def parts_key(brief):
    """What the parts were made with besides what the triggers watch: the templates and this code.
    Nothing of the brief's own row is in the parts, so nothing of it is in the key."""
    return _templates_digest()


def build_parts(brief, related_ids=None):
    """The parts of a brief loaded by links_queryset() (links and deals prefetched), plus two small
    queries: its authors' names (the byline) and the ids of its related briefs (none when the caller
    passes `related_ids`, as a bulk store does, having read them for all its briefs). Which related briefs
    and which other briefs of its deals are published is decided per request."""
    party_links = list(brief.party_links.all())
    source_links = list(brief.source_links.all())
    parties = group_party_links(party_links)
    linked_party_ids = {entry["party"].pk for entry in parties}
    source_numbers = {link.source_id: link.number for link in source_links}
    quote_links = list(brief.quote_links.all())
    for link in quote_links:
        link.source_number = source_numbers.get(link.quote.source_id)
    for entry in parties:
        party = entry["party"]
        # Parent and affiliation are shown only when linked here too: never a draft-only party.
        entry["parent"] = party.parent if party.parent_id in linked_party_ids else None
        entry["affiliation"] = party.affiliation if party.affiliation_id in linked_party_ids else None
    deal_links = list(brief.deal_links.all())
    context = {
        "brief": brief,
        "deals": [deal_summary(link.deal, link.stage) for link in deal_links],
        "parties": parties,
        "source_links": source_links,
        "quote_links": quote_links,
        "notes": brief.notes.all(),
    }
    parts = {name: get_template(template).render(context) for name, template in TEMPLATES.items()}
    return {
        "key": parts_key(brief),
        **parts,
        "heading": heading(deal_links[0].deal if deal_links else None),
        "deal_ids": [link.deal_id for link in deal_links],
        "jsonld": linked_jsonld(brief),
        "authors": [display_name(user) for user in brief.authors.all()],
        "related_ids": related_ids_of([brief.pk])[brief.pk] if related_ids is None else related_ids,
    }


def related_ids_of(brief_ids):
    """{brief id: the ids of the briefs it names as related, in order} for these briefs, one query."""
    related = {pk: [] for pk in brief_ids}
    links = Brief.related.through.objects.filter(from_brief_id__in=brief_ids).order_by("from_brief_id", "to_brief_id")
    for from_id, to_id in links.values_list("from_brief_id", "to_brief_id"):
        related[from_id].append(to_id)
    return related


def links_queryset():
    """Briefs with what their parts show prefetched: their links and their deals."""
    return brief_links_queryset().prefetch_related(deal_link_prefetch())


def store_parts(brief):
    """Make and store the parts of `brief` (by pk) from the database; returns the stored JSON.

    Only where the page-parts triggers exist (SQLite, PostgreSQL): elsewhere nothing would empty them."""
    if not db_triggers.installed_on(connection):
        return ""
    loaded = links_queryset().get(pk=brief.pk)
    stored = json.dumps(build_parts(loaded), ensure_ascii=False)
    Brief.objects.filter(pk=brief.pk).update(page_parts=stored, **build_api_parts(loaded))
    return stored


def store_parts_in_bulk(brief_ids):
    """Make and store the parts of many briefs (by pk) from the database, for bulk loads: the links,
    deals and authors of all of them in a fixed number of queries, then build_parts's related-brief
    query for each. Returns how many were stored. Only where the page-parts triggers exist."""
    if not db_triggers.installed_on(connection):
        return 0
    briefs = list(links_queryset().filter(pk__in=brief_ids).prefetch_related("authors"))
    related = related_ids_of([brief.pk for brief in briefs])
    fields = nested_fields()
    rows = []
    for brief in briefs:
        stored = json.dumps(build_parts(brief, related[brief.pk]), ensure_ascii=False)
        made = build_api_parts(brief, fields)
        rows.append((stored, *(made[column] for column in NESTED), brief.pk))
    _write_parts(rows)
    return len(briefs)


def _write_parts(rows):
    """One UPDATE statement run for every (page parts, *NESTED, pk) row. bulk_update would build a
    CASE of every row per column, which costs more than making the parts; the triggers fire alike."""
    quote = connection.ops.quote_name
    columns = [Brief._meta.get_field(name).column for name in ("page_parts", *NESTED)]
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(Brief._meta.db_table)} SET {assignments} WHERE {quote(Brief._meta.pk.column)} = %s", rows
        )


def all_parts_current(brief):
    """Whether the page parts and the API's parts are all stored and current."""
    from ..api.stored_parts import stored_api_parts

    return current_parts(brief) is not None and all(stored_api_parts(brief, column) is not None for column in NESTED)


def current_parts(brief):
    """The stored parts when they were made from the brief as it is now, else None."""
    if not brief.page_parts:
        return None
    try:
        parts = json.loads(brief.page_parts)
    except ValueError:  # not ours (a hand edit): render in full, as for missing parts
        return None
    return parts if isinstance(parts, dict) and parts.get("key") == parts_key(brief) else None


def parts_for(brief, fresh=False):
    """Stored parts when current (no query); otherwise made now from the database (10 queries)."""
    parts = None if fresh else current_parts(brief)
    if parts is None:
        prefetch_related_objects([brief], *brief_link_prefetches(), deal_link_prefetch())
        parts = build_parts(brief)
    return parts
