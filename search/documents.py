"""What the index holds for a brief: SearchEntry field values built from the brief and its links."""

from django.db.models import Prefetch

from briefs.models import Brief, BriefParty, BriefQuote, BriefSource

from .facets import facet_tokens
from .money import money_tokens


def entry_queryset(base=None):
    """Briefs with everything their entry needs, in a fixed number of queries per chunk."""
    base = Brief.objects.all() if base is None else base
    return base.only(
        "pk",
        "title",
        "dek",
        "body_text",
        "published_at",
        "deal_type",
        "currency",
        "announced_on",
        "amount",
        "amount_up_to",
        "valuation",
    ).prefetch_related(
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


def entry_values(brief):
    """Field values for the brief's SearchEntry (brief loaded through entry_queryset)."""
    party_links = list(brief.party_links.all())
    parties, seen = [], set()
    for link in party_links:
        if link.party_id in seen:
            continue
        seen.add(link.party_id)
        parties.append(link.party.name)
        parties.extend(alias for alias in (link.party.aliases or []) if isinstance(alias, str))
    context = []
    for link in brief.quote_links.all():
        context += [link.quote.text, link.quote.speaker.name, link.quote.speaker_role]
    for link in brief.source_links.all():
        context += [link.source.title, link.source.publisher]
    amounts = [a for a in (brief.amount_up_to, brief.amount) if a is not None]
    year = brief.announced_on.year if brief.announced_on else brief.published_at.year
    return {
        "published_at": brief.published_at,
        "deal_type": brief.deal_type,
        "currency": brief.currency or "",
        "year": year,
        "amount_sort": max(amounts) if amounts else None,
        "party_ids": " ".join(str(pk) for pk in dict.fromkeys(link.party_id for link in party_links)),
        "deal_line": [[link.party.name, link.party.slug, link.role, link.party_id] for link in party_links],
        "title": _clean(brief.title),
        "parties": _join(parties),
        "dek": _clean(brief.dek),
        "money": money_tokens(
            [brief.title, brief.dek, brief.body_text, *context],
            [brief.amount, brief.amount_up_to, brief.valuation],
        ),
        "context": _join(context),
        "body": _clean(brief.body_text),
        "facets": facet_tokens(brief.deal_type, brief.currency, year, [link.party.slug for link in party_links]),
    }


def party_names(brief):
    """(party id, name) pairs of the brief's linked parties, for "did you mean"."""
    return {link.party_id: link.party.name for link in brief.party_links.all()}
