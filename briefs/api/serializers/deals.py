"""Read representations of a deal: the deals resource and the deals a brief embeds.

Amounts are strings of decimal digits in their ISO 4217 currency, unknown is null (never 0). Each
amount carries its US-dollar equivalent at the ECB rate of its own date, with that rate and date,
or the reason there is none (worked out when the deal is saved: briefs.services.deals).
"""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...deal_wording import describe_size, stage_line
from ...models import Brief, BriefDeal, Deal, DealFigure, DealParticipant, DealStage
from ...models.choices import DealType, FigureKind, FundingSeries
from ..links import brief_page, deal_page, links_for
from .summaries import PartySummarySerializer, SourceSummarySerializer

MONEY = {"max_digits": 20, "decimal_places": 2, "read_only": True, "allow_null": True}
RATE = {"max_digits": 24, "decimal_places": 14, "read_only": True, "allow_null": True}


# What a deal says of itself, in the order its representation gives it (reads and writes alike).
DEAL_FACTS = (
    "type",
    "series",
    "series_qualifier",
    "status",
    "rumoured_on",
    "announced_on",
    "announced_precision",
    "expected_close_on",
    "expected_close_precision",
    "closed_on",
    "closed_precision",
    "ended_on",
    "amount_disclosure",
    "currency",
    "stake_description",
    "summary",
)


class UsdSerializer(serializers.Serializer):
    """The amount in US dollars, or why there is none (`unavailable`)."""

    amount = serializers.DecimalField(source="amount_usd", **MONEY)
    rate = serializers.DecimalField(source="usd_rate", help_text="US dollars per unit of the currency.", **RATE)
    rate_on = serializers.DateField(source="usd_rate_on", read_only=True, allow_null=True, help_text="ECB rate date.")
    unavailable = serializers.SerializerMethodField(help_text="Why there is no USD amount; null when there is one.")

    def get_unavailable(self, row) -> str | None:
        return row.usd_unavailable or None


@extend_schema_field(UsdSerializer(allow_null=True))
class UsdField(serializers.Field):
    """A row's USD equivalent; null when the row has no amount to convert."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, row):
        if row.amount is None:
            return None
        return UsdSerializer(row, context=self.context).data


CURRENCY = {"read_only": True, "help_text": "ISO 4217 code; empty when there is no amount."}


class ParticipantSerializer(serializers.ModelSerializer):
    party = PartySummarySerializer(read_only=True)
    currency = serializers.CharField(**CURRENCY)
    amount = serializers.DecimalField(help_text="What this party committed, if known.", **MONEY)
    usd = UsdField()

    class Meta:
        model = DealParticipant
        fields = ["party", "role", "is_lead", "amount", "currency", "usd"]
        read_only_fields = fields


class StageSerializer(serializers.ModelSerializer):
    currency = serializers.CharField(**CURRENCY)
    amount = serializers.DecimalField(**MONEY)
    usd = UsdField()
    line = serializers.SerializerMethodField(help_text="In words, e.g. “Sep 2023 announced: first $1.25 billion”.")

    class Meta:
        model = DealStage
        fields = ["id", "occurred_on", "precision", "status", "description", "amount", "currency", "usd"]
        fields += ["line"]
        read_only_fields = fields

    def get_line(self, stage) -> str:
        return stage_line(stage)


class FigureSerializer(serializers.ModelSerializer):
    stage = serializers.SerializerMethodField(help_text="Position (from 0) of its stage in the deal's `stages`.")
    amount = serializers.DecimalField(help_text="Sums of money; null for a stake.", **MONEY)
    currency = serializers.CharField(**CURRENCY)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, allow_null=True)
    source = SourceSummarySerializer(read_only=True, allow_null=True)
    reporter = serializers.CharField(read_only=True, help_text="Who reported it: reported_by, else the publisher.")
    usd = UsdField()

    class Meta:
        model = DealFigure
        fields = [
            "kind",
            "basis",
            "stage",
            "amount",
            "currency",
            "percent",
            "as_of",
            "source",
            "reported_by",
            "reporter",
            "usd",
        ]
        read_only_fields = fields

    def get_stage(self, figure) -> int | None:
        return self.context["stage_positions"].get(figure.stage_id) if figure.stage_id else None


class HeadlineSerializer(serializers.Serializer):
    """The deal's size: its largest official size figure, in USD at the announcement's rate."""

    summary = serializers.SerializerMethodField(help_text="In words, e.g. “$1.25 billion, up to $4 billion”.")
    kind = serializers.SerializerMethodField()
    amount = serializers.DecimalField(source="headline_amount", **MONEY)
    currency = serializers.CharField(source="headline_currency", read_only=True)
    amount_usd = serializers.DecimalField(source="headline_usd", **MONEY)
    usd_rate = serializers.DecimalField(source="headline_usd_rate", **RATE)
    usd_rate_on = serializers.DateField(source="headline_usd_rate_on", read_only=True, allow_null=True)
    reported_usd = serializers.DecimalField(
        help_text="The largest size any figure gives (official or not), in USD.", **MONEY
    )

    def get_summary(self, deal) -> str:
        return describe_size(deal)

    @extend_schema_field(serializers.ChoiceField(choices=FigureKind.choices, allow_null=True))
    def get_kind(self, deal):
        return deal.headline_kind or None


class _DealLinksMixin(serializers.Serializer):
    api_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField(help_text="The deal page.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, deal):
        return links_for(self).deal(deal.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, deal):
        return deal_page(deal.slug)


class BriefAboutDealSerializer(serializers.Serializer):
    """A brief about the deal and the stage it reports."""

    slug = serializers.SlugField(source="brief.slug", read_only=True)
    title = serializers.CharField(source="brief.title", read_only=True)
    status = serializers.CharField(source="brief.status", read_only=True)
    published_at = serializers.DateTimeField(source="brief.published_at", read_only=True, allow_null=True)
    stage = serializers.IntegerField(source="stage_id", read_only=True, allow_null=True, help_text="The stage's id.")
    api_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, link):
        return links_for(self).brief(link.brief.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, link):
        return brief_page(link.brief.slug)


class DealSerializer(_DealLinksMixin, serializers.ModelSerializer):
    """Everything a reader sees of a deal."""

    type = serializers.ChoiceField(source="deal_type", choices=DealType.choices, read_only=True)
    series = serializers.ChoiceField(
        choices=FundingSeries.choices, allow_blank=True, read_only=True, help_text="Funding rounds only; else empty."
    )
    currency = serializers.CharField(
        read_only=True, help_text="The deal's currency (ISO 4217); figures name their own."
    )
    size = HeadlineSerializer(source="*", read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    stages = StageSerializer(many=True, read_only=True)
    figures = serializers.SerializerMethodField()
    briefs = BriefAboutDealSerializer(
        source="api_brief_links", many=True, read_only=True, help_text="Briefs about it (published ones, for readers)."
    )

    class Meta:
        model = Deal
        fields = [
            "slug",
            "name",
            *DEAL_FACTS,
            "size",
            "participants",
            "stages",
            "figures",
            "briefs",
            "updated_at",
            "api_url",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(FigureSerializer(many=True))
    def get_figures(self, deal):
        context = {**self.context, "stage_positions": stage_positions(deal)}
        return FigureSerializer(deal.figures.all(), many=True, context=context).data


def stage_positions(deal):
    """Stage id → its position (from 0) in the deal's stages, as the API lists them."""
    return {stage.pk: i for i, stage in enumerate(deal.stages.all())}


class ReportedStageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="stage.id", read_only=True)
    position = serializers.SerializerMethodField(help_text="Its position (from 0) in the deal's `stages`.")
    line = serializers.SerializerMethodField()

    def get_position(self, link) -> int:
        return stage_positions(link.deal)[link.stage_id]

    def get_line(self, link) -> str:
        return stage_line(link.stage)


@extend_schema_field(ReportedStageSerializer(allow_null=True))
class ReportedStageField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, link):
        return ReportedStageSerializer(link, context=self.context).data if link.stage_id else None


def deal_queryset(user, base=None):
    """Deals with everything the representation shows, in a fixed number of queries; `briefs` are
    the ones `user` may see."""
    base = Deal.objects.all() if base is None else base
    return base.prefetch_related(
        Prefetch("participants", queryset=DealParticipant.objects.select_related("party")),
        "stages",
        Prefetch("figures", queryset=DealFigure.objects.select_related("source")),
        Prefetch(
            "brief_links",
            queryset=BriefDeal.objects.filter(brief__in=Brief.objects.visible_to(user))
            .select_related("brief")
            .order_by("brief__published_at", "brief_id"),
            to_attr="api_brief_links",
        ),
    )


def embedded_deals_prefetch(user=None):
    """What DealInBriefSerializer reads of a brief's deals, in 3 queries however many: the links with
    deal and stage, each deal's stages (positions) and figures with their sources (the size wording).
    With `user`, only the deals that user may see (a published brief's deals are public anyway; a
    draft's are not, for staff who may read drafts but not deals)."""
    links = BriefDeal.objects.all()
    if user is not None:
        links = links.filter(Deal.objects.visible_to(user).exists_for("deal_id"))
    return Prefetch(
        "deal_links",
        queryset=links.select_related("deal", "stage").prefetch_related(
            "deal__stages", Prefetch("deal__figures", queryset=DealFigure.objects.select_related("source"))
        ),
    )


class DealInBriefSerializer(serializers.Serializer):
    """A deal a brief is about, as the brief embeds it: its size and the stage the brief reports."""

    slug = serializers.SlugField(source="deal.slug", read_only=True)
    name = serializers.CharField(source="deal.name", read_only=True)
    type = serializers.CharField(source="deal.deal_type", read_only=True)
    status = serializers.CharField(source="deal.status", read_only=True)
    size = HeadlineSerializer(source="deal", read_only=True)
    stage = ReportedStageField(help_text="The stage this brief reports, if it reports one.")
    api_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, link):
        return links_for(self).deal(link.deal.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, link):
        return deal_page(link.deal.slug)


__all__ = ["DealInBriefSerializer", "DealSerializer", "deal_queryset", "embedded_deals_prefetch"]
