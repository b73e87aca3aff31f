"""The JSON body of each webhook event."""

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from briefs.api.links import ApiLinks, brief_page

from .models import WebhookEvent


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


def build_payload(event, brief=None, slug=None):
    """The event's payload; a withdrawal names only the brief (`slug` when the row is gone)."""
    data = {"id": str(uuid.uuid4()), "event": event, "created": timezone.now()}
    if event == WebhookEvent.WITHDRAWN:
        slug = brief.slug if brief is not None else slug
        data["brief"] = {"slug": slug, "api_url": ApiLinks().brief(slug), "page_url": brief_page(slug)}
    else:
        data["brief"] = _brief_summary(brief)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
