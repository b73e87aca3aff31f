"""The brief page's stored parts: its fact box, its end matter and the linked half of its JSON-LD.

Made at save time by render_brief(), like body_html, from the brief and the parties, sources,
quotes and notes it links; a reader's request then renders only the header, the related briefs and
the frame around them (1 query, 2 with related briefs, instead of 7; a fraction of the template work).

Never stale:
- database triggers empty the parts of a brief when anything they show is written — its links and
  notes, its authors and their names, its related briefs, a party, source or quote it shows — in
  the writing transaction, whoever wrote it (briefs/db_triggers.py); the background re-render
  (briefs/signals.py) or the next render_brief makes them again;
- the parts carry a key of the brief's own fields they show plus a digest of their templates, so
  parts made from other deal facts (a write that skipped render_brief) or by another release's
  templates are not used;
- a brief whose parts are missing or not current is rendered in full, by the same code, from the
  database (parts_for).
"""

import functools
import hashlib
import json
from pathlib import Path

from django.db import connection
from django.db.models import prefetch_related_objects
from django.template.loader import get_template

from ..deal_line import deal_sides
from ..models import Brief
from ..models.briefs import DEAL_FACT_FIELDS
from ..queries import brief_link_prefetches, brief_links_queryset, group_party_links
from ..structured_data import linked_jsonld
from .presence import display_name

TEMPLATES = {"fact_box": "briefs/_brief_fact_box.html", "endmatter": "briefs/_brief_endmatter.html"}
# The brief's own fields the parts show (the fact box); the rest of the brief is rendered per request.
OWN_FIELDS = DEAL_FACT_FIELDS
# Bump when the code below changes what the parts show (template edits change the digest by themselves).
FORMAT = 1


@functools.cache
def _templates_digest():
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for name in TEMPLATES.values():
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest()[:16]


def parts_key(brief):
    """What the parts were made from, besides the linked items: the templates and the deal facts."""
    facts = "\x1f".join(str(getattr(brief, field)) for field in OWN_FIELDS)
    return f"{_templates_digest()}:{hashlib.sha256(facts.encode()).hexdigest()[:16]}"


def brief_facts(brief, party_links):
    """The fact box's "who did what to whom": role label → parties, acting side first."""

    def by_role(links):
        rows = {}
        for link in links:
            rows.setdefault(link.get_role_display(), []).append(link.party)
        return list(rows.items())

    sides = deal_sides((link.role, link) for link in party_links)
    return {"acting": by_role(sides.acting), "receiving": by_role(sides.receiving), "partners": by_role(sides.partners)}


def build_parts(brief):
    """The parts of a brief loaded by queries.brief_links_queryset() (links prefetched), plus two
    small queries: its authors' names (the byline) and the ids of its related briefs (which of them
    are published is decided per request)."""
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
    context = {
        "brief": brief,
        "parties": parties,
        "facts": brief_facts(brief, party_links),
        "source_links": source_links,
        "quote_links": quote_links,
        "notes": brief.notes.all(),
    }
    parts = {name: get_template(template).render(context) for name, template in TEMPLATES.items()}
    return {
        "key": parts_key(brief),
        **parts,
        "jsonld": linked_jsonld(brief),
        "authors": [display_name(user) for user in brief.authors.all()],
        "related_ids": list(
            brief.related.through.objects.filter(from_brief=brief).values_list("to_brief_id", flat=True)
        ),
    }


def store_parts(brief):
    """Make and store the parts of `brief` (by pk) from the database; returns the stored JSON.

    Only where the page-parts triggers exist (SQLite, PostgreSQL): elsewhere nothing would empty them."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return ""
    stored = json.dumps(build_parts(brief_links_queryset().get(pk=brief.pk)), ensure_ascii=False)
    Brief.objects.filter(pk=brief.pk).update(page_parts=stored)
    return stored


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
    """Stored parts when current (no query); otherwise made now from the database (6 queries)."""
    parts = None if fresh else current_parts(brief)
    if parts is None:
        prefetch_related_objects([brief], *brief_link_prefetches())
        parts = build_parts(brief)
    return parts
