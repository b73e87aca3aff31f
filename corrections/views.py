from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from briefs.freshness.pages import cached_page

from .models import Correction

PAGE_SIZE = 30


def public_corrections():
    """Every public correction and update with its brief, newest first: one query a page."""
    return (
        Correction.objects.public()
        .newest_first()
        .select_related("brief", "deal")
        .defer("brief__body", "brief__body_html", "brief__body_text", "brief__page_parts")
    )


@require_safe
@cached_page(query_params=("page",))
def correction_list(request):
    page = Paginator(public_corrections(), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [{"correction": correction, "passage_id": None} for correction in page.object_list]
    return render(request, "corrections/correction_list.html", {"page": page, "entries": entries})


@require_safe
@cached_page
def policy(request):
    return render(request, "corrections/policy.html")
