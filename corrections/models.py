"""A correction or an update of a published brief: dated, signed, public, never edited or deleted.

A correction says what was wrong and what is right; an update, what happened since. Each is
anchored in the brief's markup as ``[the passage](correction:KEY)`` (an update may concern the
brief as a whole), and a correction may concern one of the figures of a deal the brief is about,
recording the figure as it read before and after.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from briefs.models.briefs import published_q

TEXT_LIMIT = 2000


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    UPDATE = "update", "Update"


class CorrectionQuerySet(models.QuerySet):
    def public(self, now=None):
        """Corrections readers can see: those of briefs they can see (the briefs' one visibility
        rule), so a draft's or a withdrawn brief's corrections exist nowhere public."""
        return self.filter(published_q("brief__", now=now))

    def newest_first(self):
        return self.order_by("-published_at", "-pk")


class Correction(models.Model):
    brief = models.ForeignKey("briefs.Brief", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION)
    key = models.SlugField(max_length=100, help_text="Marks its passage in the body: [the passage](correction:KEY).")
    was = models.TextField(blank=True, help_text="Corrections: what the brief said that was wrong.")
    text = models.TextField(help_text="A correction: what is right. An update: what happened since.")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A corrected deal figure, as it read before and after; the words stay when the figure is gone.
    deal = models.ForeignKey("briefs.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    figure = models.ForeignKey("briefs.DealFigure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    figure_label = models.CharField(max_length=100, blank=True)
    figure_was = models.CharField(max_length=100, blank=True)
    figure_now = models.CharField(max_length=100, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "key"], name="correction_key_unique"),
            models.CheckConstraint(condition=Q(kind__in=CorrectionKind.values), name="correction_kind_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="correction_has_text"),
            models.CheckConstraint(
                condition=~Q(kind=CorrectionKind.CORRECTION) | ~Q(was=""), name="correction_says_what_was_wrong"
            ),
            models.CheckConstraint(
                condition=Q(figure_was="") | ~Q(figure_now=""), name="correction_figure_before_and_after"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.brief}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("briefs:brief", kwargs={"slug": self.brief.slug}) + f"#{self.anchor}"

    @property
    def anchor(self):
        """Its entry's id on the brief page."""
        return f"correction-{self.key}"

    @property
    def is_correction(self):
        return self.kind == CorrectionKind.CORRECTION
