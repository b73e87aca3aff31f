"""Keep the search index in step with content changes that do not go through render_brief()."""

from django.db.backends.signals import connection_created
from django.db.models.signals import post_save
from django.dispatch import receiver

from ..models import Brief, Party
from .indexer import schedule_reindex


@receiver(post_save, sender=Brief, dispatch_uid="search_reindex_on_brief_save")
def brief_saved(sender, instance, raw=False, **kwargs):
    """Status or publication time changed (publish, schedule, withdraw, unpublish)."""
    if not raw:
        schedule_reindex([instance.pk])


@receiver(post_save, sender=Party, dispatch_uid="search_reindex_on_party_save")
def party_saved(sender, instance, created, raw=False, **kwargs):
    """A renamed party (or new aliases): every brief that links or quotes it is reindexed.

    briefs.signals also re-renders the briefs linking it (which reindexes them again after commit);
    doing it here as well keeps search right even for a brief whose markup no longer renders.
    """
    if created or raw:
        return
    linked = Brief.objects.filter(party_links__party=instance).values_list("pk", flat=True)
    quoted = Brief.objects.filter(quote_links__quote__speaker=instance).values_list("pk", flat=True)
    schedule_reindex({*linked, *quoted})


SQLITE_CACHE_KIB = 65536


@receiver(connection_created, dispatch_uid="search_sqlite_page_cache")
def sqlite_page_cache(sender, connection, **kwargs):
    """SQLite's default 2 MB page cache makes FTS5 re-read its index from the OS on every search;
    64 MB (per connection, allocated as used) keeps a large index's hot pages in memory."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
