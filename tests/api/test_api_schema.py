"""OpenAPI: served, valid, documented with local assets; schemathesis finds no server error and no
response contradicting the schema (in-process over WSGI, a bounded number of examples)."""

import os

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from .conftest import make_user

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6"))  # per operation; bounded
# No server error, and no response that contradicts the schema (status, media type, body, headers),
# plus schema-invalid input must be rejected. Not run: positive_data_acceptance, because a write
# that is valid field by field can still break a rule across fields (a completed deal needs its
# closing date; a brief's body must cite what it links), which OpenAPI cannot state (the API answers
# 400 naming the field); the stateful resource checks need links between operations that the schema
# does not declare.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
]


def test_schema_is_openapi_3_and_covers_every_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/briefs/",
        "/api/v1/briefs/{slug}/",
        "/api/v1/briefs/sync/",
        "/api/v1/briefs/{slug}/annotations/",
        "/api/v1/briefs/{slug}/annotations/pages/{number}/",
        "/api/v1/briefs/{slug}/annotations/{id}/",
        "/api/v1/deals/",
        "/api/v1/deals/{slug}/",
        "/api/v1/parties/",
        "/api/v1/parties/{slug}/",
        "/api/v1/sources/",
        "/api/v1/sources/{key}/",
        "/api/v1/quotes/",
        "/api/v1/quotes/{key}/",
        "/api/v1/search/",
    } <= paths
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    params = {p["name"] for p in schema["paths"]["/api/v1/briefs/"]["get"]["parameters"]}
    assert {
        "party",
        "role",
        "deal_type",
        "announced_after",
        "announced_before",
        "amount_min",
        "amount_max",
        "status",
        "updated_since",
        "ordering",
        "page",
        "page_size",
    } <= params
    assert "Error" in schema["components"]["schemas"]
    deal_params = {p["name"] for p in schema["paths"]["/api/v1/deals/"]["get"]["parameters"]}
    assert {
        "status",
        "series",
        "deal_type",
        "party",
        "role",
        "lead",
        "amount_usd_min",
        "amount_usd_max",
        "announced_after",
        "announced_before",
        "ordering",
        "page",
        "page_size",
    } <= deal_params
    assert {"post"} <= set(schema["paths"]["/api/v1/deals/"])
    detail = schema["paths"]["/api/v1/deals/{slug}/"]
    assert {"get", "put", "patch"} <= set(detail)
    assert "412" in detail["patch"]["responses"] and "412" in detail["put"]["responses"]
    components = schema["components"]["schemas"]
    assert {"participants", "stages", "figures", "size", "briefs", "page_url"} <= set(components["Deal"]["properties"])
    assert "deals" in components["BriefDetail"]["properties"] and "deal" not in components["BriefDetail"]["properties"]


@pytest.mark.parametrize(
    "url, asset",
    [
        ("/api/schema/swagger-ui/", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/api/schema/redoc/", "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
    ],
)
def test_docs_pages_load_their_assets_locally(client, url, asset):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/static/{asset}" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower() and "jsdelivr" not in html.lower()
    assert finders.find(asset), asset


def _run_schemathesis(headers=None):
    """Every operation, MAX_EXAMPLES generated cases each; returns the failures, not just the first."""
    from dealsite.wsgi import application

    # As Django's test client does: keep the test's database connection (and its transaction)
    # open across requests; request_finished would otherwise close it (PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        return _run_operations(schemathesis.openapi.from_wsgi("/api/schema/", application), headers)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _run_operations(api, headers, max_examples=MAX_EXAMPLES):
    from hypothesis import given

    failures, operations = [], 0
    for result in api.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @hsettings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            # Schemathesis' WSGI transport asks for gzip (requests' default) but never decodes it.
            case.call_and_validate(headers={"Accept-Encoding": "identity", **(headers or {})}, checks=CHECKS)

        try:
            run()
        except Exception as failure:  # noqa: BLE001 - collect them all, report together
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    return operations, failures


@pytest.fixture
def public_deal(demo_brief):
    from .deal_builders import about, amount, make_deal

    deal = make_deal(slug="schemathesis-deal", figures=[amount("10", "EUR")], stages=[{"description": "signed"}])
    about(demo_brief, deal, stages=[deal.stages.get()])
    return deal


def test_schemathesis_anonymous(demo_brief, public_deal):
    operations, failures = _run_schemathesis()
    assert operations >= 20
    assert failures == []


def test_schemathesis_with_a_superuser_token(demo_brief, public_deal):
    user = make_user("schemathesis-root", staff=True)
    user.is_superuser = True
    user.save()
    token = Token.objects.create(user=user)
    operations, failures = _run_schemathesis({"Authorization": f"Token {token.key}"})
    assert failures == []
