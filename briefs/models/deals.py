"""Deals: the business events briefs are about, which outlive any one story about them.

A deal has participants (party, role, lead flag, the amount each committed), stages in order
(tranches and events, each with its date and status) and figures. Every figure says how it is
known (official, reported, estimated) and names its source, so two sources reporting different
amounts are two figures, both shown. Amounts are Decimal in their ISO 4217 currency, with a US-dollar
equivalent at the ECB rate of the figure's own date, worked out when the deal is saved
(briefs.services.deals); unknown is NULL, never 0.

Visibility: a deal is public only through a published brief about it (DealQuerySet.public(), the
one rule beside BriefQuerySet.published()).
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from .briefs import MONEY, published_q, status_sql
from .choices import (
    ENDED_STATUSES,
    MONEY_FIGURES,
    AmountDisclosure,
    DatePrecision,
    DealStatus,
    DealType,
    FigureBasis,
    FigureKind,
    FundingSeries,
    ParticipantRole,
    currency_choices,
)
from .validators import validate_currency

RATE = {"max_digits": 24, "decimal_places": 14}


def _currency_field(**kwargs):
    return models.CharField(
        max_length=3, blank=True, choices=currency_choices, validators=[validate_currency], **kwargs
    )


def _precision_field(label):
    return models.CharField(
        f"{label} precision", max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )


class UsdFields(models.Model):
    """The US-dollar equivalent of a row's amount, set when its deal is saved (never by hand)."""

    amount_usd = models.DecimalField("amount in USD", **MONEY, null=True, blank=True, editable=False)
    usd_rate = models.DecimalField("USD per unit", **RATE, null=True, blank=True, editable=False)
    usd_rate_on = models.DateField("ECB rate of", null=True, blank=True, editable=False)
    usd_unavailable = models.CharField("why no USD amount", max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True


class DealQuerySet(models.QuerySet):
    def public(self, now=None):
        """Deals with a published brief about them: the one rule for the deal page, the API, party
        totals, search, feeds, charts and webhooks. A rumour entered with a draft brief stays hidden."""
        about = BriefDeal.objects.filter(published_q("brief__", now=now), deal=models.OuterRef("pk"))
        return self.filter(models.Exists(about))

    def marked_but_not_public(self, now=None):
        """Deals with a brief marked published (which the home chart's monthly counts count) that are
        not public: each such brief is dated later, and no other live brief about them is due. An
        index range on published briefs dated after now (brief_published_idx): empty in normal use."""
        now = now or timezone.now()
        ahead = BriefDeal.objects.filter(brief__status=status_sql("published"), brief__published_at__gt=now)
        public = BriefDeal.objects.filter(published_q("brief__", now=now), deal=models.OuterRef("pk"))
        return self.filter(pk__in=ahead.values("deal_id")).exclude(models.Exists(public))

    def public_but_not_marked(self, now=None):
        """Public deals with no brief marked published (which the monthly counts leave out): their due
        briefs are scheduled ones the publication task has not marked yet. An index range on due
        scheduled briefs (brief_scheduled_idx): empty while the task keeps up, however long the
        schedule."""
        now = now or timezone.now()
        due = BriefDeal.objects.filter(brief__status=status_sql("scheduled"), brief__published_at__lte=now)
        marked = BriefDeal.objects.filter(brief__status=status_sql("published"), deal=models.OuterRef("pk"))
        return self.filter(pk__in=due.values("deal_id")).exclude(models.Exists(marked))

    def exists_for(self, ref="deal_id"):
        """A condition for rows of another table: their `ref` is one of these deals. Correlated, so
        it costs an index probe per row filtered, where ``deal__in=`` would have the database list
        every such deal in the archive first."""
        return models.Exists(self.filter(pk=models.OuterRef(ref)))

    def latest_first(self):
        """Latest announced first, undated last, ties by newest id: the default order of every deal list."""
        return self.order_by(models.F("announced_on").desc(nulls_last=True), "-pk")

    def visible_to(self, user):
        if user is not None and user.is_active and user.is_staff and user.has_perm("briefs.view_deal"):
            return self.all()
        return self.public()


class Deal(models.Model):
    name = models.CharField(max_length=200, help_text="What happened, e.g. “Amazon’s investment in Anthropic”.")
    slug = models.SlugField(max_length=120, unique=True)
    deal_type = models.CharField(max_length=20, choices=DealType.choices, default=DealType.INVESTMENT)
    series = models.CharField(
        max_length=20, choices=FundingSeries.choices, blank=True, help_text="Funding rounds only."
    )
    series_qualifier = models.CharField(max_length=40, blank=True, help_text="E.g. “extension”, “A-2”.")
    status = models.CharField(max_length=20, choices=DealStatus.choices, default=DealStatus.ANNOUNCED)
    rumoured_on = models.DateField(null=True, blank=True)
    announced_on = models.DateField(null=True, blank=True)
    announced_precision = _precision_field("announcement date")
    expected_close_on = models.DateField("expected to close", null=True, blank=True)
    expected_close_precision = _precision_field("expected closing")
    closed_on = models.DateField("completed on", null=True, blank=True)
    closed_precision = _precision_field("completion date")
    ended_on = models.DateField("terminated or withdrawn on", null=True, blank=True)
    amount_disclosure = models.CharField(
        "amount officially",
        max_length=20,
        choices=AmountDisclosure.choices,
        default=AmountDisclosure.DISCLOSED,
        help_text="Undisclosed: the parties gave no amount (reported figures may still be recorded).",
    )
    currency = _currency_field(help_text="The deal's currency (ISO 4217); figures may name their own.")
    stake_description = models.CharField(max_length=120, blank=True, help_text="E.g. “minority stake”.")
    summary = models.CharField(max_length=400, blank=True)

    # The headline size, taken from the official size figures when the deal is saved
    # (briefs.services.deals): the largest of amount, "up to" and total to date, in USD at the ECB
    # rate of the announcement. `reported_usd` is the largest size any figure gives, official or not,
    # for readers who sort by what has been reported.
    headline_kind = models.CharField(max_length=20, choices=FigureKind.choices, blank=True, editable=False)
    headline_amount = models.DecimalField(**MONEY, null=True, blank=True, editable=False)
    headline_currency = models.CharField(max_length=3, blank=True, editable=False)
    headline_usd = models.DecimalField("headline in USD", **MONEY, null=True, blank=True, editable=False)
    headline_usd_rate = models.DecimalField(**RATE, null=True, blank=True, editable=False)
    headline_usd_rate_on = models.DateField(null=True, blank=True, editable=False)
    reported_usd = models.DecimalField("largest reported size in USD", **MONEY, null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-announced_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "announced_on"], name="deal_status_announced_idx"),
            models.Index(fields=["headline_usd"], name="deal_headline_usd_idx"),
            # The home chart's month (announcement, else rumour): the deal-volume triggers recount
            # one month's deals through it (briefs.db_triggers).
            models.Index(Coalesce("announced_on", "rumoured_on"), name="deal_date_idx"),
            # The sitemap's last change of the section, read off the index's end (briefs.sitemaps.end_of).
            models.Index(fields=["updated_at"], name="deal_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(deal_type__in=DealType.values), name="deal_type_valid"),
            models.CheckConstraint(condition=Q(status__in=DealStatus.values), name="deal_status_valid"),
            models.CheckConstraint(
                condition=Q(series="") | Q(deal_type=DealType.FUNDING_ROUND), name="deal_series_only_for_rounds"
            ),
            models.CheckConstraint(
                condition=~Q(status=DealStatus.COMPLETED) | Q(closed_on__isnull=False),
                name="deal_completed_has_closing_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ENDED_STATUSES) | Q(ended_on__isnull=False),
                name="deal_ended_has_end_date",
            ),
            models.CheckConstraint(
                condition=Q(amount_disclosure__in=AmountDisclosure.values), name="deal_disclosure_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("briefs:deal", kwargs={"slug": self.slug})


class DealParticipant(UsdFields):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="participants")
    party = models.ForeignKey("briefs.Party", on_delete=models.PROTECT, related_name="deal_participations")
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)
    is_lead = models.BooleanField("lead", default=False, help_text="Lead investor of the round.")
    amount = models.DecimalField(**MONEY, null=True, blank=True, help_text="What this party committed, if known.")
    currency = _currency_field()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "participant"
        constraints = [
            models.UniqueConstraint(fields=["deal", "party", "role"], name="deal_participant_role_unique"),
            models.CheckConstraint(condition=Q(role__in=ParticipantRole.values), name="deal_participant_role_valid"),
            models.CheckConstraint(
                condition=Q(is_lead=False) | Q(role=ParticipantRole.INVESTOR), name="deal_lead_is_an_investor"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="deal_participant_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""), name="deal_participant_amount_has_currency"
            ),
        ]

    def __str__(self):
        lead = " (lead)" if self.is_lead else ""
        return f"{self.party} — {self.get_role_display()}{lead}"


class DealStage(UsdFields):
    """A tranche or event of the deal, in order: "first $1.25 billion for a minority stake"."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(default=0)
    occurred_on = models.DateField("date", null=True, blank=True)
    precision = _precision_field("date")
    status = models.CharField(max_length=20, choices=DealStatus.choices, default=DealStatus.ANNOUNCED)
    description = models.CharField(max_length=300, help_text="What happened, in a phrase.")
    amount = models.DecimalField(**MONEY, null=True, blank=True, help_text="The stage's own amount, if any.")
    currency = _currency_field()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "stage"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DealStatus.values), name="deal_stage_status_valid"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="deal_stage_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""), name="deal_stage_amount_has_currency"
            ),
        ]

    def __str__(self):
        return self.description


class DealFigure(UsdFields):
    """One figure about the deal as one source gives it."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="figures")
    stage = models.ForeignKey(
        DealStage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="figures",
        help_text="The stage it is about, if it is about one.",
    )
    kind = models.CharField(max_length=20, choices=FigureKind.choices)
    basis = models.CharField(max_length=20, choices=FigureBasis.choices, default=FigureBasis.OFFICIAL)
    amount = models.DecimalField(**MONEY, null=True, blank=True, help_text="Sums of money: the exact figure.")
    currency = _currency_field()
    percent = models.DecimalField("stake (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    as_of = models.DateField(
        null=True, blank=True, help_text="The figure's date (for its USD rate); else its stage's or the announcement's."
    )
    source = models.ForeignKey(
        "briefs.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deal_figures",
        help_text="Where the figure comes from. Required before a brief showing it can be submitted.",
    )
    reported_by = models.CharField(
        max_length=120, blank=True, help_text="Who reported it (e.g. Bloomberg), when the source quotes another outlet."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "figure"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FigureKind.values), name="deal_figure_kind_valid"),
            models.CheckConstraint(condition=Q(basis__in=FigureBasis.values), name="deal_figure_basis_valid"),
            models.CheckConstraint(
                condition=Q(kind=FigureKind.STAKE, percent__isnull=False, amount__isnull=True)
                | Q(kind__in=MONEY_FIGURES, amount__isnull=False, percent__isnull=True) & ~Q(currency=""),
                name="deal_figure_value_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="deal_figure_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gte=0, percent__lte=100),
                name="deal_figure_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_basis_display().lower()})"

    @property
    def reporter(self):
        """Who to name for a reported figure: the outlet given, else the source's publisher."""
        return self.reported_by or (self.source.publisher if self.source_id else "")


class BriefDeal(models.Model):
    """A brief is about one or more deals; `stage` is the one it reports, if it reports one."""

    brief = models.ForeignKey("briefs.Brief", on_delete=models.CASCADE, related_name="deal_links")
    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="brief_links")
    stage = models.ForeignKey(DealStage, on_delete=models.SET_NULL, null=True, blank=True, related_name="brief_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "deal this brief is about"
        verbose_name_plural = "deals this brief is about"
        constraints = [models.UniqueConstraint(fields=["brief", "deal"], name="brief_deal_unique")]

    def __str__(self):
        return str(self.deal)
