from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from ..models import Brief
from ..queries import brief_page_queryset
from .pages import brief_context


@never_cache
@staff_member_required
def staff_preview(request, pk):
    """The brief exactly as readers will see it, drafts included; staff with view permission only."""
    brief = get_object_or_404(brief_page_queryset(Brief.objects.visible_to(request.user)), pk=pk)
    context = {**brief_context(request, brief), "is_preview": True}
    response = render(request, "briefs/brief_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
