"""schema.org JSON-LD for a brief: a NewsArticle about its parties, citing its sources.

Two halves: `linked_jsonld` (the parties and sources the brief links) is stored with the brief's
page parts at save time, with site-relative party URLs; `brief_jsonld` adds the brief's own fields,
its authors and the request's absolute URLs on every request.
"""

from django.conf import settings

from .markup.sanitize import web_url
from .models.choices import ACTING_ROLES, RECEIVING_ROLES, PartyKind


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else f"{settings.SITE_URL}{path}"


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


def monetary_amount(brief):
    """The deal's amount as a MonetaryAmount; None when undisclosed or not applicable."""
    if brief.amount is None and brief.amount_up_to is None:
        return None
    node = {"@type": "MonetaryAmount", "currency": brief.currency}
    if brief.amount is not None:
        node["value"] = str(brief.amount)
        node["minValue"] = str(brief.amount)
    if brief.amount_up_to is not None:
        node["maxValue"] = str(brief.amount_up_to)
    return node


def linked_jsonld(brief):
    """about/mentions (parties: principals, then the others) and citation (sources), from the
    brief's prefetched links; plain JSON, so it can be stored with the page parts."""
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
    return {"about": about, "mentions": mentions, "citation": citation}


def brief_jsonld(brief, linked, authors, request=None):
    """The NewsArticle: `linked` from linked_jsonld(), `authors` the names of the brief's authors."""
    url = absolute(request, brief.get_absolute_url())

    def with_absolute_url(node):
        return {**node, "url": absolute(request, node["url"])}

    about = [with_absolute_url(node) for node in linked["about"]]
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
        "mentions": [with_absolute_url(node) for node in linked["mentions"]],
        "citation": linked["citation"],
    }
    if brief.published_at:
        data["datePublished"] = brief.published_at.isoformat()
    if authors:
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    amount = monetary_amount(brief)
    if amount:
        data["about"] = [*about, {**amount, "name": f"{brief.get_deal_type_display()} amount"}]
    return {key: value for key, value in data.items() if value not in (None, [], "")}
