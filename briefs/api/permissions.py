"""Who may write: Django model permissions, plus `briefs.publish_brief` for anything readers see."""
from rest_framework import permissions

from ..models.briefs import LIVE_STATUSES
from ..models.choices import BriefStatus

PUBLISH_PERMISSION = "briefs.publish_brief"
# Statuses whose briefs readers see now or soon, or saw: entering or leaving them is publishing.
PUBLIC_FACING = (*LIVE_STATUSES, BriefStatus.WITHDRAWN)


class ReadOnlyOrModelPermissions(permissions.DjangoModelPermissions):
    """Anyone may read (what they see is decided by the visibility rule); writes need model perms."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return False
        return super().has_permission(request, view)


def needs_publish_permission(current_status, new_status):
    """Publishing, scheduling, withdrawing, or editing a brief that is (or was) public."""
    return new_status in PUBLIC_FACING or (current_status is not None and current_status in PUBLIC_FACING)


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)
