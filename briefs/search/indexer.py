"""The one way to index: every change to what search sees goes through reindex_briefs().

Hooks (all call schedule_reindex): render_brief() after every save-time or background render
(publish, edit, a linked party/source/quote changed), a brief's post_save (status or time changed
without a render), a party's post_save (its name is searched in briefs that quote it). A deleted
brief's entry goes with it (on_delete=CASCADE; on SQLite the FTS rows follow by trigger). The work
runs in the Celery task briefs.search.tasks.reindex_briefs: eager by default, in which case it runs
inside the caller's transaction and commits or rolls back with the content; with a broker it is
queued once the transaction commits. `manage.py rebuild_search_index` rebuilds everything.
"""

import datetime

from django.conf import settings
from django.db import transaction

from ..models import Brief, SearchEntry
from .backends import get_backend
from .documents import entry_queryset, entry_values, party_names

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
    """Queue reindex_briefs: eager (now, in this transaction) by default, else after commit."""
    from .tasks import reindex_briefs_task

    ids = sorted({int(pk) for pk in brief_ids})
    if not ids:
        return
    if settings.CELERY_TASK_ALWAYS_EAGER:
        reindex_briefs_task.delay(ids)
    else:
        transaction.on_commit(lambda: reindex_briefs_task.delay(ids))


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
