"""Runs the W3C Web Annotation test assertions (../shared/w3c-web-annotation-tests) on documents.

A document passes a .test file when, for every assertion listed, JSON Schema (draft-04) validity
matches the assertion's expectedResult. `format` is enforced: "uri" with rfc3987's strict URI rule,
"date-time" with an RFC 3339 check; nothing is silently skipped.
"""

import datetime
import json
import re
from functools import cache
from pathlib import Path

import rfc3987
from django.conf import settings
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

MUSTS = {
    "annotation": "annotations/annotationMusts.test",
    "collection": "collections/collectionMusts.test",
    "page": "collections/pages/pageMusts.test",
}
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def tests_root():
    return Path(settings.BASE_DIR).parent / "shared" / "w3c-web-annotation-tests"


def format_checker():
    checker = FormatChecker(formats=())

    @checker.checks("uri", raises=ValueError)
    def is_uri(value):
        if not isinstance(value, str):
            return True
        return rfc3987.match(value, rule="URI") is not None

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):
        if not isinstance(value, str):
            return True
        if not _RFC3339.match(value):
            return False
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return True

    return checker


@cache
def registry():
    root = tests_root()
    resources = []
    for path in root.rglob("*.json"):
        if "tools" in path.parts:
            continue
        contents = json.loads(path.read_text())
        if isinstance(contents, dict) and "id" in contents:
            resources.append((contents["id"], Resource.from_contents(contents, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


@cache
def assertions(kind):
    root = tests_root()
    listed = json.loads((root / MUSTS[kind]).read_text())["assertions"]
    loaded = []
    for item in listed:
        schema = json.loads((root / item).read_text()) if isinstance(item, str) else item
        loaded.append((item if isinstance(item, str) else schema.get("title", "inline"), schema))
    return loaded


def failures(kind, document):
    """Names and messages of every assertion of `kind`'s .test file that `document` fails."""
    failed = []
    checker = format_checker()
    for name, schema in assertions(kind):
        validator = Draft4Validator(schema, registry=registry(), format_checker=checker)
        errors = list(validator.iter_errors(document))
        expected_valid = schema.get("expectedResult", "valid") == "valid"
        if (not errors) != expected_valid:
            failed.append((name, schema.get("errorMessage", ""), [e.message for e in errors][:3]))
    return failed
