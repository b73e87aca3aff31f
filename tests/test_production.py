"""Production serving: CSP on every response, the health endpoint, JSON logs, the ceiling view."""

import json
import logging
from unittest import mock

import pytest
from django.urls import NoReverseMatch, reverse

from dealsite.logs import JSONFormatter

pytestmark = pytest.mark.django_db


def csp_of(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/briefs/amazon-invests-up-to-4-billion-in-anthropic/",
        "/parties/amazon/",
        "/feed/rss/",
        "/admin/login/",
        "/healthz",
    ],
)
def test_every_response_carries_a_strict_content_security_policy(client, demo_brief, url):
    policy = csp_of(client.get(url))
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


def test_the_admin_brief_form_is_served_under_the_policy(admin_client, demo_brief):
    response = admin_client.get(reverse("admin:briefs_brief_change", args=[demo_brief.pk]))
    assert response.status_code == 200 and "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert " style=" not in html, "inline style attributes are blocked by the policy"


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok" and body["checks"]["cache"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_the_cache_is_down(client):
    with mock.patch("dealsite.health.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"status": "error", "error": "ConnectionError", "ms": mock.ANY}


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch("dealsite.health._database", side_effect=RuntimeError("db gone")):
        from dealsite import health

        with mock.patch.dict(health.CHECKS, {"database": health._database}):
            response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["database"]["status"] == "error"


def test_healthz_is_exempt_from_the_https_redirect(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_json_log_lines_are_one_object_each():
    record = logging.LogRecord("briefs.tasks", logging.WARNING, __file__, 1, "brief %s no longer renders", ("x",), None)
    record.brief_id = 7
    line = JSONFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "briefs.tasks"
    assert entry["message"] == "brief x no longer renders" and entry["brief_id"] == 7
    assert entry["time"].endswith("+00:00") and "\n" not in line


def test_log_format_json_is_selected_by_the_environment():
    import subprocess
    import sys

    from django.conf import settings

    code = "import django, logging; django.setup(); logging.getLogger('dealsite.test').warning('hello %s', 'world')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "dealsite.settings",
            "SECRET_KEY": "x" * 60,
            "LOG_FORMAT": "json",
        },
    )
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["message"] == "hello world" and entry["level"] == "WARNING"


def test_the_benchmark_ceiling_is_not_mounted_by_default(client):
    with pytest.raises(NoReverseMatch):
        reverse("bench-ceiling")
    assert client.get("/_bench/ceiling/").status_code == 404


def test_gunicorn_config_has_a_sensible_worker_count(monkeypatch):
    from django.conf import settings

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = {}
    exec((settings.BASE_DIR / "gunicorn.conf.py").read_text(), config)
    assert config["workers"] >= 2 and config["bind"]
    assert config["worker_class"] in ("sync", "gthread")


def test_favicon_ico_points_at_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_only_api_pages_may_use_inline_styles_and_no_page_inline_scripts(client, demo_brief):
    api = csp_of(client.get("/api/v1/briefs/"))
    site = csp_of(client.get("/"))
    assert api["style-src"] == ["'self'", "'unsafe-inline'"] and site["style-src"] == ["'self'"]
    assert api["script-src"] == site["script-src"] == ["'self'"]
