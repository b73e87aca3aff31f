"""Delivering webhook events: one signed JSON POST per subscriber, every attempt recorded.

announce() queues an event for every active subscriber that wants it; each delivery is a Celery task
(webhooks.tasks.deliver_webhook) that calls deliver() and, on failure, queues the next attempt
after an exponential backoff, up to WEBHOOK_MAX_RETRIES. Every attempt is a WebhookDelivery row
(visible in the admin).
"""

import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings

from .models import WebhookDelivery, WebhookSubscription
from .payloads import build_payload
from .signing import sign

logger = logging.getLogger(__name__)
USER_AGENT = "Dealsite-Webhooks/1"


def announce(event, brief=None, slug=None, **deal):
    """Queue `event` for every active subscriber that wants it (`deal=`, `previous_status=` for deal events)."""
    from .tasks import deliver_webhook

    payload = build_payload(event, brief, slug, **deal)
    for subscription in WebhookSubscription.objects.filter(is_active=True):
        if subscription.wants(event):
            deliver_webhook.delay(subscription.pk, payload)


def backoff(retries):
    return settings.DEALSITE_API["WEBHOOK_BACKOFF_BASE"] * (2**retries)


def deliver(subscription_id, payload, attempt=1):
    """POST one event to one subscriber and record the attempt.

    Returns "delivered", "inactive", "gave_up", or "retry" when another attempt is due."""
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
        brief_slug=payload.get("brief", {}).get("slug", ""),
        deal_slug=payload.get("deal", {}).get("slug", ""),
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
    return "retry"
