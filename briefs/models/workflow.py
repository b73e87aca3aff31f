"""Editorial workflow records: status transitions, revision bookkeeping, and the broken-links view."""

from django.conf import settings
from django.db import models

from .choices import BriefStatus, LinkStatus
from .sources import Source


class Transition(models.Model):
    """One change of a brief's status: who, when, from, to, and why. Never edited."""

    brief = models.ForeignKey("briefs.Brief", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=BriefStatus.choices)
    to_status = models.CharField(max_length=20, choices=BriefStatus.choices)
    # NULL: done by the system (the scheduler finalising a scheduled brief).
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(db_index=True)
    comment = models.TextField(blank=True)
    # For scheduling: the publication time set by this transition.
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_status__in=BriefStatus.values, to_status__in=BriefStatus.values),
                name="transition_statuses_valid",
            ),
        ]

    def __str__(self):
        who = self.by or "system"
        return f"{self.get_from_status_display()} → {self.get_to_status_display()} by {who}"


class BriefRevision(models.Model):
    """Ties a django-reversion revision to the brief and the version number it saved."""

    revision = models.OneToOneField("reversion.Revision", on_delete=models.CASCADE, related_name="brief_meta")
    brief = models.ForeignKey("briefs.Brief", on_delete=models.CASCADE, related_name="revisions")
    brief_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-revision__date_created", "-pk"]

    def __str__(self):
        return f"{self.brief} v{self.brief_version}"


class BrokenSourceManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(link_status=LinkStatus.BROKEN)


class BrokenSource(Source):
    """Sources whose link check failed: an admin list with the briefs that cite them."""

    objects = BrokenSourceManager()

    class Meta:
        proxy = True
        verbose_name = "broken source link"
        verbose_name_plural = "broken source links"


# Revisions (django-reversion): a brief's content with its links. Status, publication time and the
# lock version are not content: restoring an old revision never unpublishes or reschedules a brief.
# Derived fields (rendered HTML/text, annotations, footnote numbers) are rebuilt by rendering.
def _register_revisions():
    import reversion

    from .briefs import Brief, BriefParty, BriefQuote, BriefSource, Note
    from .deals import BriefDeal, Deal, DealFigure, DealParticipant, DealStage

    if reversion.is_registered(Brief):
        return
    reversion.register(Brief, fields=BRIEF_REVISION_FIELDS, follow=BRIEF_REVISION_FOLLOW)
    for model in (BriefParty, BriefSource, BriefQuote, Note, BriefDeal):
        reversion.register(model)
    # A deal's revision holds its rows; what is derived from them is worked out again on save.
    reversion.register(Deal, follow=("participants", "stages", "figures"))
    for model in (DealParticipant, DealStage, DealFigure):
        reversion.register(model)


BRIEF_REVISION_FIELDS = (
    "id",
    "title",
    "slug",
    "dek",
    "body",
    "authors",
    "related",
)
BRIEF_REVISION_FOLLOW = ("party_links", "source_links", "quote_links", "notes", "deal_links")
_register_revisions()
