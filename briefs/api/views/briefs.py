from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.exceptions import PermissionDenied

from ...models import Annotation, Brief
from ...queries import brief_page_queryset
from ..filters import BriefFilter, BriefSyncFilter
from ..pagination import StandardPagination, SyncCursorPagination
from ..permissions import can_publish, needs_publish_permission
from ..serializers import BriefDetailSerializer, BriefListSerializer, BriefWriteSerializer
from .base import ApiReadMixin


def annotations_prefetch():
    return Prefetch(
        "annotations", queryset=Annotation.objects.select_related("party", "source", "quote", "note").order_by("ordinal")
    )


@extend_schema_view(
    list=extend_schema(summary="List briefs", description="Published briefs (staff with view permission: all), newest first by default."),
    retrieve=extend_schema(summary="A brief with everything a reader sees"),
    create=extend_schema(
        summary="Create a brief with its links", request=BriefWriteSerializer,
        responses={201: BriefDetailSerializer},
    ),
    update=extend_schema(summary="Replace a brief", request=BriefWriteSerializer, responses=BriefDetailSerializer),
    partial_update=extend_schema(summary="Change part of a brief", request=BriefWriteSerializer, responses=BriefDetailSerializer),
)
class BriefViewSet(
    ApiReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin, viewsets.GenericViewSet,
):
    """Deal briefs: read by anyone (published only), written by editors with a token."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = BriefFilter
    pagination_class = StandardPagination
    queryset = Brief.objects.none()  # for DjangoModelPermissions; get_queryset decides visibility

    def get_queryset(self):
        visible = Brief.objects.visible_to(self.request.user)
        if self.action == "list":
            return visible.with_deal_line()
        return brief_page_queryset(visible).prefetch_related(annotations_prefetch())

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        if self.action == "list":
            return BriefListSerializer
        if self.action in ("create", "update", "partial_update"):
            return BriefWriteSerializer
        return BriefDetailSerializer

    def perform_create(self, serializer):
        self._check_publishing(None, serializer.validated_data.get("status"))
        serializer.save(authors=[self.request.user])

    def perform_update(self, serializer):
        instance = serializer.instance
        self._check_publishing(instance.status, serializer.validated_data.get("status", instance.status))
        serializer.save()

    def _check_publishing(self, current, new):
        if needs_publish_permission(current, new) and not can_publish(self.request.user):
            raise PermissionDenied(
                "Publishing, scheduling, withdrawing or editing a live brief needs the “publish brief” permission."
            )

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["Location"] = response.data["api_url"]
        return response


class BriefChangeSerializer(BriefListSerializer):
    """A list item in the sync feed (its own schema component: cursor pages have no count)."""


class BriefSyncView(ApiReadMixin, generics.ListAPIView):
    """Every brief you can see, least recently changed first, in cursor pages: start with
    `updated_since` set to your last sync time and follow `next` until it is null."""

    serializer_class = BriefChangeSerializer
    filterset_class = BriefSyncFilter
    pagination_class = SyncCursorPagination
    queryset = Brief.objects.none()

    def get_queryset(self):
        return Brief.objects.visible_to(self.request.user).with_deal_line()

    @extend_schema(summary="Changed briefs, oldest change first (cursor pages, for sync clients)")
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)
