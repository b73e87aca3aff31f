"""What the index holds for a brief: SearchEntry field values built from the brief, its links and
the deals it is about.

Deal facts (type, status, series, lead investors, currency, year of announcement, the headline in
US dollars and what the result list shows of each deal) come from the brief's deals, worded by the
same code as the site's lists (briefs.deal_line), so a search hit needs no query of its own to show
them. The entry is refreshed when a deal changes (search.receivers).
"""

from django.db.models import Prefetch

from briefs.deal_line import deal_line
from briefs.models import Brief, BriefDeal, BriefParty, BriefQuote, BriefSource, DealFigure, DealParticipant

from .facets import facet_tokens
from .money import money_tokens


def entry_queryset(base=None):
    """Briefs with everything their entry needs, in a fixed number of queries per chunk."""
    base = Brief.objects.all() if base is None else base
    return base.only("pk", "title", "dek", "body_text", "published_at").prefetch_related(
        Prefetch(
            "deal_links",
            queryset=BriefDeal.objects.select_related("deal").prefetch_related(
                Prefetch("deal__participants", queryset=DealParticipant.objects.select_related("party")),
                Prefetch("deal__figures", queryset=DealFigure.objects.select_related("source")),
            ),
        ),
        Prefetch("party_links", queryset=BriefParty.objects.select_related("party").order_by("position", "pk")),
        Prefetch(
            "quote_links", queryset=BriefQuote.objects.select_related("quote__speaker").order_by("position", "pk")
        ),
        Prefetch("source_links", queryset=BriefSource.objects.select_related("source").order_by("position", "pk")),
    )


# The engines' highlight markers (backends.base) must never come from content.
_MARKERS = dict.fromkeys(map(ord, "\ue000\ue001\x1e"))


def _clean(text):
    return (text or "").translate(_MARKERS)


def _join(parts):
    return "\n".join(_clean(part) for part in parts if part)


def _usd(value):
    return float(value) if value is not None else None


def deal_facts(deals):
    """The deals' facts for facets, sorts and the result list (SearchEntry.deal_facts)."""
    facts = {"types": [], "statuses": [], "series": [], "currencies": [], "years": [], "leads": [], "lines": []}
    for deal in deals:
        facts["types"].append(deal.deal_type)
        facts["statuses"].append(deal.status)
        if deal.series:
            facts["series"].append(deal.series)
        currency = deal.headline_currency or deal.currency
        if currency:
            facts["currencies"].append(currency)
        day = deal.announced_on or deal.rumoured_on
        if day:
            facts["years"].append(day.year)
        facts["leads"] += [[p.party.name, p.party.slug, p.party_id] for p in deal.participants.all() if p.is_lead]
        line = deal_line(deal)
        facts["lines"].append(
            {"kind": line.kind, "size": line.size, "status": line.status}
            | {"date_label": line.date_label, "date": line.date, "date_iso": line.date_iso}
        )
    for name in ("types", "statuses", "series", "currencies", "years"):
        facts[name] = list(dict.fromkeys(facts[name]))
    facts["leads"] = list({lead[2]: lead for lead in facts["leads"]}.values())
    headlines = [deal.headline_usd for deal in deals if deal.headline_usd is not None]
    reported = [deal.reported_usd for deal in deals if deal.reported_usd is not None]
    # "amount" sorts by the official headline in USD; "amount_reported" by it, else by what was
    # reported of an undisclosed deal.
    facts["usd"] = _usd(max(headlines, default=None))
    facts["reported_usd"] = facts["usd"] if facts["usd"] is not None else _usd(max(reported, default=None))
    return facts


def entry_values(brief):
    """Field values for the brief's SearchEntry (brief loaded through entry_queryset)."""
    party_links = list(brief.party_links.all())
    deals = [link.deal for link in brief.deal_links.all()]
    participants = [p for deal in deals for p in deal.participants.all()]
    named = [(link.party, link.party_id) for link in party_links] + [(p.party, p.party_id) for p in participants]
    parties, seen = [], {}
    for party, pk in named:
        if pk in seen:
            continue
        seen[pk] = party
        parties.append(party.name)
        parties.extend(alias for alias in (party.aliases or []) if isinstance(alias, str))
    context = []
    for link in brief.quote_links.all():
        context += [link.quote.text, link.quote.speaker.name, link.quote.speaker_role]
    for link in brief.source_links.all():
        context += [link.source.title, link.source.publisher]
    facts = deal_facts(deals)
    facts["parties"] = [[party.name, party.slug, pk] for pk, party in seen.items()]
    amounts = [f.amount for deal in deals for f in deal.figures.all() if f.amount is not None]
    amounts += [p.amount for p in participants if p.amount is not None]
    years = facts["years"] or [brief.published_at.year]
    return {
        "published_at": brief.published_at,
        "deal_type": facts["types"][0] if facts["types"] else "",
        "currency": facts["currencies"][0] if facts["currencies"] else "",
        "year": years[0],
        "amount_sort": max((d.headline_usd for d in deals if d.headline_usd is not None), default=None),
        "party_ids": " ".join(str(pk) for pk in seen),
        "deal_line": [[p.party.name, p.party.slug, p.role, p.party_id] for p in participants],
        "deal_facts": facts,
        "title": _clean(brief.title),
        "parties": _join(parties),
        "dek": _clean(brief.dek),
        "money": money_tokens([brief.title, brief.dek, brief.body_text, *context], amounts),
        "context": _join(context),
        "body": _clean(brief.body_text),
        "facets": facet_tokens(
            facts["types"],
            facts["currencies"],
            years,
            [party.slug for party in seen.values()],
            statuses=facts["statuses"],
            series=facts["series"],
            leads=[slug for _name, slug, _pk in facts["leads"]],
        ),
    }


def party_names(brief):
    """(party id, name) pairs of the brief's linked parties and its deals' participants, for "did you mean"."""
    names = {p.party_id: p.party.name for link in brief.deal_links.all() for p in link.deal.participants.all()}
    return names | {link.party_id: link.party.name for link in brief.party_links.all()}
