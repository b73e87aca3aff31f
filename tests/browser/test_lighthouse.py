"""Lighthouse (npm lighthouse, tests/browser/package.json) with Debian's Chromium against a
production-configured server: gunicorn, DEBUG off, static files collected and served by WhiteNoise,
on 127.0.0.1 and a free port. Performance, accessibility, best practices and SEO each score at
least 0.95 on the home, brief, party and search pages: the median of three runs, since the machine
is small and shared. The scores are printed (and kept under artifacts/lighthouse/)."""

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, DEMO_URL, HERE

ROOT = HERE.parent.parent
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
REPORTS = ROOT / "artifacts" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"home": "/", "brief": DEMO_URL, "party": "/parties/amazon/", "search": "/search/?q=amazon"}
RUNS = 3
THRESHOLD = 0.95


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    if not LIGHTHOUSE.exists():
        pytest.fail(f"lighthouse is not installed at {LIGHTHOUSE}: run `npm ci` in tests/browser (bin/test does)")
    work = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
        "DEBUG": "0",
        "SECRET_KEY": "lighthouse-run-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{work / 'site.sqlite3'}",
        "STATIC_ROOT": str(work / "static"),
        "STATIC_MANIFEST": "1",
        "WHITENOISE_USE_FINDERS": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback: no TLS proxy in front here
        "SITE_URL": f"http://127.0.0.1:{port}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("REDIS_URL", None)
    python = sys.executable
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "dealsite.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer")
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# Lighthouse's own trace-recording failures ("Something went wrong with recording the trace over
# your page load. Please run Lighthouse again."): Chrome lost the trace's bookkeeping events, which
# says nothing about the page, so such a run is repeated. Any other failure (an error status, no
# paint, a crash) fails the test at once.
TRACE_ERRORS = ("NO_NAVSTART", "NO_TRACING_STARTED", "TRACING_ALREADY_STARTED")
ATTEMPTS = 3


def lighthouse(url, report):
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
    for attempt in range(1, ATTEMPTS + 1):
        finished = subprocess.run(
            [
                "node",
                str(LIGHTHOUSE),
                url,
                f"--only-categories={','.join(CATEGORIES)}",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={flags}",
                "--quiet",
                "--max-wait-for-load=30000",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=180,
            capture_output=True,
            text=True,
        )
        if finished.returncode == 0:
            break
        said = finished.stderr[-4000:] + finished.stdout[-2000:]
        if attempt == ATTEMPTS or not any(f"({code})" in said for code in TRACE_ERRORS):
            pytest.fail(f"lighthouse {url} exited {finished.returncode} (attempt {attempt}):\n{said}")
        print(f"lighthouse {url}: trace not recorded ({said.strip().splitlines()[-1]}), running again")
    data = json.loads(report.read_text())
    return {name: data["categories"][name]["score"] for name in CATEGORIES}, data


def failed_audits(data):
    return sorted(
        f"{audit['id']} ({audit['score']})"
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_scores_at_least_095_in_every_category(production_server, name):
    REPORTS.mkdir(parents=True, exist_ok=True)
    runs, last = [], None
    for run in range(RUNS):
        scores, last = lighthouse(production_server + PAGES[name], REPORTS / f"{name}-{run + 1}.json")
        runs.append(scores)
    medians = {category: statistics.median(run[category] for run in runs) for category in CATEGORIES}
    print(f"lighthouse {name}: " + ", ".join(f"{c} {medians[c]:.2f}" for c in CATEGORIES))
    (REPORTS / f"{name}-median.json").write_text(json.dumps({"runs": runs, "median": medians}, indent=2))
    low = {c: s for c, s in medians.items() if s < THRESHOLD}
    assert low == {}, f"{name}: {low}; audits below 0.9: {failed_audits(last)}"
