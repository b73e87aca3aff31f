"""The one way to index: every change to what search sees goes through reindex_briefs().

The index follows the core's events (search.receivers): a brief's content saved or re-rendered, its
status changed, it was deleted, a party renamed, or briefs loaded in bulk. Events arrive after the
change commits; the work runs in the Celery task search.reindex_briefs (at once in eager mode, else
on a worker, retried on transient errors). A deleted brief's entry also goes with it by
on_delete=CASCADE (on SQLite the FTS rows follow by trigger). `manage.py rebuild_search_index`
rebuilds everything.
"""

import datetime

from django.db import transaction

from briefs.models import Brief

from .backends import get_backend
from .documents import entry_queryset, entry_values, party_names
from .models import SearchEntry

# published(now=END_OF_TIME) is the visibility rule minus its clock: briefs that are live now or
# will go live by themselves (scheduled). Searches add the clock (published_at <= now).
END_OF_TIME = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
CHUNK = 1000


def indexable():
    return Brief.objects.published(now=END_OF_TIME)


def reindex_briefs(brief_ids):
    """Make the index agree with the database for these briefs: add, refresh or remove each one."""
    ids = {int(pk) for pk in brief_ids}
    if not ids:
        return 0
    indexed = 0
    with transaction.atomic():
        id_list = sorted(ids)
        for start in range(0, len(id_list), CHUNK):
            chunk = id_list[start : start + CHUNK]
            briefs = list(entry_queryset(indexable().filter(pk__in=chunk)))
            SearchEntry.objects.filter(brief_id__in=chunk).delete()
            SearchEntry.objects.bulk_create(SearchEntry(brief_id=b.pk, **entry_values(b)) for b in briefs)
            names = {}
            for brief in briefs:
                names.update(party_names(brief))
            get_backend().remember_parties(names)
            indexed += len(briefs)
    return indexed


def schedule_reindex(brief_ids):
    """Queue reindex_briefs for these briefs (run at once when Celery is eager)."""
    from .tasks import reindex_briefs_task

    ids = sorted({int(pk) for pk in brief_ids})
    if ids:
        reindex_briefs_task.delay(ids)


def rebuild(progress=None):
    """Rebuild the whole index from the database. `progress(n)` is called after each chunk."""
    backend = get_backend()
    ids = list(indexable().order_by("pk").values_list("pk", flat=True))
    total = 0
    with transaction.atomic(), backend.bulk_load():
        SearchEntry.objects.all().delete()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            briefs = list(entry_queryset(Brief.objects.filter(pk__in=chunk)))
            SearchEntry.objects.bulk_create(
                (SearchEntry(brief_id=b.pk, **entry_values(b)) for b in briefs), batch_size=500
            )
            total += len(briefs)
            if progress:
                progress(len(briefs))
        backend.rebuild_parties()
    backend.analyze()
    return total
