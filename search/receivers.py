"""The search index follows the core's domain events (briefs.events) and party renames."""

from django.db.backends.signals import connection_created
from django.db.models.signals import post_save
from django.dispatch import receiver

from briefs import events
from briefs.models import Brief, Party

from .indexer import rebuild, schedule_reindex


@receiver(events.brief_changed, dispatch_uid="search_brief_changed")
@receiver(events.brief_transitioned, dispatch_uid="search_brief_transitioned")
def brief_changed(sender, brief, **kwargs):
    """Content saved or re-rendered, or a status change (publish, schedule, withdraw…): the index
    adds, refreshes or drops the brief as the visibility rule now says."""
    schedule_reindex([brief.pk])


@receiver(events.brief_deleted, dispatch_uid="search_brief_deleted")
def brief_deleted(sender, brief_id, **kwargs):
    schedule_reindex([brief_id])


@receiver(events.briefs_loaded, dispatch_uid="search_briefs_loaded")
def briefs_loaded(sender, brief_ids=None, progress=None, **kwargs):
    if brief_ids is None:
        rebuild(progress=progress)
    else:
        schedule_reindex(brief_ids)


@receiver(events.deal_changed, dispatch_uid="search_deal_changed")
def deal_changed(sender, deal, **kwargs):
    """A deal saved (its facts, participants, figures or status): every brief about it is
    reindexed, since its entry carries the deal's facets, amounts and result line. Briefs that are
    not published are left to the visibility rule in reindex_briefs (it drops or skips them)."""
    schedule_reindex(Brief.objects.filter(deal_links__deal=deal).values_list("pk", flat=True))


@receiver(post_save, sender=Party, dispatch_uid="search_reindex_on_party_save")
def party_saved(sender, instance, created, raw=False, **kwargs):
    """A renamed party (or new aliases): every brief that links or quotes it, or is about a deal
    it takes part in, is reindexed.

    The core also re-renders the briefs linking it (brief_changed follows); doing it here as well
    keeps search right even for a brief whose markup no longer renders.
    """
    if created or raw:
        return
    linked = Brief.objects.filter(party_links__party=instance).values_list("pk", flat=True)
    quoted = Brief.objects.filter(quote_links__quote__speaker=instance).values_list("pk", flat=True)
    in_deals = Brief.objects.filter(deal_links__deal__participants__party=instance).values_list("pk", flat=True)
    schedule_reindex({*linked, *quoted, *in_deals})


SQLITE_CACHE_KIB = 65536


@receiver(connection_created, dispatch_uid="search_sqlite_page_cache")
def sqlite_page_cache(sender, connection, **kwargs):
    """SQLite's default 2 MB page cache makes FTS5 re-read its index from the OS on every search;
    64 MB (per connection, allocated as used) keeps a large index's hot pages in memory."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
