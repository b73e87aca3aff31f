from django.db import models


class ContentVersion(models.Model):
    """One row whose counter database triggers bump on every write to a content table.

    The API's response cache keys on it (briefs.api.caching), so a cached read can never outlive
    the content it shows, whatever wrote it: admin, API, bulk updates, other processes or hosts.
    Triggers are installed by migration 0003 for SQLite and PostgreSQL.
    """

    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"content version {self.counter}"
