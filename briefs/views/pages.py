from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ..caching import cached_page
from ..charts import deal_volume_by_month
from ..models import Brief, Party, Source
from ..models.choices import ACTING_ROLES, RECEIVING_ROLES, PartyRole
from ..queries import brief_page_queryset, group_party_links, party_page, source_page
from ..structured_data import absolute, brief_jsonld


@require_safe
@cached_page(query_params=("page",))
def home(request):
    briefs = Brief.objects.published().latest_first().with_deal_line()
    page = Paginator(briefs, settings.DEALSITE["HOME_PAGE_SIZE"]).get_page(request.GET.get("page"))
    # Deal volume by month, first page only: one aggregate query.
    volume = deal_volume_by_month(Brief.objects.published()) if page.number == 1 else []
    return render(request, "briefs/home.html", {"page": page, "briefs": page.object_list, "volume": volume})


def brief_context(request, brief):
    """What the brief template needs; shared by the public page and the staff preview.

    Uses only the prefetched links (see queries.brief_page_queryset), so the page costs the same
    number of queries whatever the size of the brief.
    """
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
    facts = brief_facts(brief, party_links)
    return {
        "brief": brief,
        "party_links": party_links,
        "parties": parties,
        "facts": facts,
        "source_links": source_links,
        "quote_links": quote_links,
        "notes": brief.notes.all(),
        "related": brief.related.all(),
        "authors": brief.authors.all(),
        "canonical_url": absolute(request, brief.get_absolute_url()),
        "jsonld": brief_jsonld(brief, request),
    }


def brief_facts(brief, party_links):
    """The fact box's "who did what to whom": role label → parties, acting side first."""
    def side(roles):
        rows = {}
        for link in party_links:
            if link.role in roles:
                rows.setdefault(link.get_role_display(), []).append(link.party)
        return list(rows.items())

    acting, receiving = side(ACTING_ROLES), side(RECEIVING_ROLES)
    partners = side((PartyRole.PARTNER,)) if not (acting or receiving) else []
    return {"acting": acting, "receiving": receiving, "partners": partners}


@require_safe
@cached_page
def brief_detail(request, slug):
    brief = get_object_or_404(brief_page_queryset(Brief.objects.published()), slug=slug)
    return render(request, "briefs/brief_detail.html", brief_context(request, brief))


@require_safe
@cached_page
def party_detail(request, slug):
    party = get_object_or_404(Party.objects.public().with_related(), slug=slug)
    return render(request, "briefs/party_detail.html", {"party": party, **party_page(party)})


@require_safe
@cached_page
def source_detail(request, key):
    source = get_object_or_404(Source.objects.public(), key=key)
    return render(request, "briefs/source_detail.html", {"source": source, **source_page(source)})


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages without an icon link (the admin): point them at ours."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_safe
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
