from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from .choices import (
    BriefStatus,
    PartyRole,
)

MONEY = {"max_digits": 20, "decimal_places": 2}

# The statuses under which a brief is public once its publication time has passed.
LIVE_STATUSES = (BriefStatus.PUBLISHED, BriefStatus.SCHEDULED)
# What no list shows: BriefQuerySet.for_listing() leaves these columns unread.
LISTING_DEFERRED = ("body", "body_html", "body_text", "page_parts", "api_parts", "api_detail_parts")
# Made and written only by briefs.services.page_parts (with update()), emptied by triggers.
STORED_PARTS = ("page_parts", "api_parts", "api_detail_parts")


def status_sql(status):
    """A status as a constant written into the SQL rather than a bound parameter: SQLite uses a
    partial index on statuses (brief_live_latest_idx, brief_published_idx, brief_scheduled_idx) only
    when it can see at planning time that the query's condition implies the index's, which it cannot
    through `?` parameters. Compare with `=` for one status (SQLite reads `IN` of one value as
    implying no `=` condition) and `__in` a list for several. Only the code's statuses come here."""
    assert status in BriefStatus.values, status
    return RawSQL(f"'{status}'", [])


def live_statuses_sql():
    return [status_sql(status) for status in LIVE_STATUSES]


def published_q(prefix="", now=None):
    """The visibility rule as a Q, for filtering related rows through a join (``prefix="brief__"``)
    rather than an ``IN (all published ids)`` subquery. BriefQuerySet.published() is this rule."""
    return Q(**{f"{prefix}status__in": live_statuses_sql(), f"{prefix}published_at__lte": now or timezone.now()})


def deal_link_prefetch():
    """BriefQuerySet.with_deals() as a Prefetch, for briefs already loaded (prefetch_related_objects)."""
    from .deals import BriefDeal, DealFigure, DealParticipant

    return models.Prefetch(
        "deal_links",
        queryset=BriefDeal.objects.select_related("deal", "stage").prefetch_related(
            models.Prefetch("deal__participants", queryset=DealParticipant.objects.select_related("party")),
            "deal__stages",
            models.Prefetch("deal__figures", queryset=DealFigure.objects.select_related("source")),
        ),
    )


def sees_drafts(user):
    """Whether `user` may read briefs that are not published (staff with the view permission)."""
    return user is not None and user.is_active and user.is_staff and user.has_perm("briefs.view_brief")


class BriefQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one visibility rule: published or scheduled, and the publication time has come.

        Used by the site, the API, search, feeds and sitemaps; a scheduled brief goes live by this
        rule alone, so no reader waits on a worker.
        """
        return self.filter(published_q(now=now))

    def next_publication_after(self, now):
        """When the next scheduled brief goes live by the clock (None if none is due): the moment
        the public pages change without any write, which the page cache must not outlive."""
        upcoming = self.filter(status__in=live_statuses_sql(), published_at__gt=now).order_by("published_at")
        return upcoming.values_list("published_at", flat=True).first()

    def gone(self):
        """Briefs readers could once see and that were then withdrawn: they answer 410 Gone with when
        and why. A brief withdrawn before it ever went live, or redrafted since, is not among them,
        so nothing tells a reader that a draft exists."""
        return self.filter(status=BriefStatus.WITHDRAWN, withdrawn_at__isnull=False)

    def visible_to(self, user):
        """Staff with the view permission see every brief (previews); everyone else, published ones."""
        return self.all() if sees_drafts(user) else self.published()

    def for_listing(self, *shown):
        """For lists (home, party and source pages, feeds, the API's lists, search results), which
        show no body: leave the markdown, its HTML and text and the page parts (~9 KB a row, the
        largest columns by far) in the database, except the `shown` ones (the API list shows its
        stored `api_parts`)."""
        return self.defer(*(name for name in LISTING_DEFERRED if name not in shown))

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def with_deals(self):
        """The deals the brief is about, with their participants, stages and figures: what its
        fact box and deal lines show, in a fixed number of queries however many there are."""
        return self.prefetch_related(deal_link_prefetch())

    def with_deal_line(self):
        """What a list item shows: the parties with their roles, in one extra query."""
        return self.prefetch_related(
            models.Prefetch("party_links", queryset=BriefParty.objects.select_related("party"))
        )


class Brief(models.Model):
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120, unique=True)
    dek = models.CharField(max_length=400, help_text="One-sentence summary under the title.")
    body = models.TextField(help_text="Markdown with annotation links; see the cheat-sheet below.")
    status = models.CharField(max_length=20, choices=BriefStatus.choices, default=BriefStatus.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it goes (or went) live. Required to publish or schedule."
    )
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="briefs")
    # Set when a brief readers could see is withdrawn (briefs.services.workflow), cleared when it is
    # published or redrafted again: what its 410 page says.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(blank=True, editable=False)

    related = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="related_from")

    # Derived at save time by briefs.services.rendering; never edited by hand.
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    rendered_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The page's fact box, end matter and linked JSON-LD as JSON text (briefs.services.page_parts);
    # text, not a JSONField, so lists that load briefs never parse it. Empty: render in full.
    page_parts = models.TextField(blank=True, default="", editable=False)
    # The API list item's and detail's nested lists as JSON text, made and emptied with the page
    # parts (briefs/api/stored_parts.py).
    api_parts = models.TextField(blank=True, default="", editable=False)
    api_detail_parts = models.TextField(blank=True, default="", editable=False)

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            # The visibility rule and every public list (newest first, latest_first): a page reads
            # its rows off this index instead of sorting every published brief, and the next
            # scheduled publication is its first entry after now. (An index on (status,
            # published_at) next to it tempted SQLite into sorting the whole list without statistics.)
            models.Index(
                fields=["-published_at", "-id"], condition=Q(status__in=LIVE_STATUSES), name="brief_live_latest_idx"
            ),
            # The home chart's two corrections by the clock (briefs.charts.deal_volume): briefs
            # marked published but dated later, and scheduled briefs that are due but not yet marked
            # published. Both ranges are empty in normal use, however long the schedule.
            models.Index(fields=["published_at"], condition=Q(status="published"), name="brief_published_idx"),
            models.Index(fields=["published_at"], condition=Q(status="scheduled"), name="brief_scheduled_idx"),
            # API: updated_since filter, sync cursor, and the response-cache version key.
            models.Index(fields=["updated_at", "id"], name="brief_updated_idx"),
        ]
        # The editorial workflow's permissions (briefs.services.workflow; groups in migration 0003).
        permissions = [
            ("submit_brief", "Can submit a brief for review"),
            ("review_brief", "Can review a brief (return it to draft)"),
            ("publish_brief", "Can publish, schedule, withdraw or edit a live brief"),
            ("withdraw_brief", "Can withdraw a published or scheduled brief"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BriefStatus.values), name="brief_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=LIVE_STATUSES) | Q(published_at__isnull=False),
                name="brief_live_has_published_at",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Saves every column but the stored parts: an instance loaded before a trigger emptied them
        (a party renamed meanwhile) must not write its old copy back; only briefs.services.page_parts
        writes them."""
        if not self._state.adding and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in STORED_PARTS and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("briefs:brief", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.status in LIVE_STATUSES and self.published_at is None:
            errors["published_at"] = "Set a publication time to publish or schedule."
        # Checked before the body is rendered, so an oversized body costs no rendering; the number
        # of annotations, known only once rendered, is checked by services.rendering.validate_markup.
        limit = settings.BRIEF_MAX_BODY_CHARS
        if self.body and len(self.body) > limit:
            errors["body"] = ValidationError(
                f"The body has {len(self.body):,} characters; a brief may have at most {limit:,} (BRIEF_MAX_BODY_CHARS).",
                code="body_too_long",
            )
        if errors:
            raise ValidationError(errors)

    @property
    def deal_link(self):
        """The brief's first deal link (deal and the stage it reports), or None: uses prefetched links."""
        links = self.deal_links.all()
        return links[0] if links else None

    @property
    def is_live(self):
        return self.status in LIVE_STATUSES and self.published_at is not None and self.published_at <= timezone.now()


class BriefParty(models.Model):
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="party_links")
    party = models.ForeignKey("briefs.Party", on_delete=models.PROTECT, related_name="brief_links")
    role = models.CharField(max_length=20, choices=PartyRole.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "party in this deal"
        verbose_name_plural = "parties in this deal"
        constraints = [
            models.UniqueConstraint(fields=["brief", "party", "role"], name="brief_party_role_unique"),
            models.CheckConstraint(condition=Q(role__in=PartyRole.values), name="brief_party_role_valid"),
        ]

    def __str__(self):
        return f"{self.party} ({self.get_role_display()})"


class BriefSource(models.Model):
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey("briefs.Source", on_delete=models.PROTECT, related_name="brief_links")
    position = models.PositiveSmallIntegerField(default=0)
    # Footnote number, set at render time: order of first citation, then uncited sources.
    number = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["number", "position", "pk"]
        verbose_name = "source"
        constraints = [models.UniqueConstraint(fields=["brief", "source"], name="brief_source_unique")]

    def __str__(self):
        return str(self.source)


class BriefQuote(models.Model):
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="quote_links")
    quote = models.ForeignKey("briefs.Quote", on_delete=models.PROTECT, related_name="brief_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "quote"
        constraints = [models.UniqueConstraint(fields=["brief", "quote"], name="brief_quote_unique")]

    def __str__(self):
        return str(self.quote)


class Note(models.Model):
    """An editorial note on a span of the brief, cited in markup as [text](note:KEY)."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="notes")
    key = models.SlugField(max_length=100)
    text = models.TextField(help_text="Plain text shown in the note card and at the end of the brief.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "editorial note"
        constraints = [models.UniqueConstraint(fields=["brief", "key"], name="brief_note_key_unique")]

    def __str__(self):
        return f"note:{self.key}"
