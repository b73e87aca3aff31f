"""The speed report: the product beside a bare Django hello-world under the same gunicorn, in Markdown.

    .venv/bin/python benchmarks/speed_report.py [--sizes 10000] [--databases sqlite] [--postgres]
                                                [--duration 10] [--rounds 3] [--connections 16]
                                                [--soak 60] [--repeat 15] [--workers N] [--rebuild]
                                                [--output report.md]

    # the full run (long: the 100k archives are built once, then reused from the cache)
    .venv/bin/python benchmarks/speed_report.py --sizes 10000 100000 --databases sqlite postgresql --soak 600

For each database and archive size: the archive (the demo plus N generated briefs with their page
parts and search index) comes from archive_growth.py, built once and reused from
~/.cache/dealsite-bench/ (PostgreSQL: restored from a cached pg_dump into a throwaway cluster,
bin/with-postgres); --rebuild makes it again. Then three gunicorn servers run side by side on free
ports of 127.0.0.1, all from the same gunicorn binary and the product's gunicorn.conf.py (workers,
worker class and threads as it sets them from the environment: WEB_CONCURRENCY, default 2 × cores
+ 1 sync workers, or --workers):

- the bare project: a Django hello-world generated in a temporary directory (settings with only a
  secret key, allowed hosts and a URLconf; no apps, no middleware, no database; one view returning
  a short HttpResponse; a wsgi module). It is the ceiling: what Django and gunicorn cost at all;
- the product with its page cache and API response cache on (Redis: a private redis-server per
  archive, the local-memory cache when redis-server is missing): the "cached" requests;
- the product with both caches off: the "uncached" requests (brief pages still use their stored
  page parts).

wrk loads each request type for --duration seconds per run in --rounds rounds, interleaved with
runs against the bare project (bare, A, bare, B, …, bare), so drifting load on a shared machine
hits both alike; each type's ratio is its requests/s over the mean of the bare runs just before and
after it. CPU ms per request is the server workers' CPU time (/proc) per request, which other load
on the machine barely distorts. Per archive it also prints the in-process CPU cost of one uncached
request per type (archive_growth.measure) and, over the sizes given, the largest over the smallest;
at the largest size it samples the workers' RSS during --soak seconds of mixed load on the cached
server, and runs benchmarks/hit_rate.py (the hit rate under writes) when that file exists. The
machine's load average is printed before and after each part. Every server started here stops at
the end (or by itself after a hard time limit).
"""

import argparse
import contextlib
import json
import os
import re
import runpy
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import archive_growth  # noqa: E402
from page_benchmark import Server, combine, run_soak, run_wrk, start_redis  # noqa: E402

PYTHON = sys.executable
ON_POSTGRES = "DEALSITE_SPEED_REPORT_ON_POSTGRES"
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# (request type, server, URL key in the probe, goal as a fraction of the bare project's req/s)
REQUEST_TYPES = [
    ("brief, cached", "cached", "brief", 0.8),
    ("brief, uncached (stored parts)", "uncached", "brief", 0.2),
    ("home, cached", "cached", "home", 0.8),
    ("API list, cached", "cached", "api_list", 0.8),
    ("API list, uncached", "uncached", "api_list", 0.2),
    ("API detail, cached", "cached", "api_detail", 0.8),
    ("API detail, uncached", "uncached", "api_detail", 0.3),
    # No goal: the product's own trivial view behind its whole middleware stack, to tell the
    # stack's cost from the pages' (BENCHMARK_CEILING=1 mounts it).
    ("product's trivial view", "cached", "ceiling", None),
]

BARE_SETTINGS = """\
SECRET_KEY = "bare-hello-world-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "hello.urls"
"""
BARE_URLS = """\
from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Hello, world!")


urlpatterns = [path("", hello)]
"""
BARE_WSGI = """\
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hello.settings")
application = get_wsgi_application()
"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@contextlib.contextmanager
def stdout_to_stderr():
    """Builds and subprocesses print progress; keep stdout for the report."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def write_bare_project(folder):
    package = Path(folder) / "hello"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(BARE_SETTINGS)
    (package / "urls.py").write_text(BARE_URLS)
    (package / "wsgi.py").write_text(BARE_WSGI)
    return Path(folder)


def gunicorn_settings(workers):
    """The product's gunicorn.conf.py as it reads in this environment (with --workers, if given)."""
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return {
        "workers": workers or conf["workers"],
        "worker_class": conf["worker_class"],
        "threads": conf["threads"],
        "keepalive": conf["keepalive"],
    }


def same_gunicorn(settings):
    """The environment that makes gunicorn.conf.py read these settings in every server started here."""
    return {"GUNICORN_WORKER_CLASS": settings["worker_class"], "GUNICORN_THREADS": str(settings["threads"])}


def versions():
    def first_line(*command):
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=10)
        except OSError:
            return "absent"
        return (out.stdout or out.stderr).splitlines()[0].strip()

    import django
    import gunicorn

    redis = re.search(r"v=(\S+)", first_line("redis-server", "--version"))
    return (
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, gunicorn {gunicorn.__version__}, "
        f"{first_line('wrk', '--version').split(' Copyright')[0]}, Redis {redis.group(1) if redis else 'absent'}"
    )


def probe(database_url):
    """URLs and slugs from the archive itself, chosen as archive_growth.py chooses them."""
    env = archive_growth.env_for(database_url)
    out = subprocess.run(
        [PYTHON, __file__, "--probe"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_probe():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
    import django

    django.setup()
    from django.db.models import Count

    from briefs.models import Brief, Party

    urls = dict(archive_growth.requests_to_time())
    briefs = Brief.objects.published().latest_first().values_list("slug", flat=True)[:400]
    parties = Party.objects.public().annotate(n=Count("brief_links")).order_by("-n").values_list("slug", flat=True)
    print(
        json.dumps(
            {
                "published": Brief.objects.published().count(),
                "urls": {
                    "home": urls["home"],
                    "brief": urls["brief"],
                    "api_list": urls["API list, first page"],
                    "api_detail": urls["API detail"],
                    "ceiling": "/_bench/ceiling/",
                    "party": urls["party (busiest)"],
                    "feed": urls["feed"],
                    "sitemap": urls["sitemap index"],
                },
                "briefs": list(briefs),
                "parties": list(parties[:100]),
            }
        )
    )


def cache_status(url):
    """The Cache-Status header of a second request (the first may fill the cache)."""
    for _ in range(2):
        with urllib.request.urlopen(url, timeout=30) as response:
            if response.status != 200:
                raise RuntimeError(f"{url}: HTTP {response.status}")
            status = response.headers.get("Cache-Status", "")
    return status


def product_env(database_url, cached, redis_url):
    env = {
        "DATABASE_URL": database_url,
        "PAGE_CACHE": "1" if cached else "0",
        "API_RESPONSE_CACHE": "1" if cached else "0",
        # The load comes from one address: no rate limit may answer for the pages.
        "PAGE_THROTTLE_RATE": "",
        "API_ANON_RATE": "1000000000/min",
        "API_USER_RATE": "1000000000/min",
    }
    if cached and redis_url:
        env["REDIS_URL"] = redis_url
    return env


def side_by_side(servers, bare, urls, args):
    """Interleaved wrk runs: each type's runs, the req/s of the bare runs around each, and the bare runs."""
    sequence = [(name, servers[server], urls[key]) for name, server, key, _goal in REQUEST_TYPES]
    for _name, server, path in sequence:  # warm up workers, connections and caches; not counted
        run_wrk(server.url + path, 2, args.connections)
    run_wrk(bare.url + "/", 2, args.connections)
    bare_runs, runs, neighbours = [], {name: [] for name, _s, _p in sequence}, {name: [] for name, _s, _p in sequence}
    bare_runs.append(run_wrk(bare.url + "/", args.duration, args.connections, server=bare))
    for round_number in range(args.rounds):
        log(f"  round {round_number + 1}/{args.rounds}")
        for name, server, path in sequence:
            runs[name].append(run_wrk(server.url + path, args.duration, args.connections, server=server))
            bare_runs.append(run_wrk(bare.url + "/", args.duration, args.connections, server=bare))
            neighbours[name].append((bare_runs[-2]["rps"], bare_runs[-1]["rps"]))
    return runs, neighbours, bare_runs


def side_by_side_table(runs, neighbours, bare_runs, urls, statuses):
    """Markdown, and {type: (× bare by req/s, × bare by CPU per request)}."""
    bare = combine(bare_runs)
    lines = [
        "| request | req/s | bare req/s | × bare | × bare per round | p50 ms | p99 ms | CPU ms/req | "
        "CPU × bare | goal | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| bare hello-world | {bare['rps']:.0f} | – | 1.00 | – | {bare['p50']:.2f} | {bare['p99']:.2f} | "
        f"{bare['cpu_ms']:.2f} | 1.00 | – | {bare['errors']} |",
    ]
    ratios, shown = {}, {}
    for name, server, key, goal in REQUEST_TYPES:
        result = combine(runs[name])
        adjacent = statistics.mean(statistics.mean(pair) for pair in neighbours[name])
        ratio = result["rps"] / adjacent
        per_round = [run["rps"] / statistics.mean(pair) for run, pair in zip(runs[name], neighbours[name], strict=True)]
        ratios[name] = (ratio, bare["cpu_ms"] / result["cpu_ms"])
        shown.setdefault(urls[key], []).append(name)
        verdict = (
            "–"
            if goal is None
            else (f"≥ {goal}: met" if ratio >= goal else f"≥ {goal}: **missed** by {goal - ratio:.2f}")
        )
        warning = ""
        if statuses.get(name) is not None:
            hit = "hit" in statuses[name]
            if hit != (server == "cached"):
                warning = f" (Cache-Status: {statuses[name] or 'none'}!)"
        lines.append(
            f"| {name}{warning} | {result['rps']:.0f} | {adjacent:.0f} | {ratio:.2f} | "
            f"{' / '.join(f'{r:.2f}' for r in per_round)} | {result['p50']:.2f} | {result['p99']:.2f} | "
            f"{result['cpu_ms']:.2f} | {ratios[name][1]:.2f} | {verdict} | {result['errors']} |"
        )
    lines.append("")
    lines += [f"- {'; '.join(names)}: `{url}`" for url, names in shown.items()]
    return "\n".join(lines), ratios


def soak_paths(probe_result):
    urls = probe_result["urls"]
    return (
        [urls["home"], urls["feed"], urls["sitemap"], urls["api_list"]]
        + [f"/briefs/{slug}/" for slug in probe_result["briefs"]]
        + [f"/api/v1/briefs/{slug}/" for slug in probe_result["briefs"][:100]]
        + [f"/parties/{slug}/" for slug in probe_result["parties"]]
    )


def soak_section(server, probe_result, args, workdir, workers):
    paths = soak_paths(probe_result)
    every = max(5, args.soak // 24)
    log(f"  soak: {args.soak} s over {len(paths)} URLs (after a {max(10, args.soak // 2)} s warm-up pass)")
    result = run_soak(server, paths, args.soak, args.connections, workdir, every=every)
    samples = result["samples"]
    lines = [
        f"Mixed load on the cached server for {args.soak} s after a warm-up pass over the same mix: "
        f"{len(paths)} distinct URLs (home, feed, sitemap, API list, {len(probe_result['briefs'])} brief pages, "
        f"100 API details, {len(probe_result['parties'])} party pages) at {args.connections} connections: "
        f"{result['requests']} requests, {result['rps']:.0f} req/s, {result['errors']} errors.",
        "",
        "| s | RSS of all workers, MB | per worker, MB |",
        "|---|---|---|",
    ]
    for index, sample in enumerate(samples):
        lines.append(f"| {index * every} | {sample:.0f} | {sample / workers:.0f} |")
    lines += [
        "",
        f"RSS growth first → last sample: {result['growth'] * 100:+.1f} %; over the second half: "
        f"{result['second_half_growth'] * 100:+.1f} % ({'flat' if abs(result['second_half_growth']) < 0.05 else 'NOT flat'}).",
    ]
    return "\n".join(lines)


def hit_rate_section(size, database):
    script = ROOT / "benchmarks" / "hit_rate.py"
    if not script.exists():
        return "benchmarks/hit_rate.py is not here: the hit rate under writes is not measured."
    command = [PYTHON, str(script), "--briefs", str(size)]
    if database == "postgresql":
        usage = subprocess.run([PYTHON, str(script), "--help"], cwd=ROOT, capture_output=True, text=True).stdout
        if "--postgres" not in usage:
            return "benchmarks/hit_rate.py has no --postgres: its figures are in the SQLite section."
        command.append("--postgres")
    env = {key: value for key, value in os.environ.items() if key != ON_POSTGRES}
    log(f"  hit rate: {' '.join(command[1:])}")
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stderr)
    return f"`{' '.join(['benchmarks/hit_rate.py', *command[2:]])}` (exit {out.returncode}):\n\n{out.stdout.strip()}"


def archive_url(database, size, args):
    with stdout_to_stderr():
        if database == "sqlite":
            return archive_growth.archive(size, args.rebuild, True)
        return archive_growth.postgres_archive(size, os.environ["DATABASE_URL"], args.rebuild, True)


def stop_redis(process):
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def measure_archive(database, size, args, settings, bare_dir, workdir, out):
    """Side by side, growth figures and (at the largest size) the soak and the hit rate for one archive."""
    engine = ENGINES[database]
    log(f"{engine}, {size:,} briefs: archive")
    url = archive_url(database, size, args)
    found = probe(url)
    redis, redis_url = start_redis(workdir)
    servers, bare = {}, None
    hard_limit = 3600 + 3 * args.soak + len(REQUEST_TYPES) * args.rounds * 2 * (args.duration + 30)
    try:
        before = load_average()
        log(f"{engine}, {size:,} briefs: servers")
        bare = Server(
            workdir,
            settings["workers"],
            {"DJANGO_SETTINGS_MODULE": "hello.settings", "PYTHONPATH": str(bare_dir), **same_gunicorn(settings)},
            app="hello.wsgi",
            cwd=bare_dir,
            ready_path="/",
            hard_limit=hard_limit,
        )
        for mode in ("cached", "uncached"):
            env = {**product_env(url, mode == "cached", redis_url), **same_gunicorn(settings)}
            servers[mode] = Server(workdir, settings["workers"], env, hard_limit=hard_limit)
        statuses = {
            name: cache_status(servers[server].url + found["urls"][key])
            for name, server, key, goal in REQUEST_TYPES
            if goal is not None
        }
        log(f"{engine}, {size:,} briefs: side by side")
        runs, neighbours, bare_runs = side_by_side(servers, bare, found["urls"], args)
        after = load_average()
        table, ratios = side_by_side_table(runs, neighbours, bare_runs, found["urls"], statuses)
        cache = "Redis" if redis_url else "the local-memory cache (no redis-server)"
        out(
            f"\n### {engine}, {size:,} briefs ({found['published']:,} published): side by side with a bare "
            f"hello-world\n\n"
            f"Cached requests use {cache}. Load average before: {before}; after: {after}.\n\n{table}"
        )
        soak = None
        if args.soak and size == max(args.sizes):
            before = load_average()
            soak = soak_section(servers["cached"], found, args, workdir, settings["workers"])
            out(
                f"\n### {engine}, {size:,} briefs: worker RSS over time\n\n{soak}\n\n"
                f"Load average before: {before}; after: {load_average()}."
            )
    finally:
        for server in [*servers.values(), *([bare] if bare else [])]:
            server.stop()
        stop_redis(redis)
    log(f"{engine}, {size:,} briefs: in-process CPU per uncached request")
    figures = archive_growth.measure(url, args.repeat)
    if size == max(args.sizes):
        before = load_average()
        section = hit_rate_section(size, database)
        out(
            f"\n### {engine}, {size:,} briefs: hit rate under writes\n\n{section}\n\n"
            f"Load average before: {before}; after: {load_average()}."
        )
    return ratios, figures


def summary_table(ratios):
    """The issue's table: × bare per request type (req/s, then CPU), one column per database and size."""
    columns = list(ratios)
    lines = [
        "| request | " + " | ".join(f"{ENGINES[db]} {size:,}" for db, size in columns) + " | goal |",
        "|---" * (len(columns) + 2) + "|",
    ]
    for name, _server, _key, goal in REQUEST_TYPES:
        cells = []
        for column in columns:
            ratio, by_cpu = ratios[column][name]
            cells.append((f"{ratio:.2f}" if goal is None or ratio >= goal else f"**{ratio:.2f}**") + f" · {by_cpu:.2f}")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {'–' if goal is None else f'≥ {goal}'} |")
    return "\n".join(lines)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000], help="archive sizes (default 10000)")
    parser.add_argument("--databases", nargs="+", choices=sorted(ENGINES), default=["sqlite"])
    parser.add_argument("--postgres", action="store_true", help="the same as --databases postgresql")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--soak", type=int, default=60, help="seconds of mixed load with RSS samples (0: skip)")
    parser.add_argument("--repeat", type=int, default=15, help="in-process samples per request type (growth)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--rebuild", action="store_true", help="build the archives again")
    parser.add_argument("--output", help="also write the report to this file")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.postgres:
        args.databases = ["postgresql"]
    args.sizes = sorted(set(args.sizes))
    return args


def main():
    args = parse_args()
    if args.probe:
        return run_probe()
    if "postgresql" in args.databases and ON_POSTGRES not in os.environ:
        command = ["bash", str(ROOT / "bin" / "with-postgres"), PYTHON, __file__, *sys.argv[1:]]
        return subprocess.run(command, cwd=ROOT, env={**os.environ, ON_POSTGRES: "1"}).returncode
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    settings = gunicorn_settings(args.workers)
    report = []

    def out(text):
        report.append(text)
        log(text)

    started = time.time()
    workdir = Path(tempfile.mkdtemp(prefix="dealsite-speed-"))
    try:
        bare_dir = write_bare_project(workdir / "bare")
        out(
            f"## Speed report\n\n"
            f"`{' '.join(['benchmarks/speed_report.py', *sys.argv[1:]])}` on {os.cpu_count()} cores; "
            f"{versions()}. gunicorn.conf.py: {settings['workers']} {settings['worker_class']} workers, "
            f"{settings['threads']} thread(s) each, keep-alive {settings['keepalive']} s, for the product and the "
            f"bare project alike (the bare project: a Django hello-world with no apps, middleware or database, "
            f"one view returning a 13-byte HttpResponse). wrk: 1 thread, {args.connections} connections, {args.duration} s per run, "
            f"{args.rounds} rounds, each request type between two runs of the bare project. "
            f"× bare: req/s over the mean of the adjacent bare runs; CPU × bare: the bare project's worker CPU "
            f"per request over the type's. Load average at the start: {load_average()}."
        )
        ratios, figures = {}, {}
        for database in args.databases:
            for size in args.sizes:
                ratios[(database, size)], figures[(database, size)] = measure_archive(
                    database, size, args, settings, bare_dir, workdir, out
                )
        out(
            "\n### Summary: × bare hello-world by req/s · by CPU per request (bold: goal missed)\n\n"
            + summary_table(ratios)
        )
        for database in args.databases:
            growth = archive_growth.growth_table({size: figures[(database, size)] for size in args.sizes})
            note = "" if len(args.sizes) > 1 else " (one size given: --sizes 10000 100000 shows the growth)"
            out(
                f"\n### {ENGINES[database]}: in-process CPU ms per uncached request, by archive size{note}\n\n"
                f"Median of {args.repeat} after a warm-up (archive_growth.py); goal: × growth ≤ 1.2 from 10k to "
                f"100k.\n\n{growth}"
            )
        out(f"\nLoad average at the end: {load_average()}; the whole run took {(time.time() - started) / 60:.0f} min.")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    text = "\n".join(report) + "\n"
    print("\n\n" + text)
    if args.output:
        Path(args.output).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
