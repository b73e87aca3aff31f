"""Never an HTML error page under /api/: Django-level errors (unknown paths, 500s) become JSON."""

import json

from django.http import HttpResponse

API_PREFIX = "/api/"
CODES = {
    404: "not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
}
KEEP_HEADERS = ("Allow", "Retry-After", "Vary")


def _is_json(response):
    content_type = response.get("Content-Type", "")
    return "json" in content_type.split(";")[0]


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not _is_json(response)
            and not hasattr(response, "accepted_renderer")  # DRF's own (incl. the browsable API)
        ):
            return self._json(response)
        return response

    def _json(self, response):
        status = response.status_code
        body = {"status": status, "code": CODES.get(status, "error"), "detail": response.reason_phrase}
        if status == 404:
            body["detail"] = "Not found. See /api/schema/swagger-ui/ for the API's paths."
        elif status >= 500:
            body["detail"] = "Server error. It has been logged."
        replacement = HttpResponse(json.dumps(body), status=status, content_type="application/json")
        for header in KEEP_HEADERS:
            if response.has_header(header):
                replacement[header] = response[header]
        return replacement
