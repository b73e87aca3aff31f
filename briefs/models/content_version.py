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
