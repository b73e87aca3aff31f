"""Idempotent loading of the demo: a second run finds nothing to change.

Deals are saved through services.deals.save_deal and briefs through services.saving.save_brief,
each only when something differs from what is saved, so a second run writes nothing. Every value
passes the product's text rule (briefs.text) on its way in, as an editor's would.
"""

from django.db import transaction

from ..models import (
    Brief,
    BriefDeal,
    BriefParty,
    BriefQuote,
    BriefSource,
    Deal,
    DealFigure,
    DealParticipant,
    DealStage,
    Note,
    Party,
    Quote,
    Source,
)
from ..models.choices import FigureKind
from ..services.deals import deal_problems, save_deal
from ..services.saving import Links, save_brief
from ..text import printable_fields, printable_in
from . import content


def _upsert(model, lookup, values):
    """Create or update one row, saving only when a value differs. Returns (obj, changed)."""
    values = printable_in(values)
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return obj, bool(changed)


# Deals ------------------------------------------------------------------------------------------

_PARTICIPANT = ("party_id", "role", "is_lead", "amount", "currency")
_STAGE = ("occurred_on", "precision", "status", "description", "amount", "currency")
_FIGURE = ("stage_position", "kind", "basis", "amount", "currency", "percent", "as_of", "source_id", "reported_by")


def _wanted_rows(spec, parties, sources):
    participants = [
        DealParticipant(party=parties[slug], role=role, position=i, **extra)
        for i, (slug, role, extra) in enumerate(spec["participants"])
    ]
    stages = [DealStage(position=i, **stage) for i, stage in enumerate(spec["stages"])]
    figures = []
    for i, figure in enumerate(spec["figures"]):
        values = {k: v for k, v in figure.items() if k not in ("stage", "source")}
        if figure["kind"] != FigureKind.STAKE:
            values.setdefault("currency", spec["fields"]["currency"])
        row = DealFigure(position=i, source=sources[figure["source"]], **values)
        row.stage_position = figure.get("stage")
        figures.append(row)
    for row in (*participants, *stages, *figures):
        printable_fields(row)
    return participants, stages, figures


def _rows_of(participants, stages, figures):
    """Comparable tuples of a deal's rows, saved or wanted."""
    stage_position = {stage.pk: stage.position for stage in stages if stage.pk}
    for figure in figures:
        if not hasattr(figure, "stage_position"):
            figure.stage_position = stage_position.get(figure.stage_id)
    return (
        [tuple(getattr(row, name) for name in _PARTICIPANT) for row in participants],
        [tuple(getattr(row, name) for name in _STAGE) for row in stages],
        [tuple(getattr(row, name) for name in _FIGURE) for row in figures],
    )


def _load_deal(spec, parties, sources):
    """Create or update one deal with its rows; returns (deal, its stages in order, changed)."""
    deal = Deal.objects.filter(slug=spec["slug"]).first() or Deal(slug=spec["slug"])
    fields = printable_in(spec["fields"])
    changed = [name for name, value in fields.items() if getattr(deal, name) != value]
    for name in changed:
        setattr(deal, name, fields[name])
    participants, stages, figures = _wanted_rows(spec, parties, sources)
    saved = _rows_of(deal.participants.all(), list(deal.stages.all()), deal.figures.all()) if deal.pk else None
    if deal.pk and not changed and saved == _rows_of(participants, stages, figures):
        return deal, list(deal.stages.all()), False
    problems = deal_problems(deal, participants, stages, figures)
    if problems:
        raise ValueError(f"demo deal {spec['slug']}: " + "; ".join(f"{p.field}: {p.message}" for p in problems))

    def replace_rows(deal):
        DealFigure.objects.filter(deal=deal).delete()
        DealStage.objects.filter(deal=deal).delete()
        DealParticipant.objects.filter(deal=deal).delete()
        for row in (*participants, *stages):
            row.deal = deal
            row.save()
        for figure in figures:
            figure.deal = deal
            figure.stage = None if figure.stage_position is None else stages[figure.stage_position]
            figure.save()

    deal = save_deal(deal, rows=replace_rows)
    return deal, stages, True


# Briefs -----------------------------------------------------------------------------------------


def _links_differ(brief, links):
    """Whether the saved brief's links are other than `links` (a Links with every list given)."""
    if brief.pk is None:
        return True
    saved = (
        [(link.party_id, link.role) for link in BriefParty.objects.filter(brief=brief).order_by("position", "pk")],
        list(BriefSource.objects.filter(brief=brief).order_by("position", "pk").values_list("source_id", flat=True)),
        list(BriefQuote.objects.filter(brief=brief).order_by("position", "pk").values_list("quote_id", flat=True)),
        list(Note.objects.filter(brief=brief).order_by("position", "pk").values_list("key", "text")),
        list(BriefDeal.objects.filter(brief=brief).order_by("position", "pk").values_list("deal_id", "stage_id")),
    )
    wanted = (
        [(party.pk, role) for party, role in links.parties],
        [source.pk for source in links.sources],
        [quote.pk for quote in links.quotes],
        [tuple(note) for note in links.notes],
        [(deal.pk, stage.pk if stage else None) for deal, stage in links.deals],
    )
    return saved != wanted


def _load_brief(spec, parties, sources, quotes, deals):
    deal, stages = deals[spec["deal"][0]]
    stage = stages[spec["deal"][1]]
    values = printable_in(spec["fields"])
    brief = Brief.objects.filter(slug=spec["slug"]).first() or Brief(slug=spec["slug"])
    changed = [name for name, value in values.items() if getattr(brief, name) != value]
    for name in changed:
        setattr(brief, name, values[name])
    links = Links(
        parties=[(parties[slug], role) for slug, role in spec["parties"]],
        sources=[sources[key] for key in spec["sources"]],
        quotes=[quotes[key] for key in spec["quotes"]],
        notes=printable_in(list(spec["notes"])),
        deals=[(deal, stage)],
    )
    if changed or _links_differ(brief, links) or not brief.rendered_at:
        return save_brief(brief, links=links, comment="Loaded the demo brief."), True
    return brief, False


@transaction.atomic
def load_demo():
    """Load (or bring up to date) the demo; returns (the September 2023 announcement brief, the
    number of changes made)."""
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
    deals = {}
    for spec in content.DEALS:
        deal, stages, changed = _load_deal(spec, parties, sources)
        deals[spec["slug"]] = (deal, stages)
        changes += changed
    briefs = {}
    for spec in content.BRIEFS:
        briefs[spec["slug"]], changed = _load_brief(spec, parties, sources, quotes, deals)
        changes += changed
    return briefs[content.BRIEF_SLUG], changes
