from rest_framework.renderers import JSONRenderer

ANNOTATION_PROFILE = "http://www.w3.org/ns/anno.jsonld"
ANNOTATION_MEDIA_TYPE = f'application/ld+json; profile="{ANNOTATION_PROFILE}"'


class AnnotationJSONLDRenderer(JSONRenderer):
    """W3C Web Annotation JSON-LD. Negotiated as application/ld+json; the response carries the
    anno.jsonld profile (set by the view, since DRF would otherwise require it in Accept)."""

    media_type = "application/ld+json"
    format = "jsonld"


def content_type_for(renderer):
    if isinstance(renderer, AnnotationJSONLDRenderer):
        return ANNOTATION_MEDIA_TYPE
    return f"{renderer.media_type}; charset={renderer.charset}" if renderer.charset else renderer.media_type
