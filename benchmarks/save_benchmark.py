"""Time to save a brief with many annotations through the API (in-process, full Django stack).

    .venv/bin/python benchmarks/save_benchmark.py [--sizes 500 2000] [--runs 3]

Uses a throwaway SQLite database. For each size it POSTs a new brief whose body links that many
spans (to 20 parties and 20 sources), then PATCHes its body (every span kept, so annotations are
matched to the saved ones) with If-Match, and reports the median wall time of each with the SQL
queries of the last run. The write limits are raised for the run so that large sizes can be timed.
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


def body_with(spans, suffix=""):
    lines = []
    for i in range(spans):
        kind, key = ("party", f"party-{i % 20}") if i % 2 == 0 else ("source", f"source-{i % 20}")
        lines.append(f"Span {i} cites [item {i}]({kind}:{key}){suffix}.")
    return "\n\n".join(lines)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--runs", type=int, default=3)
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
            "API_ANON_RATE": "100000/min",
            "API_USER_RATE": "100000/min",
            "BRIEF_MAX_ANNOTATIONS": str(max(args.sizes) * 2),
            "BRIEF_MAX_BODY_CHARS": str(max(args.sizes) * 100),
            "WRITE_DEADLINE_SECONDS": "600",
        }
    )
    import django

    django.setup()
    from django.contrib.auth.models import Permission, User
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from briefs.models import Party, Source

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_brief", "change_brief", "view_brief"]))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    for i in range(20):
        Party.objects.create(slug=f"party-{i}", name=f"Party {i}")
        Source.objects.create(key=f"source-{i}", title=f"Source {i}", url=f"https://example.com/{i}")
    links = {
        "parties": [{"party": f"party-{i}", "role": "mentioned"} for i in range(20)],
        "sources": [{"source": f"source-{i}"} for i in range(20)],
    }

    print(
        f"{'annotations':>11}{'create s':>10}{'edit s':>9}{'create SQL':>12}{'edit SQL':>10}   (median of {args.runs})"
    )
    serial = 0
    for size in args.sizes:
        creates, edits = [], []
        for _ in range(args.runs):
            serial += 1
            data = {
                "title": f"Bench {serial}",
                "dek": "Benchmark.",
                "slug": f"bench-{serial}",
                "body": body_with(size),
                **links,
            }
            with connection.execute_wrapper(create_queries := QueryCounter()):
                start = time.perf_counter()
                created = client.post("/api/v1/briefs/", data, format="json")
                creates.append(time.perf_counter() - start)
            assert created.status_code == 201, created.content[:500]
            assert len(created.json()["annotations"]) == size
            etag = client.get(f"/api/v1/briefs/bench-{serial}/")["ETag"]
            with connection.execute_wrapper(edit_queries := QueryCounter()):
                start = time.perf_counter()
                edited = client.patch(
                    f"/api/v1/briefs/bench-{serial}/",
                    {"body": body_with(size, suffix=" (edited)")},
                    format="json",
                    HTTP_IF_MATCH=etag,
                )
                edits.append(time.perf_counter() - start)
            assert edited.status_code == 200, edited.content[:500]
        print(
            f"{size:>11}{statistics.median(creates):>10.2f}{statistics.median(edits):>9.2f}"
            f"{create_queries.count:>12}{edit_queries.count:>10}"
        )


if __name__ == "__main__":
    main()
