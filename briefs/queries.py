"""Read paths for the public pages: each loads a page's data in a fixed number of queries."""
from django.db.models import Prefetch

from .models import Brief, BriefParty, BriefQuote, BriefSource, Party, Quote


def brief_page_queryset(base=None):
    """A brief with everything its page shows: 7 queries whatever the number of links."""
    base = Brief.objects.all() if base is None else base
    return base.prefetch_related(
        Prefetch(
            "party_links",
            queryset=BriefParty.objects.select_related("party", "party__parent", "party__affiliation"),
        ),
        Prefetch("source_links", queryset=BriefSource.objects.select_related("source")),
        Prefetch(
            "quote_links",
            queryset=BriefQuote.objects.select_related("quote", "quote__speaker", "quote__source"),
        ),
        "notes",
        Prefetch("related", queryset=Brief.objects.published().only("title", "slug", "dek", "published_at")),
        "authors",
    )


def party_page(party):
    """The briefs a party is in (with its roles in each) and its quotes in published briefs."""
    links = list(
        BriefParty.objects.filter(party=party, brief__in=Brief.objects.published())
        .select_related("brief")
        .order_by("-brief__published_at", "brief_id", "position")
    )
    briefs, roles = [], {}
    for link in links:
        if link.brief_id not in roles:
            briefs.append(link.brief)
            roles[link.brief_id] = []
        roles[link.brief_id].append(link.get_role_display())
    for brief in briefs:
        brief.party_roles = roles[brief.pk]
    quotes = list(Quote.objects.public().filter(speaker=party).select_related("source").order_by("-said_on"))
    subsidiaries = list(Party.objects.public().filter(parent=party))
    people = list(Party.objects.public().filter(affiliation=party))
    return {"briefs": briefs, "quotes": quotes, "subsidiaries": subsidiaries, "people": people}
