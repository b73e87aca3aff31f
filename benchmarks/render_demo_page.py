"""Time to render the demo brief page in-process (Django test client, no network).

    .venv/bin/python benchmarks/render_demo_page.py [--runs 100] [--cached]

Uses a throwaway SQLite database, loads the demo brief, warms up, then reports the median and p95
of full request/response cycles for the brief, party and home pages, and the SQL queries of each.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--cached", action="store_true", help="leave the page cache on (measures hits)")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="dealsite-bench-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dealsite.settings",
            "SECRET_KEY": "benchmark-only",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "LOG_LEVEL": "WARNING",
            "STATIC_MANIFEST": "0",
            "WHITENOISE_USE_FINDERS": "1",
            # Uncached by default: this measures rendering; --cached measures the page cache's hits.
            "PAGE_CACHE": "1" if args.cached else "0",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from briefs.demo.loader import load_demo

    call_command("migrate", verbosity=0)
    brief, _ = load_demo()
    client = Client()
    pages = {"brief": brief.get_absolute_url(), "party": "/parties/amazon/", "home": "/"}
    print(f"{'page':<8}{'median ms':>11}{'p95 ms':>9}{'queries':>9}   ({args.runs} runs each)")
    for name, url in pages.items():
        for _ in range(10):
            assert client.get(url).status_code == 200
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{name:<8}{statistics.median(timings):>11.2f}{p95:>9.2f}{len(queries):>9}")


if __name__ == "__main__":
    main()
