"""Revisions of a brief with its links (django-reversion), readable diffs, and restore.

record_revision() is called by the save path (briefs.services.saving), once the brief and its links
are saved, so the revision holds the final state of the links. Restoring a revision is
briefs.services.restoring.
restore_revision() puts back exactly the body and links (the deals it is about among them) of a
revision and records the result as a new revision; the brief's status and publication time are left
alone. A deal's own revisions (record_deal_revision, called by the deal save path) hold the deal with
its participants, stages and figures.
"""

import difflib
from dataclasses import dataclass, field

import reversion

from ..models import (
    Brief,
    BriefDeal,
    BriefParty,
    BriefQuote,
    BriefRevision,
    BriefSource,
    Deal,
    DealStage,
    Note,
    Party,
    Quote,
    Source,
)

LINK_MODELS = (BriefParty, BriefSource, BriefQuote, Note, BriefDeal)
M2M_FIELDS = ("authors", "related")
FACT_FIELDS = ("title", "slug", "dek")


def record_revision(brief, user=None, comment=""):
    """Store the brief's current content and links as a new revision; returns the BriefRevision."""
    brief = Brief.objects.get(pk=brief.pk)  # the saved state, as the database normalised it
    with reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment or "Saved.")
        reversion.add_to_revision(brief)
        reversion.add_meta(BriefRevision, brief=brief, brief_version=brief.version)
    return BriefRevision.objects.filter(brief=brief).select_related("revision").order_by("-pk").first()


def record_deal_revision(deal, user=None, comment="Saved."):
    """Store the deal with its participants, stages and figures as they are now saved."""
    with reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(Deal.objects.get(pk=deal.pk))


def revisions_of(brief):
    return BriefRevision.objects.filter(brief=brief).select_related("revision__user").order_by("-pk")


# Snapshots and diffs ---------------------------------------------------------------------------


@dataclass
class Snapshot:
    """A brief's content in comparable, readable form."""

    fields: dict
    authors: list = field(default_factory=list)
    related: list = field(default_factory=list)
    parties: list = field(default_factory=list)  # "Amazon — Investor", in order
    sources: list = field(default_factory=list)  # source keys, in order
    quotes: list = field(default_factory=list)  # quote keys, in order
    notes: list = field(default_factory=list)  # "key: text", in order
    deals: list = field(default_factory=list)  # "deal name" or "deal name — stage reported", in order


def snapshot_of_brief(brief):
    brief = Brief.objects.get(pk=brief.pk)
    return Snapshot(
        fields={name: getattr(brief, name) for name in ("body", *FACT_FIELDS)},
        authors=sorted(str(user) for user in brief.authors.all()),
        related=sorted(str(other) for other in brief.related.all()),
        parties=[
            f"{link.party.name} — {link.get_role_display()}"
            for link in brief.party_links.select_related("party").order_by("position", "pk")
        ],
        sources=[link.source.key for link in brief.source_links.select_related("source").order_by("position", "pk")],
        quotes=[link.quote.key for link in brief.quote_links.select_related("quote").order_by("position", "pk")],
        notes=[f"{note.key}: {note.text}" for note in brief.notes.order_by("position", "pk")],
        deals=[
            _deal_line(link.deal, link.stage)
            for link in brief.deal_links.select_related("deal", "stage").order_by("position", "pk")
        ],
    )


def _deal_line(deal, stage):
    return f"{deal} — {stage}" if stage is not None else str(deal)


def snapshot_of_revision(brief_revision):
    versions = list(brief_revision.revision.version_set.all())
    by_model = {}
    for version in versions:
        by_model.setdefault(version._model, []).append(version)
    brief_version = next(v for v in by_model.get(Brief, []) if v.object_id == str(brief_revision.brief_id))
    data = brief_version.field_dict
    obj = brief_version._object_version.object
    role_labels = dict(BriefParty._meta.get_field("role").choices)

    def rows(model):
        found = [v._object_version.object for v in by_model.get(model, [])]
        return sorted(
            (row for row in found if row.brief_id == brief_revision.brief_id), key=lambda r: (r.position, r.pk)
        )

    party_links, source_links, quote_links = rows(BriefParty), rows(BriefSource), rows(BriefQuote)
    deal_links = rows(BriefDeal)
    deals = Deal.objects.in_bulk([link.deal_id for link in deal_links])
    stages = DealStage.objects.in_bulk([link.stage_id for link in deal_links if link.stage_id])
    parties = Party.objects.in_bulk([link.party_id for link in party_links])
    sources = Source.objects.in_bulk([link.source_id for link in source_links])
    quotes = Quote.objects.in_bulk([link.quote_id for link in quote_links])
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk([int(pk) for pk in data.get("authors", [])])
    others = Brief.objects.in_bulk([int(pk) for pk in data.get("related", [])])
    return Snapshot(
        fields={name: getattr(obj, name) for name in ("body", *FACT_FIELDS)},
        authors=sorted(str(user) for user in users.values()),
        related=sorted(str(other) for other in others.values()),
        parties=[
            f"{parties[link.party_id].name if link.party_id in parties else f'party #{link.party_id}'} — {role_labels.get(link.role, link.role)}"
            for link in party_links
        ],
        sources=[
            sources[link.source_id].key if link.source_id in sources else f"source #{link.source_id}"
            for link in source_links
        ],
        quotes=[
            quotes[link.quote_id].key if link.quote_id in quotes else f"quote #{link.quote_id}" for link in quote_links
        ],
        notes=[f"{note.key}: {note.text}" for note in rows(Note)],
        deals=[
            _deal_line(
                deals.get(link.deal_id, f"deal #{link.deal_id}"),
                stages.get(link.stage_id, f"stage #{link.stage_id}") if link.stage_id else None,
            )
            for link in deal_links
        ],
    )


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Diff:
    changes: list  # Change for each field / list that differs
    body_lines: list  # (op, text): op is " ", "-" or "+"

    @property
    def body_changed(self):
        return any(op != " " for op, _ in self.body_lines)

    @property
    def empty(self):
        return not self.changes and not self.body_changed

    def summary(self):
        parts = [change.label for change in self.changes]
        if self.body_changed:
            parts.insert(0, "body")
        return ", ".join(parts) or "nothing"


def diff(old, new, context=2):
    """What changed from snapshot `old` to snapshot `new`."""
    changes = []
    for name in FACT_FIELDS:
        a, b = old.fields.get(name), new.fields.get(name)
        if _display(a) != _display(b):
            changes.append(Change(_label(name), _display(a), _display(b)))
    for name in ("authors", "related", "deals", "parties", "sources", "quotes", "notes"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            changes.append(Change(_label(name), "; ".join(a) or "—", "; ".join(b) or "—"))
    body_lines = []
    old_lines = (old.fields.get("body") or "").splitlines()
    new_lines = (new.fields.get("body") or "").splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if body_lines:
            body_lines.append(("…", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                body_lines += [(" ", line) for line in old_lines[i1:i2]]
            else:
                body_lines += [("-", line) for line in old_lines[i1:i2]]
                body_lines += [("+", line) for line in new_lines[j1:j2]]
    return Diff(changes, body_lines)


def _label(name):
    if name in Brief._meta._forward_fields_map or name in M2M_FIELDS:
        return str(Brief._meta.get_field(name).verbose_name)
    return name


def _display(value):
    if value is None or value == "":
        return "—"
    return str(value)
