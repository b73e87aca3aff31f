"""Celery tasks of the editorial workflow (imported by briefs.tasks so workers register them).

All are idempotent and acks_late: a worker that dies mid-task leaves the message on the broker,
which hands it to another worker (reject_on_worker_lost, and the Redis visibility timeout when the
whole worker is killed). Transient database errors are retried with exponential backoff.
"""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import linkcheck
from .services.workflow import finalise_scheduled

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


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
