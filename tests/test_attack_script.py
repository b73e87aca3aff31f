"""benchmarks/attack.py works: its reduced run starts a production-configured server, crawls for
canaries, opens XSS vectors in Chromium, sends pathological input, stops the server, prints its
counts and finds nothing."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # as tests/browser/conftest.py

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_reduced_attack_run_counts_what_it_did_and_finds_nothing():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium (as .ci/run does) or set CHROMIUM")
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "attack.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    crawl = re.search(
        r"draft-leak crawl: (\d+) anonymous responses .*?(\d+) canary found.*control canary in (\d+)", out
    )
    assert crawl and int(crawl[1]) >= 200 and int(crawl[2]) == 0 and int(crawl[3]) > 0, out
    xss = re.search(r"XSS: (\d+) vectors in every text field, (\d+) pages opened .*?(\d+) executions", out)
    assert xss and int(xss[1]) >= 5 and int(xss[2]) >= 7 * int(xss[1]) and int(xss[3]) == 0, out
    inputs = re.search(r"pathological input: (\d+) requests .*?(\d+) server errors", out)
    assert inputs and int(inputs[1]) >= 200 and int(inputs[2]) == 0, out
    assert "findings: 0" in out, out
