"""Webhooks: a signed JSON POST to each subscriber when a brief is published, updated or withdrawn.

- Trigger: Brief saves (admin, API, anything using .save()) and deletions. The event is worked out
  from whether readers could see the brief before and after the save, and is sent once the
  transaction commits (one event per brief per transaction), so payloads never describe rolled-back
  or draft content.
- Delivery: a Celery task per subscriber, retried with exponential backoff; every attempt is a
  WebhookDelivery row (visible in the admin).
- Signature: X-Dealsite-Signature: sha256=HMAC_SHA256(secret, f"{timestamp}.{body}") with the
  X-Dealsite-Timestamp header; receivers should reject old timestamps (replays).
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid

from celery import shared_task
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from ..models import Brief, WebhookDelivery, WebhookSubscription
from ..models.webhooks import WebhookEvent
from .links import ApiLinks, brief_page

logger = logging.getLogger(__name__)
USER_AGENT = "Dealsite-Webhooks/1"


def sign(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret, timestamp, body, signature):
    """What a receiver does (also used by the tests)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def _brief_summary(brief):
    return {
        "slug": brief.slug,
        "title": brief.title,
        "dek": brief.dek,
        "status": brief.status,
        "published_at": brief.published_at,
        "updated_at": brief.updated_at,
        "version": brief.version,
        "api_url": ApiLinks().brief(brief.slug),
        "page_url": brief_page(brief.slug),
    }


def build_payload(event, brief):
    data = {"id": str(uuid.uuid4()), "event": event, "created": timezone.now()}
    if event == WebhookEvent.WITHDRAWN:
        data["brief"] = {
            "slug": brief.slug,
            "api_url": ApiLinks().brief(brief.slug),
            "page_url": brief_page(brief.slug),
        }
    else:
        data["brief"] = _brief_summary(brief)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def announce(event, brief):
    """Queue `event` for every active subscriber that wants it."""
    payload = build_payload(event, brief)
    for subscription in WebhookSubscription.objects.filter(is_active=True):
        if subscription.wants(event):
            deliver_webhook.delay(subscription.pk, payload)


class _Announcement:
    """Runs once the transaction commits: compares visibility before it with visibility now.

    Kept in Django's own on-commit list, so a rolled-back transaction takes it away with it.
    """

    def __init__(self, pk, slug, was_live):
        self.pk, self.slug, self.was_live, self.done = pk, slug, was_live, False

    def __call__(self):
        self.done = True
        brief = Brief.objects.filter(pk=self.pk).first()
        now_live = brief is not None and brief.is_live
        if not self.was_live and now_live:
            announce(WebhookEvent.PUBLISHED, brief)
        elif self.was_live and now_live:
            announce(WebhookEvent.UPDATED, brief)
        elif self.was_live:
            announce(WebhookEvent.WITHDRAWN, brief or Brief(slug=self.slug))


def _queue_after_commit(instance, was_live):
    """One announcement per brief per transaction, judged from the state before its first change."""
    connection = transaction.get_connection()
    for _savepoints, callback, *_ in connection.run_on_commit:
        if isinstance(callback, _Announcement) and callback.pk == instance.pk and not callback.done:
            return
    transaction.on_commit(_Announcement(instance.pk, instance.slug, was_live))


@receiver(pre_save, sender=Brief, dispatch_uid="webhooks_brief_pre_save")
def _remember_visibility(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = Brief.objects.filter(pk=instance.pk) if instance.pk else Brief.objects.none()
    if instance.status == "published" and before.filter(status="scheduled").exists():
        # A scheduled brief is visible from its time by the visibility rule alone (no save happens
        # then); subscribers hear of it when the scheduler finalises it, scheduled → published.
        instance._webhook_was_live = False
    else:
        instance._webhook_was_live = before.published().exists()


@receiver(post_save, sender=Brief, dispatch_uid="webhooks_brief_post_save")
def _brief_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue_after_commit(instance, getattr(instance, "_webhook_was_live", False))


@receiver(post_delete, sender=Brief, dispatch_uid="webhooks_brief_post_delete")
def _brief_deleted(sender, instance, **kwargs):
    _queue_after_commit(instance, instance.is_live)


def _backoff(retries):
    return settings.DEALSITE_API["WEBHOOK_BACKOFF_BASE"] * (2**retries)


@shared_task(acks_late=True)
def deliver_webhook(subscription_id, payload, attempt=1):
    """POST one event to one subscriber; record the attempt; retry with backoff on failure."""
    subscription = WebhookSubscription.objects.filter(pk=subscription_id, is_active=True).first()
    if subscription is None:
        return "inactive"
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Dealsite-Event": payload["event"],
            "X-Dealsite-Delivery": payload["id"],
            "X-Dealsite-Timestamp": timestamp,
            "X-Dealsite-Signature": sign(subscription.secret, timestamp, body),
        },
    )
    started = time.monotonic()
    status, response_body, error = None, "", ""
    try:
        with urllib.request.urlopen(request, timeout=settings.DEALSITE_API["WEBHOOK_TIMEOUT"]) as response:
            status, response_body = response.status, response.read(2000).decode("utf-8", "replace")
    except urllib.error.HTTPError as http_error:
        status, error = http_error.code, f"HTTP {http_error.code}"
        response_body = http_error.read(2000).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError) as failure:
        error = f"{type(failure).__name__}: {failure}"
    succeeded = status is not None and 200 <= status < 300
    last_try = attempt > settings.DEALSITE_API["WEBHOOK_MAX_RETRIES"]  # the first try plus the retries
    WebhookDelivery.objects.create(
        subscription=subscription,
        delivery_id=payload["id"],
        event=payload["event"],
        brief_slug=payload["brief"]["slug"],
        attempt=attempt,
        payload=payload,
        outcome=WebhookDelivery.Outcome.SUCCEEDED
        if succeeded
        else (WebhookDelivery.Outcome.GAVE_UP if last_try else WebhookDelivery.Outcome.FAILED),
        response_status=status,
        response_body=response_body,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    if succeeded:
        return "delivered"
    if last_try:
        logger.warning("webhook %s to %s gave up after %d attempts", payload["id"], subscription.url, attempt)
        return "gave_up"
    # The next attempt is a new task run after the backoff (eager mode: at once, in process).
    deliver_webhook.apply_async((subscription_id, payload), {"attempt": attempt + 1}, countdown=_backoff(attempt - 1))
    return "retrying"
