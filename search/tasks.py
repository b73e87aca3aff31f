from celery import shared_task
from django.db import InterfaceError, OperationalError

from .indexer import reindex_briefs


@shared_task(
    name="search.reindex_briefs",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def reindex_briefs_task(brief_ids):
    """Bring the search index in step with these briefs; idempotent."""
    return reindex_briefs(brief_ids)
