import hashlib
import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.exceptions import ErrorDetail, PermissionDenied, ValidationError

from dealsite import write_deadline
from dealsite.site_url import absolute_url

from ...models import Brief, BriefParty
from ...models.briefs import sees_drafts
from ...queries import brief_detail_queryset, brief_detail_request_prefetches, brief_link_prefetches
from ...services import locking, workflow
from ...services.citations import CitationsMissing, FigureProblem
from ..exceptions import Gone, PreconditionFailed, if_match_of
from ..filters import BriefFilter, BriefSyncFilter
from ..pagination import KeysetPagination, SyncPagination
from ..serializers import BriefDetailSerializer, BriefListSerializer, BriefWriteSerializer
from ..serializers.deals import embedded_deals_prefetch
from ..stored_parts import stored_api_parts
from .base import ApiReadMixin

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=True,
    description="The ETag from a GET of the brief (its `ETag` response header): the write is refused with 412 "
    "if the brief's content changed since, and with 428 without If-Match. `*` matches any current brief.",
)
_ENTITY_TAG = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|$)')


class StoredListParts:
    """Brief lists that show the nested lists stored at save time (briefs/api/stored_parts.py) to
    readers who see only published briefs, the public's view; staff who may read drafts get the
    full serialization."""

    def stored_parts_shown(self):
        return not sees_drafts(self.request.user)

    def listing(self, visible):
        if self.stored_parts_shown():  # the nested lists: stored, or get_serializer's prefetch
            return visible.for_listing("api_parts")
        return visible.for_listing().with_deal_line().prefetch_related(embedded_deals_prefetch(self.request.user))

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args and self.stored_parts_shown():
            missing = [brief for brief in args[0] if stored_api_parts(brief) is None]
            if missing:  # parts not made yet (or by another release): those briefs in full, in 3 queries
                prefetch_related_objects(
                    missing,
                    Prefetch("party_links", queryset=BriefParty.objects.select_related("party")),
                    embedded_deals_prefetch(self.request.user),
                )
        return super().get_serializer(*args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "stored_parts": self.stored_parts_shown()}


@extend_schema_view(
    list=extend_schema(
        summary="List briefs",
        description="Published briefs (staff with view permission: all), newest first by default, in cursor "
        "pages: follow `next` (pages 1 to 10 may also be asked for by number).",
    ),
    retrieve=extend_schema(summary="A brief with everything a reader sees"),
    create=extend_schema(
        summary="Create a brief with its links",
        request=BriefWriteSerializer,
        responses={201: BriefDetailSerializer},
    ),
    update=extend_schema(
        summary="Replace a brief",
        request=BriefWriteSerializer,
        responses=BriefDetailSerializer,
        parameters=[IF_MATCH],
    ),
    partial_update=extend_schema(
        summary="Change part of a brief",
        request=BriefWriteSerializer,
        responses=BriefDetailSerializer,
        parameters=[IF_MATCH],
    ),
)
class BriefViewSet(
    StoredListParts,
    ApiReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Deal briefs: read by anyone (published only), written by editors with a token."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = BriefFilter
    pagination_class = KeysetPagination
    queryset = Brief.objects.none()  # for DjangoModelPermissions; get_queryset decides visibility

    def get_queryset(self):
        visible = Brief.objects.visible_to(self.request.user)
        if self.action == "list":
            return self.listing(visible)
        if self.action in ("update", "partial_update"):
            return visible  # the write serializer answers with the saved brief, loaded as a GET loads it
        if self.stored_parts_shown():  # the nested lists: stored, or get_object's prefetch
            return visible.prefetch_related(*brief_detail_request_prefetches())
        # Staff who may read drafts: the deals they may see, in full.
        return brief_detail_queryset(visible).prefetch_related(embedded_deals_prefetch(self.request.user))

    def stored_parts_shown(self):
        return self.action in ("list", "retrieve") and super().stored_parts_shown()

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

    # Reads: the detail's ETag is the brief's content version plus a digest of the representation.

    def get_object(self):
        if getattr(self, "_etag_brief", None) is None:  # update() and the write it runs share one load
            try:
                self._etag_brief = super().get_object()
            except Http404:
                self._raise_if_gone()
                raise
            brief = self._etag_brief
            if (
                self.action == "retrieve"
                and self.stored_parts_shown()
                and not stored_api_parts(brief, "api_detail_parts")
            ):
                # Parts not made yet (or by another release): this brief in full.
                prefetch_related_objects([brief], *brief_link_prefetches(), embedded_deals_prefetch(self.request.user))
        return self._etag_brief

    def _raise_if_gone(self):
        """A brief readers could once see answers 410 with when and why it was withdrawn; any other
        slug stays a 404, so a draft's slug says nothing."""
        if self.action != "retrieve":
            return
        gone = Brief.objects.gone().filter(slug=self.kwargs.get(self.lookup_field)).first()
        if gone is not None:
            raise Gone(
                f"“{gone.title}” was withdrawn on {gone.withdrawn_at:%d %B %Y}.",
                extra={
                    "slug": gone.slug,
                    "withdrawn_at": gone.withdrawn_at.isoformat(),
                    "reason": gone.withdrawal_reason,
                },
            )

    def representation_etag(self, key, body, renderer_format):
        brief = getattr(self, "_etag_brief", None)
        if brief is None or self.action not in ("retrieve", "update", "partial_update"):
            return super().representation_etag(key, body, renderer_format)
        digest = hashlib.sha1(renderer_format.encode() + b"|" + body).hexdigest()[:16]
        return locking.etag_for(brief, digest)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method in ("PUT", "PATCH")
            and response.status_code == 200
            and hasattr(response, "accepted_renderer")
        ):
            response.render()
            response["ETag"] = self.representation_etag(
                None, bytes(response.content), response.accepted_renderer.format
            )
        return response

    # Writes: If-Match (optimistic locking on Brief.version) and status changes through the workflow.

    def perform_create(self, serializer):
        wanted = serializer.validated_data.get("_workflow", {})
        with transaction.atomic():
            brief = serializer.save()
            self._change_status(brief, wanted)
            write_deadline.check()  # the transition came after the save's own check

    def update(self, request, *args, **kwargs):
        self._if_match = self._check_if_match(request, self.get_object())
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer):
        instance = serializer.instance
        self._check_can_edit(instance)
        data = serializer.validated_data
        wanted = data.get("_workflow", {})
        has_content = any(not name.startswith("_") for name in data) or bool(data.get("_links"))
        opened = getattr(self, "_if_match", None)
        with transaction.atomic():
            if has_content:
                try:
                    serializer.save(_opened_version=opened)
                except locking.EditConflict as conflict:  # lost a race since the check in update()
                    raise self._precondition_failed(conflict) from None
            elif opened is not None and not Brief.objects.filter(pk=instance.pk, version=opened).exists():
                raise self._precondition_failed(locking.conflict_for(instance.pk, opened))
            self._change_status(instance, wanted)
            write_deadline.check()  # the transition came after the save's own check

    def _check_can_edit(self, brief):
        """The admin's rule (workflow.can_edit): Writers edit drafts; Editors any brief."""
        if not workflow.can_edit(self.request.user, brief):
            raise PermissionDenied(
                "Only drafts can be edited without the “publish brief” permission; this brief is "
                f"{brief.get_status_display().lower()}."
            )

    def _check_if_match(self, request, brief):
        """The version an If-Match names (None for `*`); 412 if it is not current, 428 without If-Match."""
        header = if_match_of(request, "brief", absolute_url(reverse("api:brief-detail", args=[brief.slug])))
        if header.strip() == "*":  # `*`: any current representation; this brief exists
            return None
        stale = None
        for match in _ENTITY_TAG.finditer(header):
            if match.group(1):
                continue  # If-Match compares strongly: a weak tag never matches (RFC 9110, 13.1.1)
            version = locking.version_from_if_match(match.group(2), brief.pk)
            if version == brief.version:
                return version
            if version is not None and version < brief.version:
                stale = version if stale is None else max(stale, version)
        if stale is None:
            raise PreconditionFailed(
                "If-Match names no current version of this brief: GET it and send the ETag it returns.",
                extra={"current_etag": locking.etag_for(brief)},
            )
        raise self._precondition_failed(locking.conflict_for(brief.pk, stale))

    @staticmethod
    def _precondition_failed(conflict):
        who = ", ".join(conflict.editors) or "someone else"
        when = conflict.changed_at.isoformat() if conflict.changed_at else None
        what = conflict.changes.summary() if conflict.changes is not None else "the brief"
        return PreconditionFailed(
            f"{who} changed this brief{f' at {when}' if when else ''} since your version {conflict.opened_version} "
            f"(it is now version {conflict.current_version}); they changed: {what}. Nothing was saved: GET the brief, "
            "merge their changes into yours and send it again with the new ETag.",
            extra={
                "changed_by": conflict.editors,
                "changed_at": when,
                "changed": what,
                "your_version": conflict.opened_version,
                "current_version": conflict.current_version,
                "current_etag": f'"brief-{conflict.brief_pk}-v{conflict.current_version}"',
            },
        )

    def _change_status(self, brief, wanted):
        """Run the workflow's transition to `wanted["status"]` as the token's user, in the API's errors."""
        try:
            return workflow.change_status(
                brief,
                self.request.user,
                wanted.get("status", brief.status),
                published_at=wanted.get("published_at", workflow.UNSET),
                comment="Changed through the API.",
            )
        except workflow.StatusChangeInvalid as invalid:
            raise ValidationError({invalid.field: invalid.messages}) from None
        except CitationsMissing as missing:
            raise ValidationError(citation_errors(missing.problems)) from None
        except DjangoPermissionDenied as refused:
            raise PermissionDenied(str(refused)) from None
        except DjangoValidationError as invalid:
            raise ValidationError({"status": invalid.messages}) from None

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["Location"] = response.data["api_url"]
        return response


def citation_errors(problems):
    """The citation check's problems as API errors: uncited spans on the body, with their line;
    unsourced deal figures on their path (code figure_unsourced)."""
    errors = {}
    for problem in problems:
        if isinstance(problem, FigureProblem):
            errors.setdefault(problem.field, []).append(ErrorDetail(problem.message, code=problem.code))
        else:
            errors.setdefault("body", []).append(
                {"message": problem.message, "reference": problem.text, "line": problem.line, "code": "uncited"}
            )
    return errors


class BriefChangeSerializer(BriefListSerializer):
    """A list item in the sync feed (its own schema component: cursor pages have no count)."""


class BriefSyncView(StoredListParts, ApiReadMixin, generics.ListAPIView):
    """Every brief you can see, least recently changed first, in cursor pages: start with
    `updated_since` set to your last sync time and follow `next` until it is null."""

    serializer_class = BriefChangeSerializer
    filterset_class = BriefSyncFilter
    pagination_class = SyncPagination
    queryset = Brief.objects.none()

    def get_queryset(self):
        return self.listing(Brief.objects.visible_to(self.request.user))

    @extend_schema(summary="Changed briefs, oldest change first (cursor pages, for sync clients)")
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)
