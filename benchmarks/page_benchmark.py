"""Public pages under gunicorn against the ceiling: a trivial Django view on the same stack.

    .venv/bin/python benchmarks/page_benchmark.py [--briefs 10000] [--duration 15] [--rounds 3] [--soak 60]
                                                  [--connections 32] [--workers N]

Builds a throwaway SQLite database with the demo brief plus N generated briefs (`manage.py
generate_briefs`), then starts gunicorn on
127.0.0.1 (gunicorn.conf.py, the production set-up; BENCHMARK_CEILING=1 mounts /_bench/ceiling/)
twice: with the page cache off (uncached) and on (cached; Redis on 127.0.0.1 when redis-server is
installed, else the local-memory cache). Each page type and the ceiling are loaded with wrk for
--duration seconds at --connections connections; requests/s and p50/p99 latency are printed with
their ratios to the ceiling of the same server. Then a --soak run loads a mix of many pages on the
cached server while the RSS of the gunicorn workers is sampled, and must end with zero errors and
flat memory. Every server started here listens on 127.0.0.1 and is stopped at the end (or after a
hard time limit); wrk runs are bounded in time.

Goals: brief ≥ 0.15× the ceiling uncached and ≥ 0.7× cached; home ≥ 0.5× cached.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
HARD_LIMIT = 1800  # seconds: any server started here stops by itself after this

GOALS = {("brief", "uncached"): 0.15, ("brief", "cached"): 0.7, ("home", "cached"): 0.5}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def base_env(workdir, extra=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "dealsite.settings",
        "SECRET_KEY": "benchmark-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "LOG_LEVEL": "WARNING",
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",
        "BENCHMARK_CEILING": "1",
        # No RELEASE: every process derives the same release token from the same files, as the
        # processes that built the archive did, so the parts stored at build time are current here.
    }
    env.update(extra or {})
    return env


def build_database(workdir, count):
    env = base_env(workdir)
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    help_text = subprocess.run([*manage, "help"], cwd=ROOT, env=env, capture_output=True, text=True).stdout
    if not re.search(r"^\s+generate_briefs$", help_text, re.M):
        sys.exit("manage.py generate_briefs is missing (it comes with the search feature)")
    # --no-index: the search index is not on any page measured here.
    args = [*manage, "generate_briefs", "--count", str(count), "--seed", "7", "--no-progress", "--no-index"]
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    how = "manage.py generate_briefs"
    print(f"database: demo brief + {count} generated briefs ({how}) in {time.perf_counter() - started:.0f} s")
    probe = (
        "import django; django.setup(); from briefs.models import Brief, Party; from django.db.models import Count; "
        "b = list(Brief.objects.published().order_by('-published_at').values_list('slug', flat=True)[:400]); "
        "p = list(Party.objects.annotate(n=Count('brief_links')).filter(n__gt=0).order_by('-n').values_list('slug', flat=True)[:100]); "
        "print(Brief.objects.published().count()); print(' '.join(b)); print(' '.join(p))"
    )
    out = subprocess.run(
        [PYTHON, "-c", probe], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    return int(out[0]), out[1].split(), out[2].split()


class Server:
    """gunicorn with the product's gunicorn.conf.py on a free port; `app`/`cwd` serve another WSGI project."""

    def __init__(
        self, workdir, workers, extra_env, app="dealsite.wsgi", cwd=ROOT, ready_path="/healthz", hard_limit=HARD_LIMIT
    ):
        self.port = free_port()
        env = base_env(
            workdir,
            {
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(workers),
                "GUNICORN_ACCESS_LOG": "",
                "GUNICORN_MAX_REQUESTS": "0",
                **extra_env,
            },
        )
        self.log = open(Path(workdir) / f"gunicorn-{self.port}.log", "w")
        self.process = subprocess.Popen(
            ["timeout", "-s", "TERM", str(hard_limit), GUNICORN, app, "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self.url + ready_path)

    def worker_pids(self):
        out = subprocess.run(
            ["ps", "-o", "pid=,ppid=,comm=", "--ppid", str(self.master_pid())], capture_output=True, text=True
        ).stdout
        return [int(line.split()[0]) for line in out.splitlines() if line.strip()]

    def master_pid(self):
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return int(out.split()[0])

    def rss_mb(self):
        total = 0
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            except (OSError, AttributeError):
                pass
        return total / 1024

    def cpu_seconds(self):
        """User + system CPU time used so far by the workers (a contention-independent cost)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
            except (OSError, IndexError, ValueError):
                pass
        return total / ticks

    def wait_idle(self, limit=30):
        """Wait until the workers stop using CPU (their queue is drained)."""
        deadline = time.time() + limit
        last = self.cpu_seconds()
        while time.time() < deadline:
            time.sleep(0.3)
            now = self.cpu_seconds()
            if now - last < 0.02:
                return
            last = now

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def parse_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def run_wrk(url, duration, connections, script=None, server=None):
    args = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency"]
    if script:
        args += ["-s", script]
    cpu_before = server.cpu_seconds() if server else 0
    out = subprocess.run([*args, url], capture_output=True, text=True, timeout=duration + 60).stdout
    if server:
        server.wait_idle()  # requests still queued when wrk stopped belong to this run
    cpu = server.cpu_seconds() - cpu_before if server else 0
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": parse_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": parse_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": 0,
    }
    result["cpu_ms"] = cpu * 1000 / result["requests"] if result["requests"] else float("nan")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return result


def combine(runs):
    """Requests/s over all rounds; p50/p99 and errors: the median and the sum of the rounds."""
    ordered = lambda key: sorted(run[key] for run in runs)  # noqa: E731
    middle = len(runs) // 2
    return {
        "rps": sum(run["rps"] for run in runs) / len(runs),
        "p50": ordered("p50")[middle],
        "p99": ordered("p99")[middle],
        "requests": sum(run["requests"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "cpu_ms": sorted(run["cpu_ms"] for run in runs)[middle],
    }


def start_redis(workdir, limit=HARD_LIMIT):
    """(process, URL) of a throwaway redis-server on 127.0.0.1 that keeps nothing on disk and stops
    by itself after `limit` seconds; (None, None) when redis-server is not installed."""
    if not shutil.which("redis-server"):
        return None, None
    port = free_port()
    process = subprocess.Popen(
        [
            "timeout",
            "-s",
            "TERM",
            str(limit),
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page and mode")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds the duration is split into")
    parser.add_argument("--soak", type=int, default=60, help="seconds of the mixed run with memory samples (0: skip)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    workers = args.workers or (os.cpu_count() or 1) * 2 + 1

    workdir = Path(tempfile.mkdtemp(prefix="dealsite-pagebench-"))
    redis, servers = None, []
    try:
        published, brief_slugs, party_slugs = build_database(workdir, args.briefs)
        pages = {
            "ceiling": "/_bench/ceiling/",
            "ceil30k": "/_bench/ceiling/?bytes=30800",  # the ceiling with the brief page's size
            "home": "/",
            "brief": "/briefs/amazon-invests-up-to-4-billion-in-anthropic/",
            # The demo's Amazon, as in render_demo_page.py. (A party page lists all its briefs: the
            # busiest generated party, in hundreds of briefs, is far slower; see the README.)
            "party": "/parties/amazon/",
            "feed": "/feed/rss/",
        }
        redis, redis_url = start_redis(workdir)
        cache_note = "Redis" if redis_url else "local-memory (no redis-server installed)"
        print(
            f"{published} published briefs; gunicorn {workers} sync workers; wrk 1 thread, "
            f"{args.connections} connections, {args.duration} s per page in {args.rounds} interleaved rounds; "
            f"cached mode uses {cache_note}"
        )
        print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        modes = {
            "uncached": {"PAGE_CACHE": "0"},
            "cached": {"PAGE_CACHE": "1", **({"REDIS_URL": redis_url} if redis_url else {})},
        }
        results, failures = {}, []
        for mode, extra in modes.items():
            server = Server(workdir, workers, extra)
            servers.append(server)
            for _name, path in pages.items():
                run_wrk(server.url + path, 2, args.connections)  # warm up workers, connections, cache
            # Interleaved rounds: the ceiling and each page take turns, so drifting background load
            # on the machine affects them alike.
            rounds = {name: [] for name in pages}
            for _ in range(args.rounds):
                for name, path in pages.items():
                    rounds[name].append(
                        run_wrk(
                            server.url + path, max(1, args.duration // args.rounds), args.connections, server=server
                        )
                    )
            for name, runs in rounds.items():
                results[(mode, name)] = combine(runs)
            if mode == "cached" and args.soak:
                soak(server, args, brief_slugs, party_slugs, workdir, failures)
            server.stop()
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        report(results, pages, failures)
        if failures:
            sys.exit(1)
    finally:
        for server in servers:
            server.stop()
        if redis is not None and redis.poll() is None:
            os.killpg(redis.pid, signal.SIGTERM)
            redis.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def soak(server, args, brief_slugs, party_slugs, workdir, failures):
    paths = (
        ["/", "/feed/rss/", "/feed/atom/", "/briefs/amazon-invests-up-to-4-billion-in-anthropic/"]
        + [f"/briefs/{slug}/" for slug in brief_slugs]
        + [f"/parties/{slug}/" for slug in party_slugs]
        + [f"/?page={n}" for n in range(2, 40)]
    )
    result = run_soak(server, paths, args.soak, args.connections, workdir)
    samples, growth = result["samples"], result["second_half_growth"]
    print(
        f"\nsoak: {args.soak} s, {args.connections} connections, {len(paths)} distinct pages (cached server): "
        f"{result['requests']} requests, {result['rps']:.0f} req/s, {result['errors']} errors"
    )
    print("worker RSS MB every 5 s: " + " ".join(f"{s:.0f}" for s in samples))
    print(
        f"RSS growth: {result['growth'] * 100:+.1f} % over the run (after a warm-up pass), {growth * 100:+.1f} % over "
        f"its second half ({'flat' if abs(growth) < 0.05 else 'NOT flat'})"
    )
    if result["errors"]:
        failures.append(f"soak had {result['errors']} errors")
    if abs(growth) >= 0.05:
        failures.append(f"soak memory grew {growth * 100:.1f} %")


def run_soak(server, paths, seconds, connections, workdir, every=5):
    """Load `paths` in turn for `seconds` after a warm-up pass, sampling the workers' RSS (MB) every `every` s."""
    script = Path(workdir) / "mix.lua"
    script.write_text(
        "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
        "local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n"
    )
    # Warm-up pass over the same mix (fills the page cache, grows each worker to its working set).
    subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(10, seconds // 2)}s", "-s", str(script), server.url + "/"],
        capture_output=True,
        timeout=seconds + 60,
    )
    samples = [server.rss_mb()]
    process = subprocess.Popen(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            server.url + "/",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    start = time.time()
    while process.poll() is None and time.time() - start < seconds + 60:
        time.sleep(every)
        samples.append(server.rss_mb())
    out, _ = process.communicate(timeout=60)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    # Flat: no growth in the second half of the run. The first half may still fill each worker's
    # bounded in-memory page cache (PAGE_CACHE_LOCAL_BYTES); a leak would keep on growing.
    half = samples[len(samples) // 2 :]
    return {
        "samples": samples,
        "every": every,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0),
        "growth": (samples[-1] - samples[0]) / samples[0] if samples[0] else 0,
        "second_half_growth": (half[-1] - half[0]) / half[0] if half and half[0] else 0,
    }


def report(results, pages, failures):
    print()
    print("req/s, p50 and p99 from wrk; CPU ms/req: worker CPU time per request (unaffected by other load on")
    print(
        "the machine); CPU ×: the ceiling's CPU per request over the page's, the throughput ratio on an idle machine."
    )
    print(
        f"{'mode':<10}{'page':<9}{'req/s':>9}{'× ceiling':>11}{'p50 ms':>9}{'p99 ms':>9}{'p50 ×c':>8}{'p99 ×c':>8}"
        f"{'CPU ms/req':>12}{'CPU ×':>8}{'errors':>8}"
    )
    for mode in ("uncached", "cached"):
        ceiling = results[(mode, "ceiling")]
        for name in pages:
            r = results[(mode, name)]
            ratio = r["rps"] / ceiling["rps"] if ceiling["rps"] else float("nan")
            goal = GOALS.get((name, mode))
            mark = "" if goal is None else (f"  goal ≥ {goal}: {'met' if ratio >= goal else 'MISSED'}")
            cpu_ratio = ceiling["cpu_ms"] / r["cpu_ms"] if r["cpu_ms"] else float("nan")
            print(
                f"{mode:<10}{name:<9}{r['rps']:>9.0f}{ratio:>10.2f}×{r['p50']:>9.2f}{r['p99']:>9.2f}"
                f"{r['p50'] / (ceiling['p50'] or float('nan')):>8.2f}{r['p99'] / (ceiling['p99'] or float('nan')):>8.2f}{r['cpu_ms']:>12.2f}{cpu_ratio:>7.2f}×"
                f"{r['errors']:>8}{mark}"
            )
            if r["errors"]:
                failures.append(f"{mode} {name}: {r['errors']} errors")
            if goal is not None and ratio < goal:
                failures.append(f"{mode} {name}: {ratio:.2f}× < {goal}×")
    if failures:
        print("\nFAILED: " + "; ".join(failures))
    else:
        print("\nAll goals met; zero errors.")


if __name__ == "__main__":
    main()
