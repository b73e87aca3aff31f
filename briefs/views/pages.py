from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ..models import Brief, Party, Quote, Source
from ..queries import brief_page_queryset, party_page
from ..structured_data import brief_jsonld


@require_safe
def home(request):
    briefs = Brief.objects.published().latest_first().with_deal_line()
    page = Paginator(briefs, settings.DEALSITE["HOME_PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(request, "briefs/home.html", {"page": page, "briefs": page.object_list})


def brief_context(request, brief):
    """What the brief template needs; shared by the public page and the staff preview."""
    return {
        "brief": brief,
        "party_links": brief.party_links.all(),
        "source_links": brief.source_links.all(),
        "quote_links": brief.quote_links.all(),
        "notes": brief.notes.all(),
        "related": brief.related.all(),
        "jsonld": brief_jsonld(brief, request),
    }


@require_safe
def brief_detail(request, slug):
    brief = get_object_or_404(brief_page_queryset(Brief.objects.published()), slug=slug)
    return render(request, "briefs/brief_detail.html", brief_context(request, brief))


@require_safe
def party_detail(request, slug):
    party = get_object_or_404(Party.objects.public().with_related(), slug=slug)
    return render(request, "briefs/party_detail.html", {"party": party, **party_page(party)})


@require_safe
def source_detail(request, key):
    source = get_object_or_404(Source.objects.public(), key=key)
    briefs = Brief.objects.published().filter(source_links__source=source).latest_first().distinct()
    quotes = Quote.objects.public().filter(source=source).select_related("speaker")
    return render(request, "briefs/source_detail.html", {"source": source, "briefs": briefs, "quotes": quotes})


@require_safe
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
