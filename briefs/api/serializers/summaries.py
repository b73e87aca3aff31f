"""Small read-only summaries nested in other resources."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import Party, Source
from ..links import links_for, party_page, source_page


class OptionalURLField(serializers.URLField):
    """A URL that may be unknown: null, never "" (an empty string is not a URI)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


class PartySummarySerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["slug", "name", "kind", "api_url", "page_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, party):
        return links_for(self).party(party.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, party):
        return party_page(party.slug)


class SourceSummarySerializer(serializers.ModelSerializer):
    url = OptionalURLField(help_text="The original, when it is online.")
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = ["key", "title", "publisher", "url", "kind", "published_on", "api_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, source):
        return links_for(self).source(source.key)


class PartyRoleSerializer(serializers.Serializer):
    """A party's part in one deal."""

    party = PartySummarySerializer(read_only=True)
    role = serializers.CharField(read_only=True)


class BriefRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, brief):
        return links_for(self).brief(brief.slug)


__all__ = [
    "OptionalURLField",
    "PartySummarySerializer",
    "SourceSummarySerializer",
    "PartyRoleSerializer",
    "BriefRefSerializer",
    "source_page",
]
