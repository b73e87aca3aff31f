from django.db import models
from django.urls import reverse

from .choices import LinkStatus, SourceKind


class SourceQuerySet(models.QuerySet):
    def public(self):
        """Sources cited by a published brief."""
        from .briefs import BriefSource, published_q

        cited = BriefSource.objects.filter(published_q("brief__"), source=models.OuterRef("pk"))
        return self.filter(models.Exists(cited))


class Source(models.Model):
    """Where a fact came from. Cited in markup as [text](source:KEY)."""

    key = models.SlugField(max_length=100, unique=True, help_text="Used in markup: [$4 billion](source:KEY).")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.NEWS_ARTICLE)
    published_on = models.DateField(null=True, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    link_status = models.CharField(max_length=20, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED)
    link_checked_at = models.DateTimeField(null=True, blank=True)
    # Details of the last link check (briefs.services.linkcheck).
    link_status_code = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    link_final_url = models.URLField("final URL", max_length=1000, blank=True)
    link_error = models.CharField(max_length=300, blank=True)
    link_response_ms = models.PositiveIntegerField("response time (ms)", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        # The sitemap's last change of the section, read off the index's end (briefs.sitemaps.end_of).
        indexes = [models.Index(fields=["updated_at"], name="source_updated_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=SourceKind.values), name="source_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(link_status__in=LinkStatus.values), name="source_link_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}" if self.publisher else self.title

    def get_absolute_url(self):
        return reverse("briefs:source", kwargs={"key": self.key})
