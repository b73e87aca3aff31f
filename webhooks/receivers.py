"""Which domain events (briefs.events) subscribers hear of, as which webhook event.

Events arrive after the change commits, so a payload never describes rolled-back or draft content:
published → brief.published, a saved change of a brief readers can see → brief.updated, a correction
or update of one → brief.corrected, withdrawn
or deleted while public → brief.withdrawn.

Deals are public only through a published brief (Deal.objects.public()), so a deal saved with a
draft brief, or none, is nobody's business. A deal is announced as deal.created when it first
becomes public: when a brief about it is published, or a live brief is saved about it. Every save
of a public deal after that is deal.status_changed when its status changed, else deal.updated.
AnnouncedDeal records which deals were announced, so each is created once.
"""

from django.dispatch import receiver

from briefs import events
from briefs.models import Deal

from .delivery import announce
from .models import AnnouncedDeal, WebhookEvent


@receiver(events.brief_published, dispatch_uid="webhooks_brief_published")
def brief_published(sender, brief, **kwargs):
    announce(WebhookEvent.PUBLISHED, brief)
    announce_new_deals(Deal.objects.filter(brief_links__brief=brief))


@receiver(events.brief_changed, dispatch_uid="webhooks_brief_changed")
def brief_changed(sender, brief, was_public=False, **kwargs):
    if was_public and brief.is_live:  # a save that made it public is announced as published
        announce(WebhookEvent.UPDATED, brief)
        announce_new_deals(Deal.objects.filter(brief_links__brief=brief))  # a deal newly linked


@receiver(events.brief_corrected, dispatch_uid="webhooks_brief_corrected")
def brief_corrected(sender, brief, correction, **kwargs):
    if brief.is_live:
        announce(WebhookEvent.CORRECTED, brief, correction=correction)


@receiver(events.brief_withdrawn, dispatch_uid="webhooks_brief_withdrawn")
def brief_withdrawn(sender, brief, **kwargs):
    announce(WebhookEvent.WITHDRAWN, brief)


@receiver(events.brief_deleted, dispatch_uid="webhooks_brief_deleted")
def brief_deleted(sender, brief_id, slug, was_public, **kwargs):
    if was_public:
        announce(WebhookEvent.WITHDRAWN, slug=slug)


@receiver(events.deal_changed, dispatch_uid="webhooks_deal_changed")
def deal_changed(sender, deal, created=False, previous_status=None, **kwargs):
    if not Deal.objects.public().filter(pk=deal.pk).exists():
        return
    if announce_new_deals(Deal.objects.filter(pk=deal.pk)):
        return  # public but never announced: this is its creation for subscribers
    if previous_status is not None and previous_status != deal.status:
        announce(WebhookEvent.DEAL_STATUS_CHANGED, deal=deal, previous_status=previous_status)
    else:
        announce(WebhookEvent.DEAL_UPDATED, deal=deal)


def announce_new_deals(deals):
    """deal.created for each of `deals` that is public and not yet announced; returns those announced."""
    announced = []
    fresh = deals.public().exclude(pk__in=AnnouncedDeal.objects.values("deal")).prefetch_related("figures")
    for deal in fresh:
        _, created = AnnouncedDeal.objects.get_or_create(deal=deal)
        if created:  # a concurrent receiver may have announced it first
            announce(WebhookEvent.DEAL_CREATED, deal=deal)
            announced.append(deal)
    return announced
