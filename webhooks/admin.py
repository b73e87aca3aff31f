"""Webhook subscribers and their delivery attempts, in the admin."""

from django.contrib import admin

from .models import WebhookDelivery, WebhookSubscription


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    can_delete = False
    fields = [
        "attempted_at",
        "event",
        "brief_slug",
        "deal_slug",
        "attempt",
        "outcome",
        "response_status",
        "error",
        "duration_ms",
    ]
    readonly_fields = fields
    ordering = ["-attempted_at", "-pk"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "is_active", "events", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    fields = ["name", "url", "events", "is_active", "secret", "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [DeliveryInline]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "attempted_at",
        "subscription",
        "event",
        "brief_slug",
        "deal_slug",
        "attempt",
        "outcome",
        "response_status",
        "duration_ms",
    ]
    list_filter = ["outcome", "event", "subscription"]
    search_fields = ["brief_slug", "deal_slug", "delivery_id"]
    list_select_related = ["subscription"]
    date_hierarchy = "attempted_at"
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
