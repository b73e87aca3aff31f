"""benchmarks/hit_rate.py works: a reduced run (a tiny archive built fresh, a few seconds of load)
starts Redis and both servers, reads and writes, counts hits and misses from Cache-Status, compares
served responses with fresh renders, finds none stale, and stops everything it started. On the
database the suite runs on: with --postgres (a throwaway cluster of its own) when that is PostgreSQL."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_the_reduced_hit_rate_run_counts_hits_misses_writes_and_checks_and_finds_nothing_stale(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip(
            "redis-server is not installed (apt-get install redis-server): the benchmark shares its cache there"
        )
    figures_file = tmp_path / "figures.json"
    on_postgres = connection.vendor == "postgresql"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "hit_rate.py"),
            *("--briefs", "30", "--duration", "4", "--readers", "2", "--workers", "2", "--check-every", "1"),
            *("--json", str(figures_file)),
            *(["--postgres"] if on_postgres else []),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240 if on_postgres else 120,
        env={**os.environ, "DEALSITE_BENCH_CACHE": str(tmp_path / "archives")},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    figures = json.loads(figures_file.read_text())["figures"]
    overall, writes = figures["overall"], figures["writes"]
    assert overall["hits"] > 0 and overall["misses"] > 0, run.stdout
    assert figures["search"]["uncacheable"] == figures["search"]["requests"] > 0, run.stdout
    assert writes["done"] >= 2 and writes["failed"] == 0, run.stdout
    assert figures["after write"]["checked"] == writes["done"], run.stdout
    assert overall["checked"] > 10 and overall["stale"] == 0 and overall["errors"] == 0, run.stdout
    assert "hit rate" in run.stdout and "load average" in run.stdout, run.stdout
