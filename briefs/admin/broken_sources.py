"""Sources whose link check failed, with the briefs citing them, for editors to fix."""

from django.contrib import admin, messages
from django.db.models import Prefetch

from ..models import BriefSource, BrokenSource
from .used_in import links_with_briefs, used_in_html


@admin.register(BrokenSource)
class BrokenSourceAdmin(admin.ModelAdmin):
    """Sources whose last link check failed, with the briefs citing them (newest check first)."""

    list_display = ["title", "publisher", "link_status_code", "link_error", "link_checked_at", "citing_briefs"]
    list_filter = ["link_status_code", "publisher"]
    search_fields = ["title", "publisher", "key", "url"]
    ordering = ["-link_checked_at"]
    actions = ["recheck_now"]
    fields = [
        "title",
        "key",
        "url",
        "link_status",
        "link_status_code",
        "link_error",
        "link_final_url",
        "link_response_ms",
        "link_checked_at",
        "citing_briefs",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("brief_links", queryset=links_with_briefs(BriefSource.objects.all())))
        )

    @admin.display(description="briefs citing it")
    def citing_briefs(self, source):
        return used_in_html(source.brief_links.all())

    @admin.action(description="Check the selected links again now", permissions=["change"])
    def recheck_now(self, request, queryset):
        from ..tasks import check_source_link

        for source_id in queryset.values_list("pk", flat=True):
            check_source_link.delay(source_id)
        self.message_user(request, f"Queued a check of {queryset.count()} link(s).", messages.INFO)
