"""JSON request bodies: nesting checked before parsing, unpublishable characters refused after.

Python's json module parses nested arrays and objects recursively, so a body nested a few thousand
levels deep ends in a RecursionError (a 500, after seconds) instead of a clear refusal. The depth is
measured first with one regular-expression scan (strings are skipped whole, so brackets inside them
do not count), which costs about as much as reading the body; no request the API accepts is nested
more than a handful of levels.
"""

import json
import re

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from ..text import describe, unaccepted

MAX_DEPTH = 32
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "request_too_large"
    default_detail = "The request body is too large."


def nesting_depth(raw, limit=MAX_DEPTH):
    """The deepest nesting of arrays and objects in `raw` (bytes), or limit + 1 once it exceeds it."""
    depth = deepest = 0
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return depth
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        # DRF hands JSON parsers the body already read through request.body, which Django refuses
        # past DATA_UPLOAD_MAX_MEMORY_SIZE (a 413 from briefs.api.exceptions).
        raw = stream.read() if stream is not None else b""
        if nesting_depth(raw) > MAX_DEPTH:
            raise exceptions.ParseError(f"JSON nested more than {MAX_DEPTH} levels deep is not accepted.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        problems = dict(_unaccepted_text(data))
        if problems:
            raise exceptions.ValidationError(problems)
        return data


def _unaccepted_text(value, path=""):
    """(field path, [message]) for every string holding characters the product does not accept
    (briefs.text): refused, so that clients learn, rather than silently changed."""
    if isinstance(value, str):
        found = unaccepted(value)
        if found:
            yield (
                path or "non_field_errors",
                [
                    f"Contains characters that cannot be published (control characters or lone surrogates): "
                    f"{describe(found)}. Remove them and send it again."
                ],
            )
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _unaccepted_text(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if unaccepted(key):
                yield (
                    path or "non_field_errors",
                    [f"A key contains unpublishable characters: {describe(unaccepted(key))}."],
                )
                continue
            yield from _unaccepted_text(item, f"{path}.{key}" if path else key)


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")
