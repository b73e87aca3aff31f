"""The page cache's hit rate under one content write per second, and whether any response was stale.

    .venv/bin/python benchmarks/hit_rate.py [--briefs 2000] [--duration 60] [--readers 4] [--workers 3]
                                            [--writes-per-second 1] [--check-every 4] [--zipf 1.1]
                                            [--seed 1] [--no-prime] [--rebuild] [--min-hit-rate 0.95]
                                            [--json PATH] [--postgres]

Issue 13's goal is that edits invalidate only what they change: under one edit a second, the
cached-page hit rate stays ≥ 95 % and no response is stale. This measures both from outside, the way
a visitor sees the site, so it works unchanged whatever the freshness mechanism inside does.

The archive is the demo plus --briefs generated briefs with their page parts and search index, built
by the real commands (migrate, load_demo, generate_briefs) and reused from benchmarks/archive_growth.py's
cache (~/.cache/dealsite-bench, keyed by size and a digest of the migrations and the generator); each
run works on a copy of it, since the run edits it. With --postgres the run is on a throwaway
PostgreSQL (bin/with-postgres), in a database restored from that cache's pg_dump (built there the
first time). A setup step makes a superuser with an API token.

Servers, all on 127.0.0.1 at free ports, stopped at the end and by themselves after a hard time limit
(benchmarks/page_benchmark.py's): a private redis-server, the page cache shared by every worker
(REDIS_URL); the cached gunicorn (gunicorn.conf.py, DEBUG off, PAGE_CACHE=1, --workers sync workers);
and a reference gunicorn on the same database with the page cache and the API response cache off
(PAGE_CACHE=0, API_RESPONSE_CACHE=0), whose every response is a fresh render. The per-address limits
would otherwise turn this one-address load into 429s: searches (PAGE_THROTTLE_RATE empty: off) and
the API (API_ANON_RATE and API_USER_RATE at a million a minute). No Celery worker runs: with Redis as
the broker the tasks a save queues (the search index refresh) wait there; no cached response depends
on them.

Readers (--readers threads, each with its own keep-alive connections, which gunicorn's sync workers
close after each response, and its own seeded random stream) request
for --duration seconds: 70 % brief pages, picked by a Zipf law (exponent --zipf) over all published
briefs ranked in a seeded random order; 10 % home; 10 % party pages, Zipf over the parties ranked by
their number of briefs; 5 % searches (/search/?q= one of a handful of words); 5 % the API's list
(/api/v1/briefs/). Before that, unless --no-prime, every brief page, party page, home and the API
list is fetched once, so the figures show misses caused by writes, not a cold cache's first visits.

The writer edits, --writes-per-second times a second, a brief chosen uniformly among the published
ones through the API's real write path: GET the brief with the token for its ETag, then PATCH its
dek with If-Match, so its page really changes. Each PATCH's start and end are recorded. Right after
each write the edited brief's page is read from the cached server (the "after write" row: the likeliest
place for a stale page; outside the read mix and the overall hit rate) and checked.

Hit rate: every cached response says `Cache-Status: dealsite; hit` or `dealsite; fwd=miss; stored`
(RFC 9211); hit rate = hits / (hits + misses), per request type and over the whole read mix.
Responses without Cache-Status (search results) are not cacheable: counted apart, outside the rate.

Checker: every --check-every'th cacheable response of each reader (and every after-write read) is
fetched again from the reference server at once and the bodies compared. A comparison counts only if
no write overlaps the time from the served request's start to the reference response's end (the
served copy and the fresh render may then legitimately differ): otherwise it is "skipped". Stale =
a counted comparison whose bodies differ; a few are printed with the first differing line. Bodies
are compared byte for byte, with nothing normalised: public pages and anonymous API reads carry no
per-request part (no CSRF token, the Content-Security-Policy has no nonce, absolute links come from
SITE_URL rather than the request's host and port), so two renders of unchanged content are equal.
An after-write read must also contain the text just written, so a checker that saw no change fails.

Prints a table (requests, req/s, hits, misses, hit rate, checked/stale/skipped, errors per type),
the writes done and the load average; exits 1 if any response was stale, any request failed (not
200, or a socket error), any write failed, nothing could be checked, or the overall hit rate is
below --min-hit-rate (off unless given; the issue's goal is 0.95).
"""

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.archive_growth import archive, on_postgres, postgres_archive, rerun_on_postgres  # noqa: E402
from benchmarks.page_benchmark import HARD_LIMIT, PYTHON, Server, base_env, start_redis  # noqa: E402

# The read mix: (request type, share). The shares are the issue's "brief pages by a Zipf law, plus
# home, party, search and API list requests", weighted as a news site's traffic roughly is.
MIX = [("brief", 0.70), ("home", 0.10), ("party", 0.10), ("search", 0.05), ("API list", 0.05)]
AFTER_WRITE = "after write"
SEARCH_WORDS = ["investment", "acquisition", "funding", "merger", "partnership", "robotics", "payments"]
BENCH_USER = "hit-rate-bench"
REQUEST_TIMEOUT = 30  # seconds, per HTTP request
# Per-address limits off or out of reach: all the load comes from one address.
UNTHROTTLED = {"PAGE_THROTTLE_RATE": "", "API_ANON_RATE": "1000000/min", "API_USER_RATE": "1000000/min"}


# ----------------------------------------------------------------------------- setup in the archive


def run_setup():
    """In a child process on the run's database: the bench superuser's token and what to read."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from rest_framework.authtoken.models import Token

    from briefs.models import Brief, Party

    user = get_user_model().objects.filter(username=BENCH_USER).first()
    if user is None:
        user = get_user_model().objects.create_superuser(BENCH_USER, "bench@example.com", None)
    token, _ = Token.objects.get_or_create(user=user)
    briefs = list(Brief.objects.published().order_by("pk").values_list("slug", flat=True))
    parties = list(
        Party.objects.public()
        .annotate(n=Count("brief_links"))
        .filter(n__gt=0)
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
    )
    print(json.dumps({"token": token.key, "briefs": briefs, "parties": parties}))


def setup(workdir, database):
    env = base_env(workdir, database)
    out = subprocess.run(
        [PYTHON, __file__, "--setup"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- the read mix


class Zipf:
    """Picks an item by a Zipf law over its rank (the first item is the most popular)."""

    def __init__(self, items, exponent):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(1 / rank**exponent for rank in range(1, len(self.items) + 1)))

    def pick(self, rng):
        return self.items[bisect_left(self.cumulative, rng.random() * self.cumulative[-1])]


class ReadMix:
    def __init__(self, briefs, parties, exponent, seed):
        ranked = list(briefs)
        random.Random(seed).shuffle(ranked)  # popularity independent of age or id
        self.briefs = Zipf(ranked, exponent)
        self.parties = Zipf(parties, exponent)
        self.kinds = [kind for kind, _ in MIX]
        self.cumulative = list(itertools.accumulate(share for _, share in MIX))

    def pick(self, rng):
        kind = self.kinds[bisect_left(self.cumulative, rng.random() * self.cumulative[-1])]
        if kind == "brief":
            return kind, f"/briefs/{self.briefs.pick(rng)}/"
        if kind == "party":
            return kind, f"/parties/{self.parties.pick(rng)}/"
        if kind == "search":
            return kind, f"/search/?q={quote(rng.choice(SEARCH_WORDS))}"
        return kind, "/" if kind == "home" else "/api/v1/briefs/"

    def every_cacheable_url(self):
        yield from (f"/briefs/{slug}/" for slug in self.briefs.items)
        yield from (f"/parties/{slug}/" for slug in self.parties.items)
        yield from ("/", "/api/v1/briefs/")


# ----------------------------------------------------------------------------- HTTP


class Client:
    """One keep-alive connection to one server (reopened when the server closes it)."""

    def __init__(self, base_url):
        host, port = base_url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=REQUEST_TIMEOUT)

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body); raises OSError or http.client.HTTPException on a socket error."""
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            return response.status, response.headers, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise

    def close(self):
        self.connection.close()


# ----------------------------------------------------------------------------- what a run records


@dataclass
class Tally:
    requests: int = 0
    hits: int = 0
    misses: int = 0
    uncacheable: int = 0
    errors: int = 0
    checks: list = field(default_factory=list)  # Check


@dataclass
class Check:
    url: str
    started: float  # the served request's start
    ended: float  # the reference response's end
    differs: str | None  # None when the bodies are equal, else the first differing line of each


@dataclass
class Write:
    slug: str
    started: float
    ended: float = float("inf")  # until the PATCH answers
    status: int | None = None


class Run:
    """Everything a run records, shared by its threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tallies = defaultdict(Tally)
        self.writes = []
        self.writes_failed_before_patch = 0
        self.error_examples = []

    def record(self, kind, status, headers, check=None, error=None):
        with self.lock:
            tally = self.tallies[kind]
            tally.requests += 1
            if error is not None or status != 200:
                tally.errors += 1
                if len(self.error_examples) < 5:
                    self.error_examples.append(f"{kind}: {error or status}")
                return
            cache_status = headers.get("Cache-Status")
            if cache_status is None:
                tally.uncacheable += 1
            elif "hit" in [part.strip() for part in cache_status.split(";")[1:]]:
                tally.hits += 1
            else:
                tally.misses += 1
            if check is not None:
                tally.checks.append(check)

    def write_overlaps(self, check):
        return any(write.started <= check.ended and write.ended >= check.started for write in self.writes)


def first_difference(served, fresh):
    """Where the two bodies first differ (the first differing line, around the first differing
    character), or None when they are equal."""
    if served == fresh:
        return None
    for number, (a, b) in enumerate(itertools.zip_longest(served.splitlines(), fresh.splitlines()), 1):
        if a != b:
            a, b = a or b"", b or b""
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            window = slice(max(0, at - 60), at + 60)
            served_part, fresh_part = (line[window].decode(errors="replace") for line in (a, b))
            return f"line {number}: served {served_part!r} / fresh {fresh_part!r}"
    return "bodies differ"  # not reached: bodies with equal lines are equal


def fetch_and_check(run, kind, path, cached, reference, check, expect=None):
    """GET `path` from the cached server, record it, and if `check` compare it with a fresh render;
    a served body without `expect` (the text of a write just answered) is stale whatever it is compared with."""
    started = time.monotonic()
    try:
        status, headers, body = cached.request("GET", path)
    except (OSError, http.client.HTTPException) as error:
        run.record(kind, None, None, error=repr(error))
        return
    comparison = None
    if check and status == 200 and "Cache-Status" in headers:
        try:
            fresh_status, _, fresh = reference.request("GET", path)
        except (OSError, http.client.HTTPException) as error:
            run.record(kind + " (reference)", None, None, error=repr(error))
            fresh_status = None
        if fresh_status == 200:
            differs = first_difference(body, fresh)
            if expect is not None and expect not in body:
                differs = f"served page lacks the write's {expect.decode()!r}; " + (differs or "so does the fresh one")
            comparison = Check(path, started, time.monotonic(), differs)
        elif fresh_status is not None:
            run.record(kind + " (reference)", fresh_status, {})
    run.record(kind, status, headers, check=comparison)


def reader(run, mix, seed, cached_url, reference_url, deadline, check_every):
    rng = random.Random(seed)
    cached, reference = Client(cached_url), Client(reference_url)
    try:
        for n in itertools.count():
            if time.monotonic() >= deadline:
                return
            kind, path = mix.pick(rng)
            fetch_and_check(run, kind, path, cached, reference, check=n % check_every == 0)
    finally:
        cached.close()
        reference.close()


def writer(run, slugs, token, seed, cached_url, reference_url, deadline, interval):
    """Edit a uniformly chosen brief every `interval` seconds through the API, then read its page."""
    rng = random.Random(seed)
    api, cached, reference = Client(cached_url), Client(cached_url), Client(reference_url)
    auth = {"Authorization": f"Token {token}", "Accept": "application/json"}
    next_at = time.monotonic()
    try:
        for n in itertools.count(1):
            next_at += interval
            if next_at >= deadline:
                return
            slug = rng.choice(slugs)
            if edit(run, api, auth, slug, n):
                page = f"/briefs/{slug}/"
                fetch_and_check(run, AFTER_WRITE, page, cached, reference, check=True, expect=edit_mark(n))
            time.sleep(max(0.0, next_at - time.monotonic()))
    finally:
        for client in (api, cached, reference):
            client.close()


def edit_mark(n):
    """What the n-th write appends to a dek: plain text, the same in HTML and JSON."""
    return f"[edit {n}]".encode()


def edit(run, api, auth, slug, n):
    """Change the brief's dek through the API (GET for the ETag, PATCH with If-Match); True if saved."""
    url = f"/api/v1/briefs/{slug}/"
    write = None
    try:
        status, headers, body = api.request("GET", url, headers=auth)
        if status != 200:
            raise RuntimeError(f"GET {url}: {status}")
        dek = json.loads(body)["dek"].split(" [edit ")[0][:360]
        payload = json.dumps({"dek": f"{dek} {edit_mark(n).decode()}"}).encode()
        write = Write(slug, time.monotonic())
        with run.lock:
            run.writes.append(write)
        headers = {**auth, "Content-Type": "application/json", "If-Match": headers["ETag"]}
        status, _, answer = api.request("PATCH", url, body=payload, headers=headers)
        write.ended, write.status = time.monotonic(), status
        if status != 200:
            raise RuntimeError(f"PATCH {url}: {status} {answer[:200]!r}")
        return True
    except (OSError, http.client.HTTPException, RuntimeError) as error:
        with run.lock:
            if write is None:
                run.writes_failed_before_patch += 1
            elif write.ended == float("inf"):  # no answer: it may have been saved until now
                write.ended = time.monotonic()
            run.error_examples.append(f"write {slug}: {error!r}")
        return False


def prime(urls, cached_url, threads):
    """Fetch every URL once from the cached server, in `threads` parallel streams."""
    urls = list(urls)

    failed = []

    def fetch(part):
        client = Client(cached_url)
        try:
            for url in part:
                try:
                    status = client.request("GET", url)[0]
                except (OSError, http.client.HTTPException) as error:
                    status = repr(error)
                if status != 200:
                    failed.append(f"{url}: {status}")
        finally:
            client.close()

    workers = [threading.Thread(target=fetch, args=(urls[i::threads],)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return len(urls), failed


# ----------------------------------------------------------------------------- the report


def rate(hits, misses):
    return hits / (hits + misses) if hits + misses else float("nan")


def summarise(run, duration):
    """{type: figures} for each request type and "overall" (the read mix), as plain numbers."""
    rows = {}
    for kind in [kind for kind, _ in MIX] + [AFTER_WRITE] + sorted(k for k in run.tallies if "reference" in k):
        tally = run.tallies.get(kind)
        if tally is None:
            continue
        counted = [c for c in tally.checks if not run.write_overlaps(c)]
        rows[kind] = {
            "requests": tally.requests,
            "per_second": tally.requests / duration,
            "hits": tally.hits,
            "misses": tally.misses,
            "uncacheable": tally.uncacheable,
            "hit_rate": rate(tally.hits, tally.misses),
            "checked": len(counted),
            "stale": sum(1 for c in counted if c.differs),
            "skipped": len(tally.checks) - len(counted),
            "errors": tally.errors,
            "stale_examples": [f"{c.url}: {c.differs}" for c in counted if c.differs][:3],
        }
    mix = [rows[kind] for kind, _ in MIX if kind in rows]
    overall = {key: sum(row[key] for row in mix) for key in ("requests", "per_second", "hits", "misses", "uncacheable")}
    overall["hit_rate"] = rate(overall["hits"], overall["misses"])
    for key in ("checked", "stale", "skipped", "errors"):
        overall[key] = sum(row[key] for row in rows.values())  # with the after-write reads
    overall["stale_examples"] = [example for row in rows.values() for example in row["stale_examples"]][:5]
    rows["overall"] = overall
    writes = run.writes
    done = [w for w in writes if w.status == 200]
    rows["writes"] = {
        "done": len(done),
        "failed": len(writes) - len(done) + run.writes_failed_before_patch,
        "per_second": len(done) / duration,
        "mean_ms": 1000 * sum(w.ended - w.started for w in done) / len(done) if done else float("nan"),
    }
    return rows


def print_report(rows, args, load_before):
    print(
        f"\n{args.duration:g} s, {args.readers} readers, {args.writes_per_second:g} write/s; checked: 1 in "
        f"{args.check_every} cacheable responses and every after-write read; Zipf exponent {args.zipf}; seed {args.seed}"
    )
    header = (
        f"{'request':<14}{'requests':>9}{'req/s':>8}{'hits':>7}{'misses':>8}{'not cacheable':>14}{'hit rate':>10}"
        f"{'checked':>9}{'stale':>7}{'skipped':>9}{'errors':>8}"
    )
    print(header)
    print("-" * len(header))
    for kind, row in rows.items():
        if kind == "writes":
            continue
        hit_rate = "—" if row["hit_rate"] != row["hit_rate"] else f"{row['hit_rate'] * 100:.1f} %"
        print(
            f"{kind:<14}{row['requests']:>9}{row['per_second']:>8.1f}{row['hits']:>7}{row['misses']:>8}"
            f"{row['uncacheable']:>14}{hit_rate:>10}{row.get('checked', 0):>9}{row.get('stale', 0):>7}"
            f"{row.get('skipped', 0):>9}{row.get('errors', 0):>8}"
        )
    writes = rows["writes"]
    print(
        f"\nwrites: {writes['done']} done ({writes['per_second']:.2f}/s, mean {writes['mean_ms']:.0f} ms), "
        f"{writes['failed']} failed"
    )
    print("overall = the read mix (not the after-write reads); skipped = a write in the comparison's window")
    print("load average before: " + " ".join(f"{x:.2f}" for x in load_before))
    print("load average after:  " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    for example in rows["overall"]["stale_examples"]:
        print(f"STALE {example}")


def failures_of(rows, run, min_hit_rate):
    overall, failures = rows["overall"], []
    if overall["stale"]:
        failures.append(f"{overall['stale']} stale responses")
    if overall["errors"]:
        failures.append(f"{overall['errors']} failed requests ({'; '.join(run.error_examples[:3])})")
    if rows["writes"]["failed"] or not rows["writes"]["done"]:
        failures.append(f"{rows['writes']['failed']} failed writes, {rows['writes']['done']} done")
    if not overall["checked"]:
        failures.append("nothing was checked against a fresh render")
    if min_hit_rate is not None and not overall["hit_rate"] >= min_hit_rate:
        failures.append(f"hit rate {overall['hit_rate']:.3f} < {min_hit_rate}")
    return failures


# ----------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--briefs", type=int, default=2000, help="generated briefs in the archive")
    parser.add_argument("--duration", type=float, default=60, help="seconds of measured load")
    parser.add_argument("--readers", type=int, default=4, help="reader threads")
    parser.add_argument("--workers", type=int, default=3, help="sync workers of the cached gunicorn")
    parser.add_argument("--reference-workers", type=int, default=2, help="sync workers of the reference gunicorn")
    parser.add_argument("--writes-per-second", type=float, default=1.0)
    parser.add_argument("--check-every", type=int, default=4, help="compare every Nth cacheable response")
    parser.add_argument("--zipf", type=float, default=1.1, help="Zipf exponent of brief and party popularity")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-prime", action="store_true", help="start with a cold cache")
    parser.add_argument("--rebuild", action="store_true", help="build the archive again")
    parser.add_argument("--min-hit-rate", type=float, default=None, help="fail below this overall hit rate")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--postgres", action="store_true", help="On a throwaway PostgreSQL (bin/with-postgres).")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return run_setup()
    if args.duration > HARD_LIMIT - 600:
        sys.exit(f"--duration must leave the build and priming time within the servers' limit of {HARD_LIMIT} s")
    if not shutil.which("redis-server"):
        sys.exit("redis-server is not installed (apt-get install redis-server): the page cache is shared in Redis")

    if args.postgres and not on_postgres():
        return rerun_on_postgres(__file__)

    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="dealsite-hitrate-"))
    redis, servers = None, []
    try:
        if args.postgres:  # a database restored from the cached dump for this run, which edits it
            database = {"DATABASE_URL": postgres_archive(args.briefs, os.environ["DATABASE_URL"], args.rebuild, True)}
        else:
            source = Path(archive(args.briefs, args.rebuild, True).removeprefix("sqlite:///"))
            shutil.copyfile(source, workdir / "bench.sqlite3")  # base_env's database; the run edits it
            database = {}
        content = setup(workdir, database)
        redis, redis_url = start_redis(workdir)
        cached = Server(workdir, args.workers, {**database, **UNTHROTTLED, "PAGE_CACHE": "1", "REDIS_URL": redis_url})
        servers.append(cached)
        fresh = {**database, **UNTHROTTLED, "PAGE_CACHE": "0", "API_RESPONSE_CACHE": "0"}
        reference = Server(workdir, args.reference_workers, fresh)
        servers.append(reference)
        mix = ReadMix(content["briefs"], content["parties"], args.zipf, args.seed)
        print(
            f"{len(content['briefs'])} published briefs, {len(content['parties'])} parties with briefs; cached "
            f"gunicorn {args.workers} workers + Redis, reference gunicorn {args.reference_workers} workers"
        )
        if not args.no_prime:
            started = time.monotonic()
            count, failed = prime(mix.every_cacheable_url(), cached.url, args.readers)
            print(f"primed the cache with {count} URLs in {time.monotonic() - started:.0f} s")
            if failed:
                sys.exit(f"{len(failed)} URLs failed while priming, e.g. {failed[:3]}")

        run = Run()
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(
                target=reader,
                args=(run, mix, args.seed * 1000 + i, cached.url, reference.url, deadline, args.check_every),
            )
            for i in range(args.readers)
        ]
        interval = 1 / args.writes_per_second
        threads.append(
            threading.Thread(
                target=writer,
                args=(
                    run,
                    content["briefs"],
                    content["token"],
                    args.seed,
                    cached.url,
                    reference.url,
                    deadline,
                    interval,
                ),
            )
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 4 * REQUEST_TIMEOUT)
        elapsed = time.monotonic() - started
        rows = summarise(run, elapsed)
        print_report(rows, args, load_before)
        failures = failures_of(rows, run, args.min_hit_rate)
        if args.json:
            args.json.write_text(json.dumps({"figures": rows, "failures": failures}, indent=2))
        if failures:
            for server in servers:
                log = Path(workdir) / f"gunicorn-{server.port}.log"
                tail = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
                if tail:
                    print(f"\nlast lines of {server.url}'s log:\n" + "\n".join(tail))
            print("\nFAILED: " + "; ".join(failures))
            return 1
        print("\nno stale response, no error")
        return 0
    finally:
        for server in servers:
            server.stop()
        if redis is not None and redis.poll() is None:
            os.killpg(redis.pid, signal.SIGTERM)
            redis.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
