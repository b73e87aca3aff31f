from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ..models import Brief
from .pages import render_brief_page


@never_cache
@staff_member_required
def staff_preview(request, pk):
    """The brief exactly as readers will see it, drafts included; staff with view permission only.

    A plain GET (the admin's "Save and preview" saves, then redirects here), with a link back to the
    change form, which shows what was saved: the browser's Back is never needed."""
    brief = get_object_or_404(Brief.objects.visible_to(request.user), pk=pk)
    edit_url = reverse("admin:briefs_brief_change", args=[brief.pk])
    response = render_brief_page(request, brief, fresh=True, is_preview=True, edit_url=edit_url)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
