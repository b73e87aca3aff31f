"""Which domain events (briefs.events) subscribers hear of, as which webhook event.

Events arrive after the change commits, so a payload never describes rolled-back or draft content:
published → brief.published, a saved change of a brief readers can see → brief.updated, withdrawn
or deleted while public → brief.withdrawn.
"""

from django.dispatch import receiver

from briefs import events

from .delivery import announce
from .models import WebhookEvent


@receiver(events.brief_published, dispatch_uid="webhooks_brief_published")
def brief_published(sender, brief, **kwargs):
    announce(WebhookEvent.PUBLISHED, brief)


@receiver(events.brief_changed, dispatch_uid="webhooks_brief_changed")
def brief_changed(sender, brief, was_public=False, **kwargs):
    if was_public and brief.is_live:  # a save that made it public is announced as published
        announce(WebhookEvent.UPDATED, brief)


@receiver(events.brief_withdrawn, dispatch_uid="webhooks_brief_withdrawn")
def brief_withdrawn(sender, brief, **kwargs):
    announce(WebhookEvent.WITHDRAWN, brief)


@receiver(events.brief_deleted, dispatch_uid="webhooks_brief_deleted")
def brief_deleted(sender, brief_id, slug, was_public, **kwargs):
    if was_public:
        announce(WebhookEvent.WITHDRAWN, slug=slug)
