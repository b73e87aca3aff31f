from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from dealsite.site_url import absolute_url

from .. import extensions
from ..bounded_paginator import BoundedCountPaginator
from ..charts import deal_volume
from ..freshness.pages import cached_page
from ..models import Brief, BriefDeal, Deal, Party, Source
from ..queries import deal_page, party_page, source_page
from ..services.page_parts import parts_for
from ..structured_data import absolute, brief_jsonld


@require_safe
@cached_page(query_params=("page",))
def home(request):
    briefs = Brief.objects.published().latest_first().for_listing().with_deals()
    page = BoundedCountPaginator(briefs, settings.DEALSITE["HOME_PAGE_SIZE"]).get_page(request.GET.get("page"))
    # Deal volume, first page only: from the monthly counts the triggers keep.
    volume = deal_volume() if page.number == 1 else []
    return render(request, "briefs/home.html", {"page": page, "briefs": page.object_list, "volume": volume})


def render_brief_page(request, brief, *, fresh=False, **extra):
    """The brief page (public, staff preview, shared preview): the stored parts (fact box, end
    matter, linked JSON-LD, authors, related ids) when current, else made now; the header and
    which related briefs are published, per request. `fresh` makes the parts now whatever is
    stored (previews show the latest save)."""
    parts = parts_for(brief, fresh=fresh)
    related, on_deal = others_of(brief, parts["related_ids"], parts["deal_ids"])
    context = {
        "brief": brief,
        "parts": parts,
        "heading": parts["heading"],
        "authors": parts["authors"],
        "related": related,
        "same_deal": on_deal,
        "canonical_url": absolute(request, brief.get_absolute_url()),
        "jsonld": {
            **brief_jsonld(brief, parts["jsonld"], parts["authors"], request),
            **extensions.brief_jsonld(brief, request),
        },
        "slots": extensions.brief_page(brief, request),
        **extra,
    }
    return render(request, "briefs/brief_detail.html", context)


def others_of(brief, related_ids, deal_ids):
    """The published briefs the brief page links: (related, about the same deals), newest first, in
    one query and only for briefs that have any. Briefs about the same deal link each other both ways
    without anyone listing them; a brief that is both is shown once, with its deal. The candidates
    are one UNION of index lookups, so the query reads a few rows however large the archive (an OR
    with an EXISTS would test every published brief)."""
    if not related_ids and not deal_ids:
        return [], []
    candidates = (
        Brief.related.through.objects.filter(from_brief_id=brief.pk, to_brief_id__in=related_ids)
        .order_by()
        .values("to_brief_id")
        .union(BriefDeal.objects.filter(deal_id__in=deal_ids).order_by().values("brief_id"))
    )
    same_deal = Exists(BriefDeal.objects.filter(brief=OuterRef("pk"), deal_id__in=deal_ids))
    others = list(
        Brief.objects.published()
        .filter(pk__in=candidates)
        .exclude(pk=brief.pk)
        .annotate(on_deal=same_deal)
        .latest_first()
        .only("title", "slug", "dek", "published_at")
    )
    return [other for other in others if not other.on_deal], [other for other in others if other.on_deal]


@require_safe
@cached_page
def brief_detail(request, slug):
    # The markdown source and the plain text are not on the page.
    brief = Brief.objects.published().defer("body", "body_text").filter(slug=slug).first()
    if brief is None:
        return brief_gone(request, slug)
    return render_brief_page(request, brief)


def brief_gone(request, slug):
    """410 for a brief readers could once see, saying when and why it was withdrawn; 404 for any
    other slug (a draft's is no different from one never used)."""
    gone = Brief.objects.gone().only("title", "slug", "withdrawn_at", "withdrawal_reason").filter(slug=slug).first()
    if gone is None:
        raise Http404("No published brief has this address.")
    return render(request, "briefs/brief_gone.html", {"brief": gone}, status=410)


@require_safe
@cached_page(query_params=("page",))
def party_detail(request, slug):
    party = get_object_or_404(Party.objects.public().with_related(), slug=slug)
    context = {"party": party, **party_page(party, request.GET.get("page"))}
    return render(request, "briefs/party_detail.html", context)


@require_safe
@cached_page
def deal_detail(request, slug):
    """A deal's own page, public only through a published brief about it."""
    deal = get_object_or_404(Deal.objects.public(), slug=slug)
    context = extensions.deal_page(deal, {"deal": deal, **deal_page(deal)})
    return render(request, "briefs/deal_detail.html", context)


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
    context = {"sitemap_url": absolute_url(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain")
