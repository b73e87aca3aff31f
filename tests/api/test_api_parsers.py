"""Request bodies the JSON parser refuses quickly and clearly: nested too deep, too large."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefs.api.parsers import MAX_DEPTH, nesting_depth

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body",
    ["[" * 10_000 + "]" * 10_000, '{"a":' * 3_000 + "1" + "}" * 3_000, "[" * 100_000],
    ids=["arrays-10000", "objects-3000", "unclosed-100000"],
)
def test_deeply_nested_json_is_a_fast_400(editor, body):
    api = token_client(editor)
    started = time.perf_counter()
    response = api.post("/api/v1/briefs/", body, content_type="application/json")
    elapsed = time.perf_counter() - started
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "parse_error" and "nested" in response.json()["detail"]
    assert elapsed < 0.5


def test_a_body_over_the_upload_limit_is_a_413(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = token_client(editor).post(
        "/api/v1/briefs/", '{"title": "' + "x" * 2000 + '"}', content_type="application/json"
    )
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"


def test_nan_and_infinity_are_not_json(editor):
    response = token_client(editor).post("/api/v1/briefs/", '{"title": NaN}', content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=30,
)


def _depth(value):
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@given(json_values)
def test_the_depth_scan_agrees_with_the_structure(value):
    """Brackets inside strings (with escapes) never count; the scan measures what json would build."""
    import json

    assert nesting_depth(json.dumps(value).encode(), limit=10_000) == _depth(value)


def test_the_limit_is_above_what_the_api_accepts():
    assert MAX_DEPTH >= 8


@pytest.mark.parametrize("bad", ["\x0b", "\x00", "\x85", "\ud800"])
def test_text_with_unpublishable_characters_is_a_400_naming_the_field(editor, bad):
    import json

    body = json.dumps({"title": "Fine", "dek": f"Pasted{bad}text", "parties": [{"party": "x", "role": f"a{bad}"}]})
    response = token_client(editor).post("/api/v1/briefs/", body, content_type="application/json")
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"dek", "parties[0].role"}
    assert "U+" in response.json()["errors"][0]["message"]
