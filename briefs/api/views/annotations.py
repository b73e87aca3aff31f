"""W3C Web Annotation endpoints: the collection, its pages, and each annotation."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from ...models import Annotation, Brief
from .. import web_annotations as w3c
from ..links import ApiLinks
from ..renderers import ANNOTATION_MEDIA_TYPE, AnnotationJSONLDRenderer
from .base import ApiReadMixin

_URI = {"type": "string", "format": "uri"}
_TEXTUAL = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "value": {"type": "string"},
        "format": {"type": "string"},
        "language": {"type": "string"},
        "purpose": {"type": "string"},
    },
    "required": ["type", "value"],
}
_RESOURCE = {
    "type": "object",
    "properties": {"id": _URI, "type": {"type": "string"}, "format": {"type": "string"}},
    "required": ["id"],
}
ANNOTATION_SCHEMA = {
    "type": "object",
    "description": "A W3C Web Annotation (https://www.w3.org/TR/annotation-model/).",
    "properties": {
        "@context": {"type": "string", "enum": [w3c.CONTEXT]},
        "id": _URI,
        "type": {"type": "string", "enum": ["Annotation"]},
        "motivation": {"type": "string", "enum": sorted(set(w3c.MOTIVATIONS.values()))},
        "created": {"type": "string", "format": "date-time"},
        "modified": {"type": "string", "format": "date-time"},
        "body": {"type": "array", "items": {"oneOf": [_TEXTUAL, _RESOURCE]}},
        "target": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["SpecificResource"]},
                "source": _URI,
                "selector": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "type": {"type": "string", "enum": ["TextQuoteSelector", "TextPositionSelector"]},
                            "exact": {"type": "string"},
                            "prefix": {"type": "string"},
                            "suffix": {"type": "string"},
                            "start": {"type": "integer", "minimum": 0},
                            "end": {"type": "integer", "minimum": 0},
                        },
                        "required": ["type"],
                    },
                },
            },
            "required": ["type", "source", "selector"],
        },
    },
    "required": ["id", "type", "motivation", "created", "modified", "body", "target"],
}
PAGE_SCHEMA = {
    "type": "object",
    "description": "A W3C AnnotationPage.",
    "properties": {
        "@context": {"type": "string"},
        "id": _URI,
        "type": {"type": "string", "enum": ["AnnotationPage"]},
        "startIndex": {"type": "integer", "minimum": 0},
        "partOf": {
            "type": "object",
            "properties": {"id": _URI, "type": {"type": "string"}, "total": {"type": "integer"}},
        },
        "next": _URI,
        "prev": _URI,
        "items": {"type": "array", "items": ANNOTATION_SCHEMA},
    },
    "required": ["id", "type", "startIndex", "items"],
}
COLLECTION_SCHEMA = {
    "type": "object",
    "description": "A W3C AnnotationCollection; `first` embeds the first AnnotationPage.",
    "properties": {
        "@context": {"type": "string", "enum": [w3c.CONTEXT]},
        "id": _URI,
        "type": {"type": "string", "enum": ["AnnotationCollection"]},
        "label": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "modified": {"type": "string", "format": "date-time"},
        "first": PAGE_SCHEMA,
        "last": _URI,
    },
    "required": ["@context", "id", "type", "label", "total"],
}


def _responses(schema, description):
    return {
        (200, "application/ld+json"): OpenApiResponse(response=schema, description=description),
        (200, "application/json"): OpenApiResponse(response=schema, description=description),
    }


class AnnotationView(ApiReadMixin, generics.GenericAPIView):
    """W3C Web Annotations (JSON-LD, anno.jsonld profile; plain JSON on request)."""

    renderer_classes = [AnnotationJSONLDRenderer, JSONRenderer, BrowsableAPIRenderer]
    queryset = Annotation.objects.none()
    pagination_class = None
    filter_backends = []

    def page_size(self):
        return settings.DEALSITE_API["ANNOTATION_PAGE_SIZE"]

    def brief(self):
        return get_object_or_404(Brief.objects.visible_to(self.request.user), slug=self.kwargs["slug"])

    def annotations(self, brief):
        return (
            Annotation.objects.filter(brief=brief)
            .select_related("party", "source", "quote__speaker", "note")
            .order_by("ordinal")
        )

    def get(self, request, *args, **kwargs):
        return self.cached_read(request, lambda: Response(self.document()))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(getattr(response, "accepted_renderer", None), AnnotationJSONLDRenderer):
            if response.status_code >= 400:  # errors are plain JSON, like everywhere else in the API
                response.accepted_renderer, response.accepted_media_type = JSONRenderer(), "application/json"
            else:
                response.content_type = ANNOTATION_MEDIA_TYPE
        return response


@extend_schema_view(
    get=extend_schema(
        operation_id="briefs_annotations_collection",
        summary="The brief's annotations as a W3C AnnotationCollection",
        responses=_responses(COLLECTION_SCHEMA, "AnnotationCollection"),
    )
)
class AnnotationCollectionView(AnnotationView):
    def document(self):
        brief = self.brief()
        annotations = self.annotations(brief)
        total = annotations.count()
        first = list(annotations[: self.page_size()]) if total else []
        return w3c.collection_document(brief, first, ApiLinks(self.request), total, self.page_size())


@extend_schema_view(
    get=extend_schema(
        operation_id="briefs_annotations_page",
        summary="One AnnotationPage of the brief's annotations",
        parameters=[
            OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH, description="1-based page number.")
        ],
        responses=_responses(PAGE_SCHEMA, "AnnotationPage"),
    )
)
class AnnotationPageView(AnnotationView):
    def document(self):
        brief = self.brief()
        annotations = self.annotations(brief)
        total = annotations.count()
        number, size = int(self.kwargs["number"]), self.page_size()
        if number < 1 or number > w3c.page_count(total, size):
            raise NotFound("No such annotation page.")
        items = list(annotations[(number - 1) * size : number * size])
        return w3c.page_document(brief, items, ApiLinks(self.request), number, total, size)


@extend_schema_view(
    get=extend_schema(
        operation_id="briefs_annotation_retrieve",
        summary="One annotation as a W3C Web Annotation",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=_responses(ANNOTATION_SCHEMA, "Annotation"),
    )
)
class AnnotationDetailView(AnnotationView):
    def document(self):
        brief = self.brief()
        annotation = get_object_or_404(self.annotations(brief), pk=self.kwargs["pk"])
        return w3c.annotation_document(annotation, brief, ApiLinks(self.request))
