"""Webhook subscribers and every delivery attempt made to them (webhooks.delivery sends them)."""

import secrets
import uuid

from django.db import models


class WebhookEvent(models.TextChoices):
    PUBLISHED = "brief.published", "Brief published"
    UPDATED = "brief.updated", "Published brief updated"
    WITHDRAWN = "brief.withdrawn", "Brief withdrawn"
    CORRECTED = "brief.corrected", "Published brief corrected or updated"
    DEAL_CREATED = "deal.created", "Deal made public"
    DEAL_UPDATED = "deal.updated", "Public deal updated"
    DEAL_STATUS_CHANGED = "deal.status_changed", "Public deal's status changed"


DEAL_EVENTS = (WebhookEvent.DEAL_CREATED, WebhookEvent.DEAL_UPDATED, WebhookEvent.DEAL_STATUS_CHANGED)


def _new_secret():
    return secrets.token_urlsafe(32)


def _all_events():
    return list(WebhookEvent.values)


class WebhookSubscription(models.Model):
    name = models.CharField(max_length=120, help_text="Who receives it, e.g. “Data team warehouse sync”.")
    url = models.URLField(max_length=1000, help_text="HTTPS endpoint that receives a signed JSON POST.")
    secret = models.CharField(
        max_length=100,
        default=_new_secret,
        help_text="Shared secret for the X-Dealsite-Signature HMAC-SHA256 header; give it to the subscriber.",
    )
    events = models.JSONField(default=_all_events, help_text="Events to send: " + ", ".join(WebhookEvent.values))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "briefs_webhooksubscription"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} → {self.url}"

    def wants(self, event):
        return self.is_active and event in (self.events or [])


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one subscriber; retries share `delivery_id`."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed (will retry)"
        GAVE_UP = "gave_up", "Failed (no more retries)"

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    brief_slug = models.CharField(max_length=120, blank=True)
    deal_slug = models.CharField(max_length=120, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    payload = models.JSONField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, help_text="First 2,000 characters.")
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    attempted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "briefs_webhookdelivery"
        ordering = ["-attempted_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} #{self.attempt} → {self.subscription.name}: {self.outcome}"


class AnnouncedDeal(models.Model):
    """A deal subscribers were told of with deal.created. A deal is announced once, when it first
    becomes public (its first brief is published); changes after that are deal.updated or
    deal.status_changed, and a deal that stops being public and returns is not created again."""

    deal = models.OneToOneField("briefs.Deal", on_delete=models.CASCADE, primary_key=True, related_name="+")
    announced_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.deal} (announced {self.announced_at:%Y-%m-%d %H:%M})"
