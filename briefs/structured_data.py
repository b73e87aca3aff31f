"""schema.org JSON-LD for a brief: a NewsArticle about its parties, citing its sources."""
from urllib.parse import urlsplit

from django.conf import settings

from .models.choices import ACTING_ROLES, RECEIVING_ROLES, PartyKind


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else f"{settings.SITE_URL}{path}"


def web_url(url):
    """`url` when it is http(s), else None: stored URLs are validated, but output never trusts that."""
    try:
        return url if url and urlsplit(url.strip()).scheme.lower() in ("http", "https") else None
    except ValueError:
        return None


def _party(request, party):
    node = {
        "@type": "Person" if party.kind == PartyKind.PERSON else "Organization",
        "name": party.name,
        "url": absolute(request, party.get_absolute_url()),
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


def brief_jsonld(brief, request=None):
    links = list(brief.party_links.all())
    principal = {link.party_id for link in links if link.role in (*ACTING_ROLES, *RECEIVING_ROLES)}
    about, mentions, seen = [], [], set()
    for link in links:
        if link.party_id in seen:
            continue
        seen.add(link.party_id)
        (about if link.party_id in principal else mentions).append(_party(request, link.party))
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": brief.title,
        "description": brief.dek,
        "url": absolute(request, brief.get_absolute_url()),
        "mainEntityOfPage": absolute(request, brief.get_absolute_url()),
        "dateModified": brief.updated_at.isoformat() if brief.updated_at else None,
        "publisher": {"@type": "Organization", "name": settings.DEALSITE["SITE_NAME"]},
        "about": about,
        "mentions": mentions,
        "citation": [
            {
                "@type": "CreativeWork",
                "name": link.source.title,
                **({"url": web_url(link.source.url)} if web_url(link.source.url) else {}),
                **({"publisher": {"@type": "Organization", "name": link.source.publisher}} if link.source.publisher else {}),
                **({"datePublished": link.source.published_on.isoformat()} if link.source.published_on else {}),
            }
            for link in brief.source_links.all()
        ],
    }
    if brief.published_at:
        data["datePublished"] = brief.published_at.isoformat()
    authors = list(brief.authors.all())
    if authors:
        data["author"] = [{"@type": "Person", "name": user.get_full_name() or user.get_username()} for user in authors]
    amount = monetary_amount(brief)
    if amount:
        data["about"] = [*about, {**amount, "name": f"{brief.get_deal_type_display()} amount"}]
    return {key: value for key, value in data.items() if value not in (None, [], "")}
