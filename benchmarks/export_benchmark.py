"""Peak memory and time of the deals CSV and JSON exports as the number of deals grows.

    .venv/bin/python benchmarks/export_benchmark.py [--rows 2000 20000] [--keep]

Builds a throwaway SQLite database (migrated, then public deals inserted in bulk: each a funding
round with a lead, a co-investor, a target and a published brief: tests.deal_market.bulk_public_deals),
then for each size requests /deals/export.csv and /deals/export.json through Django's test client
and reads the streamed body as a client would, measuring with tracemalloc the peak of Python
allocations while the export is produced and read. Flat means the peak hardly moves as rows grow.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(db_path):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dealsite.settings",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "SECRET_KEY": "benchmark-only",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "PAGE_THROTTLE_RATE": "",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def measure(client, url):
    tracemalloc.start()
    started = time.perf_counter()
    size = lines = 0
    for chunk in client.get(url).streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, elapsed, size, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 20000], help="export sizes, ascending")
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="export-bench-")
    setup(Path(folder) / "bench.sqlite3")
    from django.test import Client

    from tests.deal_market import bulk_public_deals

    client, made = Client(), 0
    print(f"{'rows':>8} {'format':>6} {'peak MiB':>9} {'seconds':>8} {'MiB out':>8} {'rows/s':>8}")
    for rows in sorted(args.rows):
        while made < rows:
            step = min(5000, rows - made)
            bulk_public_deals(step, start=made)
            made += step
        for fmt in ("csv", "json"):
            peak, elapsed, size, lines = measure(client, f"/deals/export.{fmt}")
            assert lines >= rows, (fmt, lines, rows)
            print(
                f"{rows:>8} {fmt:>6} {peak / 2**20:>9.2f} {elapsed:>8.2f} {size / 2**20:>8.2f} {rows / elapsed:>8.0f}"
            )
    if args.keep:
        print(f"database kept in {folder}")
    else:
        for path in Path(folder).iterdir():
            path.unlink()
        os.rmdir(folder)


if __name__ == "__main__":
    main()
