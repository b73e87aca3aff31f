"""Read representations of a brief: list item and full detail."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ... import extensions
from ...models import Annotation, Brief, BriefSource, Note
from ..links import brief_page, links_for
from ..stored_parts import stored_api_parts
from .deals import DealInBriefSerializer
from .summaries import BriefRefSerializer, PartyRoleSerializer, PartySummarySerializer, SourceSummarySerializer


class _BriefLinksMixin(serializers.Serializer):
    api_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField(help_text="Canonical public page.")
    annotations_url = serializers.SerializerMethodField(help_text="W3C AnnotationCollection of this brief.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, brief):
        return links_for(self).brief(brief.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, brief):
        return brief_page(brief.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_annotations_url(self, brief):
        return links_for(self).annotations(brief.slug)


# Every brief representation starts with what identifies it and ends with its links.
_HEADLINE_FIELDS = ("slug", "title", "dek", "status", "published_at")
_LINK_FIELDS = ("api_url", "page_url", "annotations_url")


class BriefListSerializer(_BriefLinksMixin, serializers.ModelSerializer):
    """With `stored_parts` in the context (readers who see what the public sees), the nested lists
    come from what was stored at save time when it is current (briefs/api/stored_parts.py)."""

    stored_column = "api_parts"

    deals = DealInBriefSerializer(
        source="deal_links", many=True, read_only=True, help_text="The deals it is about, and the stage it reports."
    )
    parties = PartyRoleSerializer(source="party_links", many=True, read_only=True)

    class Meta:
        model = Brief
        fields = [*_HEADLINE_FIELDS, "updated_at", "version", "deals", "parties", *_LINK_FIELDS]
        read_only_fields = fields

    def to_representation(self, brief):
        stored = stored_api_parts(brief, self.stored_column) if self.context.get("stored_parts") else None
        if stored is None:
            return super().to_representation(brief)
        data = {}
        for field in self._readable_fields:  # the brief's own fields as ModelSerializer makes them
            if field.field_name in stored:
                data[field.field_name] = stored[field.field_name]
            else:
                attribute = field.get_attribute(brief)
                data[field.field_name] = None if attribute is None else field.to_representation(attribute)
        return data


class BriefSourceSerializer(serializers.ModelSerializer):
    source = SourceSummarySerializer(read_only=True)

    class Meta:
        model = BriefSource
        fields = ["number", "source"]
        read_only_fields = fields


class QuoteInBriefSerializer(serializers.Serializer):
    key = serializers.CharField(source="quote.key")
    text = serializers.CharField(source="quote.text")
    speaker = PartySummarySerializer(source="quote.speaker")
    speaker_role = serializers.CharField(source="quote.speaker_role")
    source = SourceSummarySerializer(source="quote.source", allow_null=True)
    said_on = serializers.DateField(source="quote.said_on", allow_null=True)


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["key", "text"]


class AnnotationSerializer(serializers.ModelSerializer):
    """The span, its target reference and where it sits in `body_text` (Unicode code points)."""

    reference = serializers.CharField(read_only=True, help_text="e.g. party:amazon")
    w3c_url = serializers.SerializerMethodField(help_text="This annotation as a W3C Web Annotation.")

    class Meta:
        model = Annotation
        fields = [
            "id",
            "ordinal",
            "kind",
            "reference",
            "exact",
            "prefix",
            "suffix",
            "start",
            "end",
            "citation_number",
            "w3c_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_w3c_url(self, annotation):
        return links_for(self).annotation(self.context["brief_slug"], annotation.pk)


class BriefDetailSerializer(BriefListSerializer):
    stored_column = "api_detail_parts"

    sources = BriefSourceSerializer(source="source_links", many=True, read_only=True)
    quotes = QuoteInBriefSerializer(source="quote_links", many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)
    annotations = serializers.SerializerMethodField()
    related = BriefRefSerializer(many=True, read_only=True)

    class Meta(BriefListSerializer.Meta):
        fields = [
            *_HEADLINE_FIELDS,
            "created_at",
            "updated_at",
            "rendered_at",
            "version",
            "deals",
            "parties",
            "sources",
            "quotes",
            "notes",
            "annotations",
            "related",
            "body",
            "body_html",
            "body_text",
            *_LINK_FIELDS,
        ]
        read_only_fields = fields

    def to_representation(self, brief):
        """With what features add to a brief (its corrections and change log: briefs.extensions)."""
        data = super().to_representation(brief)
        data.update(extensions.brief_api(brief, self))
        return data

    @extend_schema_field(AnnotationSerializer(many=True))
    def get_annotations(self, brief):
        context = {**self.context, "brief_slug": brief.slug}
        return AnnotationSerializer(brief.annotations.all(), many=True, context=context).data


__all__ = ["BriefDetailSerializer", "BriefListSerializer", "QuoteInBriefSerializer"]
