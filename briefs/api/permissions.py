"""Who may write: Django model permissions; which briefs a user may edit is workflow.can_edit."""

from rest_framework import permissions


class ReadOnlyOrModelPermissions(permissions.DjangoModelPermissions):
    """Anyone may read (what they see is decided by the visibility rule); writes need model perms."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return False
        return super().has_permission(request, view)
