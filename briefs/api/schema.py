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


_NULL = {"nullable": True, "enum": [None]}
_AMOUNT_GIVEN = {"type": "string", "format": "decimal"}
_CURRENCY_GIVEN = {"type": "string", "minLength": 3, "maxLength": 3}
# An amount (when not null) needs its currency: the rows that carry an amount and a currency.
_AMOUNT_NEEDS_CURRENCY = {
    "description": "An amount needs its currency: leave `amount` out or null, or give both (else 400 on `….currency`).",
    "anyOf": [
        {"not": {"required": ["amount"]}},
        {"properties": {"amount": _NULL}},
        {"required": ["amount", "currency"], "properties": {"amount": _AMOUNT_GIVEN, "currency": _CURRENCY_GIVEN}},
    ],
}


def _figure_rule():
    from ..models.choices import MONEY_FIGURES, FigureKind

    return {
        "description": "A stake is a `percent` and no amount; every other kind is a sum of money: `amount` "
        "and its `currency`, and no percent (else 400 on `figures[i].percent` / `.amount` / `.currency`).",
        "oneOf": [
            {
                "required": ["kind", "percent"],
                "properties": {
                    "kind": {"enum": [FigureKind.STAKE.value]},
                    "percent": {"type": "string"},
                    "amount": _NULL,
                },
            },
            {
                "required": ["kind", "amount", "currency"],
                "properties": {
                    "kind": {"enum": [kind.value for kind in MONEY_FIGURES]},
                    "amount": _AMOUNT_GIVEN,
                    "currency": _CURRENCY_GIVEN,
                    "percent": _NULL,
                },
            },
        ],
    }


def add_write_dependencies(result, generator, request, public):
    """The deal write rules between fields, machine-readable: the serializers check them (400 naming
    the field path); here they are said in JSON Schema, next to the fields they tie together."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in ("ParticipantWriteRequest", "StageWriteRequest"):
        if name in schemas:
            schemas[name].update(_AMOUNT_NEEDS_CURRENCY)
    if "FigureWriteRequest" in schemas:
        schemas["FigureWriteRequest"].update(_figure_rule())
    return result


def add_extension_fields(result, generator, request, public):
    """What feature apps add to the brief detail (briefs.extensions), in the BriefDetail component:
    the serializer adds them at run time, so drf-spectacular cannot see them."""
    from .. import extensions

    schema = result.get("components", {}).get("schemas", {}).get("BriefDetail")
    added = extensions.brief_api_schema()
    if schema is not None and added:
        schema.setdefault("properties", {}).update(added)
        schema["required"] = sorted({*schema.get("required", []), *added})
    return result
