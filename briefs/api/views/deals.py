"""Deals: read by anyone (public deals only: those a published brief is about), written by editors
with a token and the deal model permissions."""

import datetime
import hashlib
import re

from django.db import connection, transaction
from django.db.models import F
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from dealsite.site_url import absolute_url

from ...models import Deal
from ..exceptions import PreconditionFailed, if_match_of
from ..filters import DealFilter
from ..pagination import StandardPagination
from ..serializers.deal_writes import DealWriteSerializer
from ..serializers.deals import DealSerializer, deal_queryset
from .base import ApiReadMixin

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=True,
    description="The ETag from a GET of the deal (its `ETag` response header): the write is refused with 412 "
    "if the deal was saved since, and with 428 without If-Match. `*` matches any current deal.",
)
_TAG = re.compile(r'\s*(W/)?"deal-(\d+)-t(\d+)(?:-[0-9a-f]+)?"\s*(?:,|$)')


def saved_stamp(deal):
    """When the deal was last saved, in microseconds: the version its ETag names (a deal is saved only
    through services.deals.save_deal, which always sets updated_at)."""
    return (deal.updated_at - EPOCH) // datetime.timedelta(microseconds=1)


def etag_for(deal, digest=None):
    suffix = f"-{digest}" if digest else ""
    return f'"deal-{deal.pk}-t{saved_stamp(deal)}{suffix}"'


@extend_schema_view(
    list=extend_schema(
        summary="List deals",
        description="Deals a published brief is about (staff with view permission: all), latest announced first.",
    ),
    retrieve=extend_schema(summary="A deal with its participants, stages, figures and briefs"),
    create=extend_schema(
        summary="Create a deal with its participants, stages and figures",
        request=DealWriteSerializer,
        responses={201: DealSerializer},
    ),
    update=extend_schema(
        summary="Replace a deal", request=DealWriteSerializer, responses=DealSerializer, parameters=[IF_MATCH]
    ),
    partial_update=extend_schema(
        summary="Change part of a deal", request=DealWriteSerializer, responses=DealSerializer, parameters=[IF_MATCH]
    ),
)
class DealViewSet(
    ApiReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Deals: what happened, who took part, its stages and its figures with their sources."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = DealFilter
    pagination_class = StandardPagination
    queryset = Deal.objects.none()  # for DjangoModelPermissions; get_queryset decides visibility

    def get_queryset(self):
        user = self.request.user
        # Writers reach every deal (the model permissions were checked); readers the visible ones.
        base = Deal.objects.all() if self.action in ("update", "partial_update") else Deal.objects.visible_to(user)
        return deal_queryset(user, base).latest_first()

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return DealWriteSerializer
        return DealSerializer

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    # Reads: the detail's ETag names the saved version of the deal plus a digest of the representation.

    def get_object(self):
        obj = super().get_object()
        self._etag_deal = obj
        return obj

    def representation_etag(self, key, body, renderer_format):
        deal = getattr(self, "_etag_deal", None)
        if deal is None or self.action not in ("retrieve", "update", "partial_update"):
            return super().representation_etag(key, body, renderer_format)
        digest = hashlib.sha1(renderer_format.encode() + b"|" + body).hexdigest()[:16]
        return etag_for(deal, digest)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method in ("PUT", "PATCH")
            and response.status_code == 200
            and hasattr(response, "accepted_renderer")
        ):
            response.render()
            self._etag_deal = Deal.objects.get(pk=self._etag_deal.pk)
            response["ETag"] = self.representation_etag(
                None, bytes(response.content), response.accepted_renderer.format
            )
        return response

    # Writes: If-Match checked with the deal's row locked, so no save slips in between.

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self._lock(kwargs["slug"])
            self._check_if_match(request, self.get_object())
            return super().update(request, *args, **kwargs)

    @staticmethod
    def _lock(slug):
        """Lock the deal's row until the transaction ends: a row lock on PostgreSQL, and on SQLite
        (no row locks) a no-op UPDATE that takes the database's write lock."""
        rows = Deal.objects.filter(slug=slug)
        if connection.features.has_select_for_update:
            list(rows.select_for_update().values_list("pk", flat=True))
        else:
            rows.update(slug=F("slug"))

    def _check_if_match(self, request, deal):
        header = if_match_of(request, "deal", absolute_url(request.path))
        if header.strip() == "*":
            return
        for match in _TAG.finditer(header):
            # If-Match compares strongly: a weak tag never matches (RFC 9110, 13.1.1)
            if not match.group(1) and int(match.group(2)) == deal.pk and int(match.group(3)) == saved_stamp(deal):
                return
        raise PreconditionFailed(
            f"This deal was saved at {deal.updated_at.isoformat()}, after the version named in If-Match. "
            "Nothing was saved: GET the deal, merge the changes into yours and send it again with the new ETag.",
            extra={"changed_at": deal.updated_at.isoformat(), "current_etag": etag_for(deal)},
        )

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["Location"] = response.data["api_url"]
        return response
