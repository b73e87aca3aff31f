from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from ..models import Brief
from .pages import render_brief_page


@never_cache
@staff_member_required
def staff_preview(request, pk):
    """The brief exactly as readers will see it, drafts included; staff with view permission only."""
    brief = get_object_or_404(Brief.objects.visible_to(request.user), pk=pk)
    response = render_brief_page(request, brief, fresh=True, is_preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
