"""Workflow views outside the admin: signed preview links, and the presence heartbeat."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ..models import Brief
from ..services import presence, previews, workflow
from .pages import render_brief_page


@never_cache
@require_safe
def shared_preview(request, token):
    """A draft as readers will see it, for whoever holds an unexpired signed link."""
    try:
        brief = previews.brief_for_token(token)
    except signing.BadSignature:
        raise Http404("No such preview.") from None
    except previews.PreviewUnavailable as gone:
        response = HttpResponse(str(gone), status=410, content_type="text/plain; charset=utf-8")
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    response = render_brief_page(request, brief, fresh=True, is_preview=True, is_shared_preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # keep the token out of other sites' logs
    return response


@never_cache
@require_POST
@staff_member_required
def presence_heartbeat(request, pk):
    """The editor has the brief open; answer with the others who have it open too."""
    brief = get_object_or_404(Brief.objects.visible_to(request.user), pk=pk)
    if request.POST.get("leave"):
        presence.leave(brief.pk, request.user)
        return JsonResponse({"others": []})
    others = presence.heartbeat(brief.pk, request.user)
    return JsonResponse(
        {"others": others, "version": brief.version, "can_edit": workflow.can_edit(request.user, brief)}
    )
