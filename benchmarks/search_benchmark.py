"""Search benchmark: build N synthetic briefs, index them, time a fixed query mix.

    # SQLite (a fresh file under /tmp unless --sqlite-path is given)
    .venv/bin/python benchmarks/search_benchmark.py --count 100000
    # PostgreSQL (a throwaway server; or set DATABASE_URL yourself)
    bin/with-postgres .venv/bin/python benchmarks/search_benchmark.py --count 100000

Reports the generation time, the index build time (rebuild_search_index) and, per query, p50/p95
of the whole search() call (results, snippets, facets, count) and of the whole /search/ page
(view, template, response), each over --repeat runs after a warm-up.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(args):
    if not os.environ.get("DATABASE_URL"):
        path = Path(
            args.sqlite_path or Path(tempfile.gettempdir()) / f"dealsite-bench-{args.count}-{args.seed}.sqlite3"
        )
        if not args.reuse and path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dealsite.settings",
            "SECRET_KEY": "benchmark-only-not-a-secret",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_MANIFEST": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def query_mix():
    """The fixed mix; the rare party is the published party linked to the fewest briefs."""
    from django.db.models import Count

    from briefs.models import Brief, Party

    rare = (
        Party.objects.filter(kind="organisation", brief_links__brief__in=Brief.objects.published())
        .annotate(n=Count("brief_links"))
        .order_by("n", "pk")
        .values_list("name", "n")
        .first()
    )
    return [
        (f"rare party ({rare[1]} briefs)", {"query": rare[0]}),
        ("common word", {"query": "company"}),
        ("two words", {"query": "hydrogen loan"}),
        ("phrase", {"query": '"regulatory approval"'}),
        ("prefix", {"query": "semicon*"}),
        ("facet filter", {"query": "solar", "deal_type": "acquisition", "currency": "EUR"}),
        ("money (extra)", {"query": "$1.5 billion"}),
        ("typo, no hits (extra)", {"query": "Quarri Robotcs"}),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--sqlite-path")
    parser.add_argument("--reuse", action="store_true", help="Keep an existing database and its briefs.")
    args = parser.parse_args()
    configure(args)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from briefs.models import Brief
    from search import search

    vendor = connection.vendor
    print(
        f"# Search benchmark: {vendor} {connection.Database.sqlite_version if vendor == 'sqlite' else connection.cursor().connection.info.server_version}, "
        f"{args.count:,} briefs, seed {args.seed}, {args.repeat} runs per query"
    )
    call_command("migrate", verbosity=0)
    if not (args.reuse and Brief.objects.exists()):
        started = time.perf_counter()
        call_command(
            "generate_briefs",
            count=args.count,
            seed=args.seed,
            no_index=True,
            no_progress=True,
            stdout=open(os.devnull, "w"),
        )
        print(f"generate_briefs: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        call_command("rebuild_search_index", no_progress=True, stdout=open(os.devnull, "w"))
        print(f"index build (rebuild_search_index): {time.perf_counter() - started:.1f} s")
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    print(
        f"published briefs: {Brief.objects.published().count():,}; load average before timing: "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)\n"
    )

    client = Client()
    print("| query | hits | search() min | search() p50 | search() p95 | page p50 | page p95 | SQL |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, params in query_mix():
        for _ in range(3):  # warm-up
            search(**params)
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            results = search(**params)
            timings.append((time.perf_counter() - started) * 1000)
        page_params = {"q": params["query"], **{k: v for k, v in params.items() if k != "query"}}
        page_timings = []
        statements = []
        with connection.execute_wrapper(lambda execute, sql, *a: statements.append(sql) or execute(sql, *a)):  # noqa: B023 (used at once)
            client.get("/search/", page_params)
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get("/search/", page_params)
            page_timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        shown = f"{results.total_display}" + (f" → {results.suggestion!r}" if results.suggestion else "")
        print(
            f"| {label}: `{params['query']}`{' ' + str({k: v for k, v in params.items() if k != 'query'}) if len(params) > 1 else ''} "
            f"| {shown} | {min(timings):.1f} ms | {percentile(timings, 50):.1f} ms | {percentile(timings, 95):.1f} ms "
            f"| {percentile(page_timings, 50):.1f} ms | {percentile(page_timings, 95):.1f} ms | {len(statements)} |"
        )


if __name__ == "__main__":
    main()
