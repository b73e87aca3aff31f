"""Read paths for the public pages: each loads a page's data in a fixed number of queries."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils.safestring import mark_safe

from .deal_facts import deal_summary, figure_rows, stage_rows
from .models import Brief, BriefParty, BriefQuote, BriefSource, DealFigure, DealParticipant, Party, Quote
from .models.briefs import published_q
from .models.choices import PartyRole
from .services import party_parts


def brief_link_prefetches():
    """The parties, sources, quotes and notes a brief links: 4 queries whatever their number."""
    return [
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
    ]


def brief_links_queryset(base=None):
    """Briefs with their links prefetched (brief_link_prefetches)."""
    base = Brief.objects.all() if base is None else base
    return base.prefetch_related(*brief_link_prefetches())


def brief_page_queryset(base=None):
    """A brief with everything about it (links, related briefs, authors): 7 queries."""
    return brief_links_queryset(base).prefetch_related(
        Prefetch("related", queryset=Brief.objects.published().only("title", "slug", "dek", "published_at")),
        "authors",
    )


def brief_detail_queryset(base=None):
    """The API's brief detail: the page's queryset plus every annotation with its target, so a brief
    with thousands of annotations is still a fixed number of queries."""
    return brief_links_queryset(base).prefetch_related(*brief_detail_request_prefetches(), "authors")


def brief_detail_request_prefetches():
    """What the API detail decides per request even when its nested lists are stored
    (briefs/api/stored_parts.py): which related briefs are published, and the annotations, whose
    references name their targets' current keys. 2 queries."""
    from .models import Annotation

    annotations = Annotation.objects.select_related("party", "source", "quote", "note").order_by("ordinal")
    return [
        Prefetch("related", queryset=Brief.objects.published().only("title", "slug", "dek", "published_at")),
        Prefetch("annotations", queryset=annotations),
    ]


def group_party_links(links):
    """One entry per party, in link order, with every role it plays in the deal.

    A party may hold more than one role (e.g. investor and partner); readers see it once.
    """
    grouped = {}
    for link in links:
        entry = grouped.setdefault(link.party_id, {"party": link.party, "roles": [], "role_codes": []})
        if link.role not in entry["role_codes"]:
            entry["roles"].append(link.get_role_display())
            entry["role_codes"].append(link.role)
    return list(grouped.values())


class PartyBriefIds:
    """The ids of the published briefs linking a party, newest first, as the paginator pages them:
    the count and the first pages from the stored parts, a deeper page read from the database."""

    def __init__(self, party, parts):
        self.party, self.count, self.stored = party, parts["brief_count"], parts["brief_ids"]

    def __len__(self):
        return self.count

    def __getitem__(self, window):
        if window.stop <= len(self.stored):
            return self.stored[window]
        return party_parts.brief_ids(self.party, window.start, window.stop - window.start)


def party_page(party, page_number=None):
    """Everything the party page shows beyond the party itself, in a fixed number of queries.

    Its public deals by role with totals per role, the deals chart and its co-investors, as stored
    parts (briefs/services/party_parts.py); one page of the published briefs that link it, with
    their deal lines and its roles in each; its quotes in published briefs (each with a published
    brief it appears in), and related parties that are public: subsidiaries, people, and its parent
    or affiliation only when they are public themselves.
    """
    parts = party_parts.parts_for(party)
    page = Paginator(PartyBriefIds(party, parts), settings.DEALSITE["PARTY_PAGE_SIZE"]).get_page(page_number)
    ids = list(page.object_list)
    # The rule again: a brief withdrawn since the ids were stored is left out.
    loaded = Brief.objects.published().filter(pk__in=ids).for_listing().with_deals().in_bulk()
    codes = {pk: [] for pk in ids}
    for brief_id, role in (
        BriefParty.objects.filter(party=party, brief_id__in=ids)
        .order_by("position", "pk")
        .values_list("brief_id", "role")
    ):
        if role not in codes[brief_id]:
            codes[brief_id].append(role)
    for brief in loaded.values():
        brief.party_roles = [PartyRole(code).label for code in codes[brief.pk]]
    page.object_list = [loaded[pk] for pk in ids if pk in loaded]
    quotes = list(
        Quote.objects.public()
        .filter(speaker=party)
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "brief_links",
                queryset=BriefQuote.objects.filter(published_q("brief__"))
                .select_related("brief")
                .order_by("-brief__published_at"),
                to_attr="published_links",
            )
        )
        .order_by("-said_on", "key")
    )
    for quote in quotes:
        quote.brief = quote.published_links[0].brief if quote.published_links else None
    around = Q(parent=party) | Q(affiliation=party)
    own = [pk for pk in (party.parent_id, party.affiliation_id) if pk]
    if own:
        around |= Q(pk__in=own)
    related = list(Party.objects.public().filter(around).order_by("name"))
    public_ids = {other.pk for other in related}
    return {
        "page": page,
        "briefs": page.object_list,
        "deals_html": mark_safe(parts["deals_html"]),  # our template's output, escaped when it was made
        "quotes": quotes,
        "subsidiaries": [other for other in related if other.parent_id == party.pk],
        "people": [other for other in related if other.affiliation_id == party.pk],
        "parent": party.parent if party.parent_id in public_ids else None,
        "affiliation": party.affiliation if party.affiliation_id in public_ids else None,
    }


def deal_page(deal):
    """Everything the deal page shows beyond the deal row, in 4 queries however many rows: its
    participants with their parties, its stages, its figures with their sources, and the published
    briefs about it, newest first."""
    prefetch_related_objects(
        [deal],
        Prefetch("participants", queryset=DealParticipant.objects.select_related("party")),
        "stages",
        Prefetch("figures", queryset=DealFigure.objects.select_related("source")),
    )
    briefs = list(
        Brief.objects.published()
        .filter(deal_links__deal=deal)
        .distinct()
        .latest_first()
        .only("title", "slug", "dek", "published_at")
    )
    return {
        "summary": deal_summary(deal),
        "figures": figure_rows(deal),
        "stages": stage_rows(deal),
        "briefs": briefs,
    }


def source_page(source):
    """Published briefs citing a source (with deal lines) and its quotes used in published briefs."""
    briefs = list(
        Brief.objects.published()
        .filter(source_links__source=source)
        .distinct()
        .latest_first()
        .for_listing()
        .with_deals()
    )
    quotes = list(Quote.objects.public().filter(source=source).select_related("speaker").order_by("-said_on", "key"))
    return {"briefs": briefs, "quotes": quotes}
