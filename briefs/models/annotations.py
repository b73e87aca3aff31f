from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import AnnotationKind


class Annotation(models.Model):
    """A span of a brief's rendered plain text tied to a party, source, quote or note.

    Derived from the body markup at render time (briefs.services.rendering); offsets count Unicode
    code points of Brief.body_text, which is the article's text content without citation markers.
    """

    brief = models.ForeignKey("briefs.Brief", on_delete=models.CASCADE, related_name="annotations")
    ordinal = models.PositiveIntegerField(help_text="1-based order in the text; the HTML id is anno-N.")
    kind = models.CharField(max_length=10, choices=AnnotationKind.choices)
    party = models.ForeignKey("briefs.Party", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("briefs.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    quote = models.ForeignKey("briefs.Quote", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey("briefs.Note", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    citation_number = models.PositiveSmallIntegerField(null=True, blank=True)
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # Kept across re-renders for annotations that survive an edit (W3C `created`).
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brief", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "ordinal"], name="annotation_ordinal_unique"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="annotation_span_not_empty"),
            models.CheckConstraint(
                condition=(
                    Q(kind="party", party__isnull=False, source__isnull=True, quote__isnull=True, note__isnull=True)
                    | Q(kind="source", party__isnull=True, source__isnull=False, quote__isnull=True, note__isnull=True)
                    | Q(kind="quote", party__isnull=True, source__isnull=True, quote__isnull=False, note__isnull=True)
                    | Q(kind="note", party__isnull=True, source__isnull=True, quote__isnull=True, note__isnull=False)
                ),
                name="annotation_one_target_matching_kind",
            ),
        ]

    def __str__(self):
        return f"{self.kind}:{self.reference_key} “{self.exact}”"

    @property
    def target(self):
        return getattr(self, self.kind)

    @property
    def reference_key(self):
        target = self.target
        return target.slug if self.kind == AnnotationKind.PARTY else target.key

    @property
    def reference(self):
        return f"{self.kind}:{self.reference_key}"
