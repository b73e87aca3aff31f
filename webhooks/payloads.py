"""The JSON body of each webhook event."""

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from briefs.api.links import ApiLinks, brief_page, deal_page
from briefs.deal_wording import describe_size

from .models import DEAL_EVENTS, WebhookEvent


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


def _deal_summary(deal, previous_status=None):
    summary = {
        "slug": deal.slug,
        "name": deal.name,
        "deal_type": deal.deal_type,
        "status": deal.status,
        "headline": describe_size(deal),
        "headline_amount": deal.headline_amount,
        "headline_currency": deal.headline_currency,
        "headline_usd": deal.headline_usd,
        "updated_at": deal.updated_at,
        "api_url": ApiLinks().deal(deal.slug),
        "page_url": deal_page(deal.slug),
    }
    if previous_status is not None:
        summary["previous_status"] = previous_status
    return summary


def _correction_summary(correction):
    summary = {
        "key": correction.key,
        "kind": correction.kind,
        "was": correction.was,
        "text": correction.text,
        "published_at": correction.published_at,
        "figure": None,
    }
    if correction.figure_was:
        summary["figure"] = {
            "label": correction.figure_label,
            "was": correction.figure_was,
            "now": correction.figure_now,
        }
    return summary


def build_payload(event, brief=None, slug=None, deal=None, previous_status=None, correction=None):
    """The event's payload; a withdrawal names only the brief (`slug` when the row is gone); a deal
    event describes the deal (with its previous status when that changed); a correction, the brief
    and the correction or update."""
    data = {"id": str(uuid.uuid4()), "event": event, "created": timezone.now()}
    if event in DEAL_EVENTS:
        data["deal"] = _deal_summary(deal, previous_status)
    elif event == WebhookEvent.WITHDRAWN:
        slug = brief.slug if brief is not None else slug
        data["brief"] = {"slug": slug, "api_url": ApiLinks().brief(slug), "page_url": brief_page(slug)}
    else:
        data["brief"] = _brief_summary(brief)
        if event == WebhookEvent.CORRECTED:
            data["correction"] = _correction_summary(correction)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
