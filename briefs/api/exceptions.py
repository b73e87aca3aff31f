"""One JSON error shape for every API error: {status, code, detail, errors?}.

Validation errors list each problem with its field path ("participants[1].amount", "parties[1].party");
markup problems add the reference and line at fault.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

from dealsite.write_deadline import WriteDeadlineExceeded


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text='Path in the request body, e.g. "participants[1].amount" or "parties[0].party".'
    )
    message = serializers.CharField()
    code = serializers.CharField()
    reference = serializers.CharField(
        required=False,
        help_text="Markup errors: the reference at fault; citation check (code uncited): the uncited span.",
    )
    line = serializers.IntegerField(required=False, help_text="Markup and citation errors: its line in the body.")


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = ErrorItemSerializer(many=True, required=False)


class PreconditionFailed(exceptions.APIException):
    """412: a write's If-Match names a version of the brief that is no longer current."""

    status_code = 412
    default_detail = "The brief changed since the version named in If-Match."
    default_code = "precondition_failed"

    def __init__(self, detail=None, extra=None):
        super().__init__(detail)
        self.extra = extra or {}


class Gone(exceptions.APIException):
    """410: the brief was published, then withdrawn; `extra` says when and why."""

    status_code = 410
    default_detail = "This brief was withdrawn."
    default_code = "gone"

    def __init__(self, detail=None, extra=None):
        super().__init__(detail)
        self.extra = extra or {}


class PreconditionRequired(exceptions.APIException):
    """428 (RFC 6585): a write to an existing resource (PUT, PATCH, a brief's correction) without
    If-Match, which could silently overwrite someone's save."""

    status_code = 428
    default_code = "precondition_required"

    def __init__(self, detail=None, extra=None):
        super().__init__(detail)
        self.extra = extra or {}


def if_match_of(request, resource, url):
    """The If-Match header of a write to `resource` (e.g. "brief"), at `url`; 428 when there is none."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired(
            f"Send If-Match with every write to an existing {resource}, so that no one's save is silently "
            f"overwritten: GET the "
            f"{resource} ({url}), take the ETag header of that response and send it back as If-Match. "
            f"If the {resource} changed since, the write is refused with 412 and changes nothing.",
            extra={"etag_from": url},
        )
    return header


class WriteTooSlow(exceptions.APIException):
    """503: the write was not ready to commit within WRITE_DEADLINE_SECONDS, and was rolled back."""

    status_code = 503
    default_code = "write_deadline_exceeded"


def api_exception_handler(exc, context):
    if isinstance(exc, WriteDeadlineExceeded):
        exc = WriteTooSlow(str(exc))
    if isinstance(exc, RequestDataTooBig):  # Django refuses the body before any parser sees it
        from .parsers import RequestTooLarge

        exc = RequestTooLarge(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)."
        )
    response = exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's 500 handling, turned into JSON by ApiJsonErrorsMiddleware
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "status": response.status_code,
            "code": "invalid",
            "detail": "Invalid input.",
            "errors": list(flatten_errors(exc.detail)),
        }
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {
            "status": response.status_code,
            "code": getattr(detail, "code", None) or "error",
            "detail": str(detail),
            **getattr(exc, "extra", {}),
        }
    return response


def _join(path, key):
    if key == "non_field_errors":
        return path
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):  # DRF keys list errors by index
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def flatten_errors(detail, path=""):
    if isinstance(detail, dict):
        if "message" in detail and "line" in detail:  # a markup or citation error (see serializers.writes)
            yield {
                "field": path or "body",
                "message": str(detail["message"]),
                "code": str(detail.get("code", "invalid_markup")),
                "reference": str(detail["reference"]),
                "line": int(str(detail["line"])),
            }
            return
        for key, value in detail.items():
            yield from flatten_errors(value, _join(path, key))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, (dict, list)) and not (isinstance(item, dict) and "line" in item):
                yield from flatten_errors(item, f"{path}[{index}]")
            else:
                yield from flatten_errors(item, path)
    else:
        yield {"field": path or "non_field_errors", "message": str(detail), "code": getattr(detail, "code", "invalid")}
