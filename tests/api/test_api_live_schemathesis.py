"""Schemathesis once against a live gunicorn (DEBUG off, the project's gunicorn.conf.py) on 127.0.0.1:
what a client meets over HTTP — real headers, the whole middleware stack, several worker processes
— not only the in-process WSGI run of test_api_schema."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import schemathesis

from tests.test_celery_redis import ProjectDatabase

from .test_api_schema import _run_operations

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# Per operation and client (anonymous, then a superuser token); fewer than in-process, where each case
# costs no network round trip and no worker.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_LIVE_MAX_EXAMPLES", "6"))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=300, capture_output=True, text=True
    ).stdout


@pytest.fixture
def live_server_url(tmp_path):
    """A migrated database with the demo and a superuser token, served by gunicorn on a free port of
    127.0.0.1 with production settings (DEBUG off); stopped, and its database dropped, afterwards."""
    db = ProjectDatabase(tmp_path)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db.url,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "dealsite.settings",
        "DEBUG": "0",
        "SECRET_KEY": "live-schemathesis-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # no TLS proxy in front of this one
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "-",  # into gunicorn.log: the test counts the requests it served
        "API_ANON_RATE": "100000/min",
        "API_USER_RATE": "100000/min",
        "DJANGO_SUPERUSER_PASSWORD": "live-schemathesis-only",
    }
    env.pop("REDIS_URL", None)
    log = open(tmp_path / "gunicorn.log", "w")
    server = None
    try:
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "load_demo")
        _manage(env, "createsuperuser", "--noinput", "--username", "root", "--email", "root@example.com")
        token = _manage(env, "drf_create_token", "root").split()[2]
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "dealsite.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text()) from None
                time.sleep(0.2)
        yield url, token, tmp_path / "gunicorn.log"
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        log.close()
        db.drop()


def test_schemathesis_against_a_live_gunicorn_finds_no_error_and_no_response_contradicting_the_schema(
    live_server_url,
):
    url, token, access_log = live_server_url
    api = schemathesis.openapi.from_url(f"{url}/api/schema/")
    api.config.update(base_url=url)
    anonymous_operations, anonymous_failures = _run_operations(api, None, MAX_EXAMPLES)
    token_operations, token_failures = _run_operations(api, {"Authorization": f"Token {token}"}, MAX_EXAMPLES)
    assert anonymous_operations >= 20 and token_operations == anonymous_operations
    assert anonymous_failures == [] and token_failures == []
    served = [line for line in access_log.read_text().splitlines() if '"GET /api/' in line or " /api/v1/" in line]
    assert len(served) >= 2 * anonymous_operations  # every case went over HTTP to gunicorn
