from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from .choices import PartyKind
from .validators import validate_aliases, validate_wikidata_id


class PartyQuerySet(models.QuerySet):
    def public(self):
        """Parties a reader may see: linked to, or quoted in, a published brief, or taking part in
        a deal a published brief is about.

        A party that so far appears only in drafts could reveal an unannounced deal.
        """
        from .briefs import BriefParty, BriefQuote, published_q
        from .deals import DealParticipant

        # EXISTS subqueries, not joins + DISTINCT: one party page is then a primary-key lookup.
        linked = BriefParty.objects.filter(published_q("brief__"), party=models.OuterRef("pk"))
        quoted = BriefQuote.objects.filter(published_q("brief__"), quote__speaker=models.OuterRef("pk"))
        in_deal = DealParticipant.objects.filter(published_q("deal__brief_links__brief__"), party=models.OuterRef("pk"))
        return self.filter(models.Exists(linked) | models.Exists(quoted) | models.Exists(in_deal))

    def with_related(self):
        return self.select_related("parent", "affiliation")


class Party(models.Model):
    """An organisation, person or fund that takes part in, or is mentioned by, a deal."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in markup: [Amazon](party:amazon).")
    kind = models.CharField(max_length=20, choices=PartyKind.choices, default=PartyKind.ORGANISATION)
    description = models.TextField(blank=True, help_text="One or two sentences shown on cards and the party page.")
    website = models.URLField(blank=True)
    aliases = models.JSONField(
        default=list, blank=True, validators=[validate_aliases], help_text='Other names, e.g. ["AWS"].'
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidiaries",
        help_text="The owning organisation, e.g. Amazon for AWS.",
    )
    wikidata_id = models.CharField("Wikidata id", max_length=20, blank=True, validators=[validate_wikidata_id])
    # People only: their position and the organisation it is with.
    title = models.CharField(max_length=200, blank=True, help_text="People: e.g. chief executive.")
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text="People: the organisation they speak for.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=PartyKind.values), name="party_kind_valid"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="party_not_own_parent"),
        ]
        indexes = [
            models.Index(Lower("name"), name="party_name_lower_idx"),
            # The sitemap's last change of the section, read off the index's end (briefs.sitemaps.end_of).
            models.Index(fields=["updated_at"], name="party_updated_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("briefs:party", kwargs={"slug": self.slug})

    @property
    def is_person(self):
        return self.kind == PartyKind.PERSON

    @property
    def position(self):
        """'chief executive, Amazon' for people; empty for organisations."""
        parts = [self.title, self.affiliation.name if self.affiliation_id else ""]
        return ", ".join(part for part in parts if part)


class PartyPageParts(models.Model):
    """The stored parts of a party's page that grow with the party: its deals by role with their
    totals, the deals chart, its co-investors, how many published briefs link it and the first pages
    of them (briefs/services/party_parts.py makes, stores and reads them).

    Current while the party's freshness counter (PartyFreshness, bumped by the triggers on every
    write to anything the party page shows) is the one they were made at, by this release, and until
    the next scheduled brief that would change them goes live. Not itself a content table: writing it bumps
    no counter and no trigger watches it.
    """

    # Not a foreign key: a page storing its parts as the party is deleted must not fail the delete
    # (party ids are never reused; parts of a party gone are dropped by the next refresh).
    party_id = models.BigIntegerField(primary_key=True)
    counter = models.BigIntegerField(help_text="The party's freshness counter when the parts were made.")
    until = models.DateTimeField(null=True, help_text="When a scheduled brief that changes them goes live.")
    key = models.CharField(max_length=32, help_text="The release they were made by.")
    parts = models.JSONField()

    class Meta:
        verbose_name = "party page parts"
        verbose_name_plural = "party page parts"

    def __str__(self):
        return f"page parts of party {self.party_id}"
