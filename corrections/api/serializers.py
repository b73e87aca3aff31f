"""Corrections in the API: how a correction reads, and what a POST to create one carries."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from briefs.api.links import brief_page, links_for

from ..models import TEXT_LIMIT, Correction, CorrectionKind


class CorrectedFigureSerializer(serializers.Serializer):
    deal = serializers.SlugField(source="deal.slug", allow_null=True)
    figure = serializers.IntegerField(source="figure_id", allow_null=True)
    label = serializers.CharField(source="figure_label")
    was = serializers.CharField(source="figure_was", help_text="The figure as it read before, e.g. “$400 million”.")
    now = serializers.CharField(source="figure_now")


class CorrectionSerializer(serializers.ModelSerializer):
    figure = serializers.SerializerMethodField(help_text="A corrected deal figure, before and after; else null.")
    brief = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField(help_text="The correction on the brief's page.")

    class Meta:
        model = Correction
        fields = ["key", "kind", "was", "text", "published_at", "figure", "brief", "page_url"]
        read_only_fields = fields

    @extend_schema_field(CorrectedFigureSerializer(allow_null=True))
    def get_figure(self, correction):
        return CorrectedFigureSerializer(correction).data if correction.figure_was else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_brief(self, correction):
        brief = correction.brief
        return {"slug": brief.slug, "title": brief.title, "api_url": links_for(self).brief(brief.slug)}

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, correction):
        return f"{brief_page(correction.brief.slug)}#{correction.anchor}"


class CorrectionWriteSerializer(serializers.Serializer):
    """A correction (`was` and `text`) or an update (`text`) of a published brief. Anchor it with
    `passage` (text of the body as written, marked as corrected) or a corrected `body` that marks
    it as [the passage](correction:KEY); correct a deal figure with `figure` (its id) and
    `figure_amount` or, for a stake, `figure_percent`."""

    kind = serializers.ChoiceField(choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION)
    key = serializers.CharField(required=False, allow_blank=True, max_length=100)
    was = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_LIMIT)
    text = serializers.CharField(max_length=TEXT_LIMIT)
    passage = serializers.CharField(required=False, allow_blank=True, max_length=500)
    body = serializers.CharField(required=False, max_length=200_000, trim_whitespace=False)
    figure = serializers.IntegerField(required=False, min_value=1)
    figure_amount = serializers.DecimalField(required=False, max_digits=20, decimal_places=2)
    figure_percent = serializers.DecimalField(required=False, max_digits=5, decimal_places=2)
