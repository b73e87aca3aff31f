import logging

from celery import shared_task
from django.db import transaction

from . import events
from .models import Brief
from .services.rendering import BriefMarkupInvalid, briefs_using, render_brief

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
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
    events.send_changed(Brief.objects.get(pk=brief.pk))  # a live brief's page changed (workflow hook)


@shared_task(acks_late=True)
def rerender_briefs_using(kind, pk):
    for brief_id in briefs_using(kind, pk).values_list("pk", flat=True):
        rerender_brief.delay(brief_id)


def schedule_rerender_for(kind, pk):
    """Queue the re-render once the change that triggers it is committed."""
    transaction.on_commit(lambda: rerender_briefs_using.delay(kind, pk))


# Editorial workflow tasks (scheduler, link checks) live in their own module; importing them here
# registers them with workers, which autodiscover `briefs.tasks`.
# The search index task too: without this import a real worker discards it as "unregistered"
# (found by tests/test_celery_redis.py: a scheduled brief was never indexed).
from .search.tasks import reindex_briefs_task  # noqa: E402,F401
from .workflow_tasks import check_source_link, finalise_scheduled_briefs, recheck_source_links  # noqa: E402,F401
