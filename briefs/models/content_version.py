from django.db import models


class ContentVersion(models.Model):
    """One row whose counter database triggers bump on every write to a content table.

    The page and API response caches key on it, so a cached read can never outlive the content it
    shows, whatever wrote it: admin, API, bulk updates, raw SQL, other processes or hosts. The
    triggers (SQLite and PostgreSQL) are installed by migration briefs.0002_triggers.
    """

    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"content version {self.counter}"


class BriefFreshness(models.Model):
    """Per brief, a counter database triggers bump on every write to anything that brief's own
    responses show (its page, its API detail, its annotations): the brief, its links, annotations
    and notes, the parties, sources, quotes and deals it names, its authors' names, and the other
    briefs it links or shares a deal with. Those responses key on it instead of the content
    version, so saving one brief leaves every other brief's cached page valid.

    Only the triggers write it (briefs/db_triggers.py, installed by migration
    briefs.0010_brief_freshness); a brief has a row from its first such write, and no row reads as
    0. Brief ids are never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL) and rows are
    never deleted, so a counter only grows and a key is never reused for other content.
    """

    brief_id = models.BigIntegerField(primary_key=True)
    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "brief freshness"
        verbose_name_plural = "brief freshness"

    def __str__(self):
        return f"brief {self.brief_id} freshness {self.counter}"


class PartyFreshness(models.Model):
    """Per party, a counter database triggers bump on every write to anything its page shows (see
    briefs.db_triggers.party_freshness_rules; installed by migration briefs.0011_party_freshness),
    so that page keys on it instead of the content version: an edit to one brief leaves the pages
    of the parties it does not touch valid. Like BriefFreshness: written only by the triggers, no
    row reads as 0, ids never reused, rows never deleted."""

    party_id = models.BigIntegerField(primary_key=True)
    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "party freshness"
        verbose_name_plural = "party freshness"

    def __str__(self):
        return f"party {self.party_id} freshness {self.counter}"
