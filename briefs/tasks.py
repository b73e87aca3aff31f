"""Celery tasks of the core: background re-renders, the publication scheduler, source link checks.

All are idempotent and acks_late: a worker that dies mid-task leaves the message on the broker,
which hands it to another worker (reject_on_worker_lost, and the Redis visibility timeout when the
whole worker is killed). Transient database errors are retried with exponential backoff. Each has
an explicit name, so a worker and a sender agree on it whatever the module layout.
"""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from . import events
from .models import Brief
from .services import linkcheck, party_parts
from .services.rendering import BriefMarkupInvalid, briefs_using, render_brief
from .services.workflow import finalise_scheduled

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


@shared_task(name="briefs.rerender_brief", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def rerender_brief(brief_id):
    """Re-render one brief; idempotent (rendering is a pure function of the stored state)."""
    brief = Brief.objects.filter(pk=brief_id).first()
    if brief is None:
        return
    try:
        render_brief(brief)
    except BriefMarkupInvalid as invalid:
        # The body was valid when saved; a linked item changed under it. Keep the last good HTML.
        logger.warning("brief %s no longer renders: %s", brief.slug, "; ".join(invalid.messages))
        return
    events.send_changed(brief)


@shared_task(name="briefs.rerender_briefs_using", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True)
def rerender_briefs_using(kind, pk):
    for brief_id in briefs_using(kind, pk).values_list("pk", flat=True):
        rerender_brief.delay(brief_id)


def schedule_rerender_for(kind, pk):
    """Queue the re-render once the change that triggers it is committed."""
    transaction.on_commit(lambda: rerender_briefs_using.delay(kind, pk))


@shared_task(
    name="briefs.refresh_party_parts", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5
)
def refresh_party_parts():
    """Make again the party pages' stored parts a write has made stale (briefs/services/party_parts.py);
    idempotent, and a no-op (one query) when another run got there first."""
    return party_parts.refresh_stale_parts()


@shared_task(
    name="briefs.finalise_scheduled_briefs",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=8,
)
def finalise_scheduled_briefs():
    """Beat task: publish the scheduled briefs whose time has come, side effects once each."""
    finalised = finalise_scheduled()
    if finalised:
        logger.info("finalised scheduled briefs %s", finalised)
    return finalised


@shared_task(
    name="briefs.check_source_link",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def check_source_link(source_id):
    result = linkcheck.check_source(source_id)
    return None if result is None else result.status


@shared_task(
    name="briefs.recheck_source_links", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5
)
def recheck_source_links():
    """Beat task: queue a check of every source due for one."""
    ids = list(linkcheck.sources_due())
    for source_id in ids:
        check_source_link.delay(source_id)
    return len(ids)
