from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from briefs.api.serializers import BriefListSerializer
from briefs.freshness.responses import ConditionalReadMixin
from briefs.models.choices import DealStatus, DealType, FundingSeries, currency_codes

from .api import FILTERS, MAX_QUERY_LENGTH, search_briefs
from .service import SORTS


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=True)
    deal_type = serializers.ChoiceField(choices=DealType.choices, required=False)
    status = serializers.ChoiceField(choices=DealStatus.choices, required=False)
    series = serializers.ChoiceField(choices=FundingSeries.choices, required=False)
    lead = serializers.SlugField(required=False, help_text="The slug of a deal's lead investor.")
    party = serializers.SlugField(required=False)
    currency = serializers.ChoiceField(choices=sorted(currency_codes()), required=False)
    year = serializers.IntegerField(min_value=1900, max_value=2200, required=False)
    sort = serializers.ChoiceField(choices=SORTS, default="relevance")
    page = serializers.IntegerField(min_value=1, max_value=10_000, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=50, default=20)
    before = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Older matches: the `older` of the previous response (matches are ranked 500 at a time).",
    )


class SearchResultSerializer(BriefListSerializer):
    snippet = serializers.CharField(allow_null=True, read_only=True, help_text="Highlighted HTML (<mark>).")

    class Meta(BriefListSerializer.Meta):
        fields = BriefListSerializer.Meta.fields + ["snippet"]
        read_only_fields = fields


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField()
    total_is_estimate = serializers.BooleanField(help_text="True: more than `total` (counted up to 1,000).")
    ranked = serializers.IntegerField(help_text="Matches ranked, paged and faceted together (at most 500).")
    older = serializers.IntegerField(
        allow_null=True, help_text="Pass as `before` for the next 500 older matches; null: none left."
    )
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = SearchResultSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))
    suggestion = serializers.CharField(allow_null=True)
    message = serializers.CharField(allow_null=True)


class SearchView(ConditionalReadMixin, APIView):
    """Full-text search over published briefs (see search.api for the contract)."""

    # The search index is updated after content commits (Celery), outside the content version
    # the cache keys on: search answers are never cached server-side.
    response_cache = False

    @extend_schema(
        summary="Search published briefs", parameters=[SearchParamsSerializer], responses=SearchResponseSerializer
    )
    def get(self, request):
        return self.cached_read(request, lambda: self._search(request))

    def _search(self, request):
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        query = data["q"][:MAX_QUERY_LENGTH].replace("\x00", "")
        filters = {name: data[name] for name in FILTERS if name in data}
        found = search_briefs(query, filters, data["sort"], data["page"], data["page_size"], data.get("before"))
        for brief in found.briefs:
            brief.snippet = found.snippets.get(brief.pk)
        context = {"request": request}
        return Response(
            {
                "query": query,
                "total": found.total,
                "total_is_estimate": found.total_is_estimate,
                "ranked": found.ranked,
                "older": found.older,
                "page": data["page"],
                "page_size": data["page_size"],
                "results": SearchResultSerializer(found.briefs, many=True, context=context).data,
                "facets": found.facets,
                "suggestion": found.suggestion,
                "message": found.message,
            }
        )
