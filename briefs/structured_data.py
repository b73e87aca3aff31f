"""schema.org JSON-LD for a brief: a NewsArticle about its parties and its deals, citing its sources.

Two halves: `linked_jsonld` (the parties, sources and deals the brief links) is stored with the
brief's page parts at save time, with site-relative URLs; `brief_jsonld` adds the brief's own
fields, its authors and the request's absolute URLs on every request.

A deal is an Action in the article's `about` (schema.org has no "deal" type; an Action is a Thing
and so a valid `about`), typed by what happened:

- investment, funding round → InvestOrDonateAction, its official size as `amount` (MonetaryAmount);
- acquisition, merger, divestiture → BuyAction, the target as `object`, the sellers as `seller`, the
  official size as `price` + `priceCurrency` (TradeAction's own properties);
- any other deal (partnership, joint venture, IPO, debt, other) → Action.

Every Action has `name`, `url` (the deal page), `agent` (the acting side: investors, lead first,
acquirers, lenders; for a deal without one, the partners), `participant` (every other party, each
an Organization or Person as in `about`), `startTime` (announced) and `endTime` (completed or
ended), at the precision the date is known, and `actionStatus`: rumoured →
PotentialActionStatus, announced → ActiveActionStatus, completed → CompletedActionStatus,
terminated or withdrawn → FailedActionStatus. A MonetaryAmount has `currency` (ISO 4217) and
`value`, or `minValue`/`maxValue` for "$1.25 billion, up to $4 billion"; only official figures
are given, so an undisclosed deal has no amount here (what others reported is on the page).
"""

from django.conf import settings

from dealsite.site_url import absolute_url

from .deal_line import deal_sides
from .deal_wording import date_iso, figures_of
from .markup.sanitize import web_url
from .models.choices import (
    ACTING_ROLES,
    RECEIVING_ROLES,
    DealStatus,
    DealType,
    FigureBasis,
    FigureKind,
    ParticipantRole,
    PartyKind,
)

_ACTION_TYPES = {
    DealType.INVESTMENT: "InvestOrDonateAction",
    DealType.FUNDING_ROUND: "InvestOrDonateAction",
    DealType.ACQUISITION: "BuyAction",
    DealType.MERGER: "BuyAction",
    DealType.DIVESTITURE: "BuyAction",
}
_ACTION_STATUSES = {
    DealStatus.RUMOURED: "PotentialActionStatus",
    DealStatus.ANNOUNCED: "ActiveActionStatus",
    DealStatus.COMPLETED: "CompletedActionStatus",
    DealStatus.TERMINATED: "FailedActionStatus",
    DealStatus.WITHDRAWN: "FailedActionStatus",
}


def absolute(request, path):
    """The canonical URL of a path, whichever host the request came in on."""
    return absolute_url(path)


def _party(party):
    node = {
        "@type": "Person" if party.kind == PartyKind.PERSON else "Organization",
        "name": party.name,
        "url": party.get_absolute_url(),  # site-relative here; brief_jsonld makes it absolute
    }
    if party.aliases:
        node["alternateName"] = party.aliases
    if web_url(party.website):
        node["sameAs"] = [web_url(party.website)]
    if party.wikidata_id:
        node.setdefault("sameAs", []).append(f"https://www.wikidata.org/wiki/{party.wikidata_id}")
    if party.kind == PartyKind.PERSON and party.title:
        node["jobTitle"] = party.title
    return node


def monetary_amount(deal):
    """The deal's official size as a MonetaryAmount: the amount as `value` (with its "up to" as
    `maxValue`), else the total to date; None when no official size is known."""
    official = {f.kind: f for f in figures_of(deal) if f.basis == FigureBasis.OFFICIAL and f.stage_id is None}
    if not official:
        official = {f.kind: f for f in figures_of(deal) if f.basis == FigureBasis.OFFICIAL}
    amount = official.get(FigureKind.AMOUNT) or official.get(FigureKind.TOTAL_TO_DATE)
    up_to = official.get(FigureKind.UP_TO)
    if amount is None and up_to is None:
        return None
    node = {"@type": "MonetaryAmount", "currency": (amount or up_to).currency}
    if amount is not None:
        node["value"] = str(amount.amount)
    if up_to is not None and (amount is None or (up_to.amount, up_to.currency) != (amount.amount, amount.currency)):
        if amount is not None and amount.currency == up_to.currency:
            node["minValue"] = str(amount.amount)
        node["maxValue"] = str(up_to.amount)
    return node


def deal_action(deal):
    """The deal as a schema.org Action (see the module docstring), from its prefetched rows."""
    participants = list(deal.participants.all())
    sides = deal_sides((p.role, p) for p in sorted(participants, key=lambda p: not p.is_lead))
    agents = sides.acting or sides.partners
    node = {"@type": _ACTION_TYPES.get(deal.deal_type, "Action"), "name": deal.name, "url": deal.get_absolute_url()}
    if deal.summary:
        node["description"] = deal.summary
    node["actionStatus"] = f"https://schema.org/{_ACTION_STATUSES[deal.status]}"
    if deal.announced_on:
        node["startTime"] = date_iso(deal.announced_on, deal.announced_precision)
    if deal.closed_on or deal.ended_on:
        node["endTime"] = (
            date_iso(deal.closed_on, deal.closed_precision) if deal.closed_on else deal.ended_on.isoformat()
        )
    agent_ids = {p.pk for p in agents}
    node["agent"] = _unique_parties(agents)
    amount = monetary_amount(deal)
    if node["@type"] == "BuyAction":
        targets = [p for p in participants if p.role == ParticipantRole.TARGET]
        sellers = [p for p in participants if p.role == ParticipantRole.SELLER]
        node["object"] = _unique_parties(targets)
        node["seller"] = _unique_parties(sellers)
        agent_ids |= {p.pk for p in [*targets, *sellers]}
        if amount is not None and "value" in amount:
            node["price"], node["priceCurrency"] = amount["value"], amount["currency"]
    elif node["@type"] == "InvestOrDonateAction" and amount is not None:
        node["amount"] = amount
    node["participant"] = _unique_parties(p for p in participants if p.pk not in agent_ids)
    return {key: value for key, value in node.items() if value not in (None, [], "")}


def _unique_parties(participants):
    nodes, seen = [], set()
    for participant in participants:
        if participant.party_id not in seen:
            seen.add(participant.party_id)
            nodes.append(_party(participant.party))
    return nodes


def linked_jsonld(brief):
    """about/mentions (parties: principals, then the others), deals (Actions) and citation (sources),
    from the brief's prefetched links and deals; plain JSON, so it can be stored with the page parts."""
    links = list(brief.party_links.all())
    principal = {link.party_id for link in links if link.role in (*ACTING_ROLES, *RECEIVING_ROLES)}
    about, mentions, seen = [], [], set()
    for link in links:
        if link.party_id in seen:
            continue
        seen.add(link.party_id)
        (about if link.party_id in principal else mentions).append(_party(link.party))
    citation = [
        {
            "@type": "CreativeWork",
            "name": link.source.title,
            **({"url": web_url(link.source.url)} if web_url(link.source.url) else {}),
            **(
                {"publisher": {"@type": "Organization", "name": link.source.publisher}} if link.source.publisher else {}
            ),
            **({"datePublished": link.source.published_on.isoformat()} if link.source.published_on else {}),
        }
        for link in brief.source_links.all()
    ]
    deals = [deal_action(link.deal) for link in brief.deal_links.all()]
    return {"about": about, "mentions": mentions, "deals": deals, "citation": citation}


def brief_jsonld(brief, linked, authors, request=None):
    """The NewsArticle: `linked` from linked_jsonld(), `authors` the names of the brief's authors."""
    url = absolute(request, brief.get_absolute_url())

    def with_absolute_url(node):
        """The node with every site-relative `url` in it (its own, its parties') made absolute."""
        if isinstance(node, list):
            return [with_absolute_url(item) for item in node]
        if not isinstance(node, dict):
            return node
        return {
            key: absolute(request, value) if key == "url" and value.startswith("/") else with_absolute_url(value)
            for key, value in node.items()
        }

    about = with_absolute_url([*linked["about"], *linked["deals"]])
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": brief.title,
        "description": brief.dek,
        "url": url,
        "mainEntityOfPage": url,
        "dateModified": brief.updated_at.isoformat() if brief.updated_at else None,
        "publisher": {"@type": "Organization", "name": settings.DEALSITE["SITE_NAME"]},
        "about": about,
        "mentions": with_absolute_url(linked["mentions"]),
        "citation": linked["citation"],
    }
    if brief.published_at:
        data["datePublished"] = brief.published_at.isoformat()
    if authors:
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    return {key: value for key, value in data.items() if value not in (None, [], "")}
