from django.db import models

from ..labels import shorten


class QuoteQuerySet(models.QuerySet):
    def public(self):
        """Quotes used in a published brief."""
        from .briefs import BriefQuote, published_q

        used = BriefQuote.objects.filter(published_q("brief__"), quote=models.OuterRef("pk"))
        return self.filter(models.Exists(used))


class Quote(models.Model):
    """Verbatim words, attributed to a speaker and the source they appeared in."""

    key = models.SlugField(max_length=100, unique=True, help_text="Used in markup: [“…”](quote:KEY).")
    text = models.TextField(help_text="Verbatim, exactly as said or written.")
    speaker = models.ForeignKey("briefs.Party", on_delete=models.PROTECT, related_name="quotes")
    speaker_role = models.CharField(
        max_length=200, blank=True, help_text="The speaker's role when speaking, e.g. Amazon chief executive."
    )
    source = models.ForeignKey("briefs.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="quotes")
    said_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["speaker__name", "key"]

    def __str__(self):
        text = shorten(self.text, 60)
        return f"{self.speaker}: {text}" if self.speaker_id else text
