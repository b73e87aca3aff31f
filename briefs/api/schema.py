"""drf-spectacular hooks: document the JSON error responses every operation can give."""

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                    "reference": {"type": "string"},
                    "line": {"type": "integer"},
                },
                "required": ["field", "message", "code"],
            },
        },
    },
    "required": ["status", "code", "detail"],
}
READ_ERRORS = {"400": "Invalid query parameter", "404": "Not found", "406": "Not acceptable", "429": "Throttled"}
WRITE_ERRORS = {
    "400": "Invalid input",
    "401": "Not authenticated",
    "403": "Permission denied",
    "404": "Not found",
    "405": "Method not allowed",
    "415": "Unsupported media type",
    "429": "Throttled",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": ERROR_REF}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            errors = READ_ERRORS if method == "get" else WRITE_ERRORS
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": content})
            if any(p.get("name") == "If-Match" for p in operation.get("parameters", [])):
                responses.setdefault(
                    "412",
                    {
                        "description": "If-Match names a stale version. A brief says who changed it, when and "
                        "what (changed_by, changed_at, changed, your_version, current_version, current_etag); "
                        "a deal says when it was saved (changed_at, current_etag)",
                        "content": content,
                    },
                )
                responses.setdefault(
                    "428",
                    {
                        "description": "No If-Match (RFC 6585, Precondition Required): GET the resource (its URL "
                        "is etag_from), take that response's ETag header and send it as If-Match",
                        "content": content,
                    },
                )
    return result


from drf_spectacular.openapi import AutoSchema  # noqa: E402
from rest_framework.permissions import SAFE_METHODS  # noqa: E402


class DealsiteAutoSchema(AutoSchema):
    """Reads need no credentials (they only ever show published content): say so in `security`."""

    def get_auth(self):
        from .permissions import ReadOnlyOrModelPermissions

        auths = super().get_auth()
        readable = any(isinstance(p, ReadOnlyOrModelPermissions) for p in self.view.get_permissions())
        if self.method in SAFE_METHODS and readable and {} not in auths:
            auths.append({})
        return auths
