"""How the cost of one uncached request grows with the archive: CPU ms per request type at two sizes.

    .venv/bin/python benchmarks/archive_growth.py [--sizes 1000 10000] [--repeat 15] [--rebuild]
                                                  [--no-parts] [--postgres]

Each archive (the demo plus N generated briefs, their page parts stored, the search index built)
is built once and reused from ~/.cache/dealsite-bench/ (DEALSITE_BENCH_CACHE), keyed by N and a
digest of the migrations and the generator, since a build is slow; --rebuild makes it again. 100k
is a flag away (--sizes 10000 100000) and takes long. --postgres runs the same on a throwaway
PostgreSQL (bin/with-postgres): each archive is built there once and kept as a pg_dump in the same
cache, which later runs restore (much faster than a build). A reused archive gets what a deploy
runs, render_page_parts, since the API's stored parts are keyed by the release. Requests go through Django's test
client in-process with the page cache and the API response cache off, so every one is a miss;
each is timed in process CPU time (time.process_time), the median of --repeat after a warm-up,
which other load on the machine barely distorts. Prints ms per type per size and large/small.
"""

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CACHE = Path(os.environ.get("DEALSITE_BENCH_CACHE", Path.home() / ".cache" / "dealsite-bench"))


def on_postgres():
    """Whether this process is the one rerun_on_postgres started (DATABASE_URL is the cluster's)."""
    return "DEALSITE_BENCH_ON_POSTGRES" in os.environ


def rerun_on_postgres(script):
    """Run `script` with this process's arguments again inside bin/with-postgres, a throwaway
    cluster that stops when it ends; its exit status."""
    command = [str(ROOT / "bin" / "with-postgres"), PYTHON, script, *sys.argv[1:]]
    # A port of its own: a PG_PORT set for a cluster already running (the suite's) is taken.
    env = {**{k: v for k, v in os.environ.items() if k != "PG_PORT"}, "DEALSITE_BENCH_ON_POSTGRES": "1"}
    return subprocess.run(["bash", *command], cwd=ROOT, env=env, check=True).returncode


def build_digest():
    digest = hashlib.sha256()
    for folder in ("briefs/migrations", "search/migrations", "briefs/synthetic", "webhooks/migrations"):
        for path in sorted((ROOT / folder).glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def env_for(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "benchmark-only",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "PAGE_CACHE": "0",
        "API_RESPONSE_CACHE": "0",
        "PAGE_THROTTLE_RATE": "",
        "API_ANON_RATE": "1000000/min",
        "LOG_LEVEL": "WARNING",
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def build(size, database_url, parts):
    env = env_for(database_url)
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    manage(env, "generate_briefs", "--count", str(size), "--no-progress", *([] if parts else ["--no-page-parts"]))
    print(f"built {size:,} briefs in {time.perf_counter() - started:.0f} s", flush=True)


def deployed(database_url, parts):
    """An archive made by other code, as a deploy leaves it: stored parts keyed by another release
    (the API's are) made again by render_page_parts, so the servers use them as production would."""
    if parts:
        started = time.perf_counter()
        manage(env_for(database_url), "render_page_parts", "--no-progress")
        print(f"render_page_parts took {time.perf_counter() - started:.0f} s", flush=True)
    return database_url


def archive(size, rebuild, parts):
    """A SQLite archive of `size` briefs, from the cache when there is one."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"sqlite-{size}-{build_digest()}{'' if parts else '-noparts'}.sqlite3"
    if rebuild or not path.exists():
        partial = path.with_suffix(".building")
        partial.unlink(missing_ok=True)
        build(size, f"sqlite:///{partial}", parts)
        partial.rename(path)
        return f"sqlite:///{path}"
    return deployed(f"sqlite:///{path}", parts)


def postgres_archive(size, base_url, rebuild, parts):
    """A database of `size` briefs in the cluster of `base_url`, restored from a cached pg_dump when there is one."""
    import psycopg

    name = f"dealsite_{size}{'' if parts else '_noparts'}"
    with psycopg.connect(base_url, autocommit=True) as connection:
        major = connection.info.server_version // 10000
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    url = f"{base_url.rsplit('/', 1)[0]}/{name}"
    tools = Path(f"/usr/lib/postgresql/{major}/bin")
    CACHE.mkdir(parents=True, exist_ok=True)
    dump = CACHE / f"postgresql{major}-{size}-{build_digest()}{'' if parts else '-noparts'}.dump"
    if dump.exists() and not rebuild:
        started = time.perf_counter()
        subprocess.run([tools / "pg_restore", "--no-owner", "--jobs", "2", "--dbname", url, dump], check=True)
        # A dump carries no planner statistics: without them the first queries are planned blind
        # until autovacuum gets round to the tables, which a short run may never see.
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("ANALYZE")
        print(f"restored {size:,} briefs from {dump.name} in {time.perf_counter() - started:.0f} s", flush=True)
        return deployed(url, parts)
    build(size, url, parts)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")  # as a restored dump gets: the same statistics either way
    partial = dump.with_suffix(".building")
    subprocess.run([tools / "pg_dump", "--format", "custom", "--file", partial, url], check=True)
    partial.rename(dump)
    return url


def measure(database_url, repeat):
    """Run this file's --measure in a fresh process against the archive: {type: ms}."""
    env = env_for(database_url)
    out = subprocess.run(
        [PYTHON, __file__, "--measure", "--repeat", str(repeat)], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def requests_to_time():
    """(type, URL) for every request type, chosen from the archive itself."""
    from django.db.models import Count

    from briefs import keyset
    from briefs.models import Brief, Party

    live = Brief.objects.published()
    count = live.count()
    brief = live.latest_first().only("slug")[count // 2]
    party = Party.objects.public().annotate(n=Count("brief_links")).order_by("-n").only("slug").first()
    listing = Brief.objects.published().latest_first()
    size = 20

    def cursor_at(offset):
        return keyset.page(listing, size=size, offset=max(offset - size, 0)).next_cursor

    return [
        ("home", "/"),
        ("brief", brief.get_absolute_url()),
        ("party (busiest)", party.get_absolute_url()),
        ("API list, first page", "/api/v1/briefs/"),
        ("API list, middle page", f"/api/v1/briefs/?cursor={cursor_at(count // 2)}"),
        ("API list, last page", f"/api/v1/briefs/?cursor={cursor_at(count - size)}"),
        ("API detail", f"/api/v1/briefs/{brief.slug}/"),
        ("feed", "/feed/rss/"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap, a full briefs page", "/sitemap-briefs.xml"),
        ("search, common word", "/search/?q=investment"),
        ("search, party name", f"/search/?q={party.slug.split('-')[-1]}"),
        ("API search", "/api/v1/search/?q=investment"),
    ]


def run_measure(repeat):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client()
    results = {}
    for name, url in requests_to_time():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        samples = []
        for _ in range(repeat):
            started = time.process_time()
            client.get(url)
            samples.append((time.process_time() - started) * 1000)
        results[name] = statistics.median(samples)
    print(json.dumps(results))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 10000], metavar=("SMALL", "LARGE"))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-parts", action="store_true", help="Do not store page parts (a faster build).")
    parser.add_argument("--postgres", action="store_true", help="On a throwaway PostgreSQL (bin/with-postgres).")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return run_measure(args.repeat)
    if args.postgres and not on_postgres():
        return rerun_on_postgres(__file__)
    figures = {}
    for size in args.sizes:
        if args.postgres:  # one throwaway cluster: each size in a database of its own
            url = postgres_archive(size, os.environ["DATABASE_URL"], args.rebuild, not args.no_parts)
        else:
            url = archive(size, args.rebuild, not args.no_parts)
        figures[size] = measure(url, args.repeat)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\n{engine}, CPU ms per uncached request (median of {args.repeat}); load average {os.getloadavg()[0]:.1f}\n")
    print(growth_table(figures))
    return 0


def growth_table(figures):
    """Markdown: ms per request type at each size ({size: {type: ms}}), and largest over smallest."""
    sizes = sorted(figures)
    lines = [
        "| request | " + " | ".join(f"{size:,} briefs" for size in sizes) + " | × growth |",
        "|---" * (len(sizes) + 2) + "|",
    ]
    for name in figures[sizes[0]]:
        values = [figures[size][name] for size in sizes]
        growth = f"{values[-1] / values[0]:.2f}" if len(sizes) > 1 and values[0] else "–"
        lines.append(f"| {name} | " + " | ".join(f"{value:.1f}" for value in values) + f" | {growth} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
