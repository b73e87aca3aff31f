"""Parties, sources and quotes: read-only, public ones only (those a published brief uses)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from ...models import Brief, BriefParty, Party, Quote, Source
from ..filters import PartyFilter
from ..pagination import StandardPagination
from ..serializers import (
    PartyDetailSerializer,
    PartySerializer,
    QuoteSerializer,
    SourceDetailSerializer,
    SourceSerializer,
)
from .base import ApiReadMixin


@extend_schema_view(
    list=extend_schema(summary="Parties in published briefs"),
    retrieve=extend_schema(summary="A party, the briefs it is in (with its roles) and its quotes"),
)
class PartyViewSet(ApiReadMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations, people and funds that take part in, or are quoted in, published briefs."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = PartyFilter
    pagination_class = StandardPagination

    def get_queryset(self):
        return Party.objects.public().with_related().order_by("name", "pk")

    def get_serializer_class(self):
        return PartyDetailSerializer if self.action == "retrieve" else PartySerializer

    def get_object(self):
        party = super().get_object()
        links = (
            BriefParty.objects.filter(party=party, brief__in=Brief.objects.published())
            .select_related("brief")
            .order_by("-brief__published_at", "brief_id", "position")
        )
        briefs, roles = [], {}
        for link in links:
            if link.brief_id not in roles:
                briefs.append(link.brief)
                roles[link.brief_id] = []
            roles[link.brief_id].append(link.role)
        for brief in briefs:
            brief.party_role_values = roles[brief.pk]
        party.api_briefs = briefs
        party.api_quotes = list(
            Quote.objects.public().filter(speaker=party).select_related("speaker", "source").order_by("-said_on", "key")
        )
        return party


@extend_schema_view(
    list=extend_schema(summary="Sources cited by published briefs"),
    retrieve=extend_schema(summary="A source and the published briefs citing it"),
)
class SourceViewSet(ApiReadMixin, viewsets.ReadOnlyModelViewSet):
    """Where the facts come from: sources cited by published briefs."""

    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    pagination_class = StandardPagination
    filter_backends = []

    def get_queryset(self):
        queryset = Source.objects.public().order_by("-published_on", "title", "pk")
        return queryset

    def get_serializer_class(self):
        return SourceDetailSerializer if self.action == "retrieve" else SourceSerializer

    def get_object(self):
        source = super().get_object()
        source.briefs = list(
            Brief.objects.published()
            .filter(source_links__source=source)
            .latest_first()
            .distinct()
            .only("slug", "title")
        )
        return source


@extend_schema_view(
    list=extend_schema(summary="Quotes in published briefs"),
    retrieve=extend_schema(summary="A quote with its speaker and source"),
)
class QuoteViewSet(ApiReadMixin, viewsets.ReadOnlyModelViewSet):
    """Verbatim quotes with speaker and source, as used in published briefs."""

    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    pagination_class = StandardPagination
    filter_backends = []

    def get_queryset(self):
        return Quote.objects.public().select_related("speaker", "source").order_by("speaker__name", "key", "pk")

    def get_serializer_class(self):
        return QuoteSerializer
