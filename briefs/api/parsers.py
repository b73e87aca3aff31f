"""JSON request bodies with a nesting limit checked before parsing (their size is Django's limit).

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
            return json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")
