"""The corrections API: every public correction (newest first), a brief's corrections, and
publishing one with POST (the corrections permission; If-Match on the brief's ETag, as for brief
writes; errors in the API's one JSON shape)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from briefs.api.pagination import StandardPagination
from briefs.api.serializers.writes import markup_error_details
from briefs.api.views.base import ApiReadMixin
from briefs.api.views.briefs import IF_MATCH, BriefViewSet
from briefs.models import Brief
from briefs.services import locking
from briefs.services.rendering import BriefMarkupInvalid

from ..models import Correction
from ..publishing import CorrectionInvalid, publish_correction
from ..views import public_corrections
from .serializers import CorrectionSerializer, CorrectionWriteSerializer


class CorrectionListView(ApiReadMixin, generics.ListAPIView):
    """Every correction and update of a published brief, newest first."""

    serializer_class = CorrectionSerializer
    pagination_class = StandardPagination
    queryset = Correction.objects.none()

    def get_queryset(self):
        return public_corrections()

    @extend_schema(summary="All corrections and updates, newest first")
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


class BriefCorrectionsView(ApiReadMixin, generics.ListAPIView):
    """A published brief's corrections and updates (GET); publish one (POST)."""

    serializer_class = CorrectionSerializer
    pagination_class = StandardPagination
    queryset = Correction.objects.none()  # for DjangoModelPermissions: POST needs corrections.add_correction

    def published_brief(self):
        return get_object_or_404(Brief.objects.published(), slug=self.kwargs["slug"])

    def get_queryset(self):
        return Correction.objects.filter(brief=self.published_brief()).newest_first().select_related("brief", "deal")

    @extend_schema(summary="A brief's corrections and updates, newest first")
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Publish a correction or update of a published brief",
        request=CorrectionWriteSerializer,
        responses={201: CorrectionSerializer},
        parameters=[IF_MATCH],
    )
    def post(self, request, *args, **kwargs):
        brief = self.published_brief()
        # The brief writes' If-Match rule, on the brief's ETag: a correction may change its body.
        opened = BriefViewSet._check_if_match(BriefViewSet(), request, brief)
        data = CorrectionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            correction = publish_correction(brief, request.user, opened_version=opened, **data.validated_data)
        except DjangoPermissionDenied as refused:
            raise PermissionDenied(str(refused)) from None
        except BriefMarkupInvalid as invalid:
            raise ValidationError({"body": markup_error_details(invalid)}) from None
        except CorrectionInvalid as invalid:
            raise ValidationError(invalid.message_dict) from None
        except locking.EditConflict as conflict:
            raise BriefViewSet._precondition_failed(conflict) from None
        correction = Correction.objects.select_related("brief", "deal").get(pk=correction.pk)
        body = CorrectionSerializer(correction, context=self.get_serializer_context()).data
        saved = Brief.objects.get(pk=brief.pk)
        headers = {"Location": body["page_url"], "ETag": locking.etag_for(saved)}
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)
