"""Parties, sources and quotes: what the briefs link."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import Party, Quote, Source
from ..links import links_for, source_page
from .summaries import BriefRefSerializer, OptionalURLField, PartySummarySerializer, SourceSummarySerializer


class PartySerializer(PartySummarySerializer):
    website = OptionalURLField()
    parent = PartySummarySerializer(read_only=True, allow_null=True)
    affiliation = PartySummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Party
        fields = [
            "slug",
            "name",
            "kind",
            "description",
            "website",
            "aliases",
            "parent",
            "wikidata_id",
            "title",
            "affiliation",
            "updated_at",
            "api_url",
            "page_url",
        ]
        read_only_fields = fields


class BriefWithRolesSerializer(BriefRefSerializer):
    """A brief the party is in, with the party's role(s) in that deal."""

    published_at = serializers.DateTimeField(read_only=True)
    roles = serializers.ListField(child=serializers.CharField(), source="party_role_values", read_only=True)


class QuoteSerializer(serializers.ModelSerializer):
    speaker = PartySummarySerializer(read_only=True)
    source = SourceSummarySerializer(read_only=True, allow_null=True)
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = ["key", "text", "speaker", "speaker_role", "source", "said_on", "updated_at", "api_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, quote):
        return links_for(self).quote(quote.key)


class PartyDetailSerializer(PartySerializer):
    briefs = BriefWithRolesSerializer(
        source="api_briefs", many=True, read_only=True, help_text="Published briefs, newest first."
    )
    quotes = QuoteSerializer(source="api_quotes", many=True, read_only=True)

    class Meta(PartySerializer.Meta):
        fields = PartySerializer.Meta.fields + ["briefs", "quotes"]
        read_only_fields = fields


class SourceSerializer(SourceSummarySerializer):
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "key",
            "title",
            "publisher",
            "url",
            "kind",
            "published_on",
            "accessed_on",
            "link_status",
            "updated_at",
            "api_url",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, source):
        return source_page(source.key)


class SourceDetailSerializer(SourceSerializer):
    briefs = BriefRefSerializer(many=True, read_only=True, help_text="Published briefs citing it.")

    class Meta(SourceSerializer.Meta):
        fields = SourceSerializer.Meta.fields + ["briefs"]
        read_only_fields = fields
