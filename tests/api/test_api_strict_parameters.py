"""No query parameter is silently ignored: given but empty, malformed or out of range, it is a 400 in
the API's error shape naming it, on every list endpoint; the schema states the bounds and the rules
between parameters and between write fields."""

import pytest

from tests.factories import make_brief

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/briefs/", "/api/v1/briefs/sync/", "/api/v1/deals/", "/api/v1/parties/"]


@pytest.fixture(autouse=True)
def content(db):
    make_brief(slug="one")
    make_brief(slug="two")


def refused(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, (url, response.content)
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    fields = [error["field"] for error in body["errors"]]
    assert parameter in fields, (url, body)
    return body


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("updated_since=", "updated_since"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=%20", "updated_since"),
        ("amount_min=", "amount_min"),
        ("party=", "party"),
        ("ordering=", "ordering"),
        ("announced_after=", "announced_after"),
    ],
)
def test_a_brief_filter_given_empty_or_malformed_is_a_400_naming_it(client, query, parameter):
    refused(client, f"/api/v1/briefs/?{query}", parameter)
    if parameter != "ordering":  # the sync feed has no ordering: its cursor fixes the order
        refused(client, f"/api/v1/briefs/sync/?{query}", parameter)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("value", ["", "null", "abc", "0", "-1", "1.5", "100000", "１０"])
def test_page_size_that_is_not_a_whole_number_in_range_is_a_400_on_every_list(client, url, value):
    body = refused(client, f"{url}?page_size={value}", "page_size")
    assert "whole number from 1 to" in body["errors"][0]["message"]


@pytest.mark.parametrize("url", ["/api/v1/briefs/", "/api/v1/deals/", "/api/v1/parties/"])
@pytest.mark.parametrize("value", ["", "abc", "0", "-2"])
def test_a_page_that_is_not_a_page_number_is_a_400(client, url, value):
    refused(client, f"{url}?page={value}", "page")


def test_a_page_past_the_last_stays_a_404_and_good_values_are_taken(client):
    assert client.get("/api/v1/briefs/?page=9").status_code == 404  # numbered pages end at 10; then cursors
    assert client.get("/api/v1/parties/?page=99").status_code == 404
    response = client.get("/api/v1/briefs/?page=2&page_size=1")
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    assert client.get("/api/v1/parties/?page=last&page_size=1").status_code == 200


def test_a_cursor_not_made_by_the_api_is_a_400_naming_cursor(client):
    refused(client, "/api/v1/briefs/sync/?cursor=not-a-cursor", "cursor")
    first = client.get("/api/v1/briefs/sync/?page_size=1").json()
    assert client.get(first["next"]).status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/briefs/", "/api/v1/briefs/one/", "/api/v1/deals/", "/api/v1/briefs/one/annotations/"]
)
@pytest.mark.parametrize("value", ["", "xml", "yaml"])
def test_an_unknown_or_empty_format_is_a_400_naming_format(client, url, value):
    body = refused(client, f"{url}?format={value}", "format")
    assert "json" in body["errors"][0]["message"]


def test_a_known_format_is_still_served(client):
    assert client.get("/api/v1/briefs/?format=json")["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "url, lower",
    [
        ("/api/v1/briefs/?amount_min=10&amount_max=5", "amount_min"),
        ("/api/v1/briefs/?announced_after=2024-02-01&announced_before=2024-01-01", "announced_after"),
        ("/api/v1/deals/?amount_usd_min=10&amount_usd_max=5", "amount_usd_min"),
        ("/api/v1/deals/?announced_after=2024-02-01&announced_before=2024-01-01", "announced_after"),
    ],
)
def test_a_range_whose_lower_bound_is_above_its_upper_is_a_400(client, url, lower):
    body = refused(client, url, lower)
    assert "nothing can match" in body["errors"][0]["message"]


def test_equal_bounds_are_a_range_of_one_value(client):
    assert client.get("/api/v1/deals/?amount_usd_min=5&amount_usd_max=5").status_code == 200


@pytest.fixture
def schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_the_schema_states_page_and_page_size_bounds(schema):
    for path, maximum in (("/api/v1/briefs/", 100), ("/api/v1/deals/", 100), ("/api/v1/briefs/sync/", 500)):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": maximum}, path
    assert "400" in schema["paths"]["/api/v1/briefs/"]["get"]["responses"]


def test_the_schema_says_an_amount_needs_its_currency_and_a_figure_kind_its_value(schema):
    import jsonschema

    components = schema["components"]["schemas"]

    def valid(component, instance):
        resolved = {**components[component], "components": {"schemas": components}}
        return jsonschema.Draft4Validator(_nullable_to_json_schema(resolved)).is_valid(instance)

    assert valid("ParticipantWriteRequest", {"party": "a", "role": "investor", "amount": "5.00", "currency": "EUR"})
    assert not valid("ParticipantWriteRequest", {"party": "a", "role": "investor", "amount": "5.00"})
    assert valid("ParticipantWriteRequest", {"party": "a", "role": "investor", "amount": None})
    assert not valid("StageWriteRequest", {"description": "signed", "amount": "5.00", "currency": ""})
    assert valid("FigureWriteRequest", {"kind": "stake", "percent": "15.00"})
    assert not valid("FigureWriteRequest", {"kind": "stake", "percent": "15.00", "amount": "5.00"})
    assert not valid("FigureWriteRequest", {"kind": "amount", "percent": "15.00"})
    assert valid("FigureWriteRequest", {"kind": "up_to", "amount": "4000000000.00", "currency": "USD"})
    assert not valid("FigureWriteRequest", {"kind": "up_to", "amount": "4000000000.00"})


def _nullable_to_json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema (what schemathesis does before generating data)."""
    if isinstance(node, list):
        return [_nullable_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_to_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]} if "enum" not in node else node
    return node
