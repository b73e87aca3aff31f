"""API throughput under gunicorn on 127.0.0.1: brief list (20 items) and detail vs a trivial view.

    .venv/bin/python benchmarks/api_benchmark.py [--duration 3] [--rounds 5] [--connections 8] [--workers 2]

One run: builds a throwaway SQLite database (demo brief + 40 generated briefs), starts gunicorn
on 127.0.0.1 with BENCHMARK_CEILING=1 (which routes the trivial view /_bench/ceiling/ through the
same middleware stack), drives the URLs in interleaved rounds with wrk (each run bounded by
--duration; a Python keep-alive client if wrk is absent; `apt-get install wrk`), prints requests/s and the ratios, and stops the server. It runs the
API twice: with the response cache (the default) and with it off (API_RESPONSE_CACHE=0).
Goals: list >= 0.5x and detail >= 0.6x of the ceiling.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO = "amazon-invests-up-to-4-billion-in-anthropic"
URLS = {
    "ceiling": "/_bench/ceiling/",
    "list": "/api/v1/briefs/?page_size=20",
    "detail": f"/api/v1/briefs/{DEMO}/",
}
GOALS = {"list": 0.5, "detail": 0.6}
WORKER_CLASSES = {
    # Threads with HTTP keep-alive: the per-request server overhead is smallest, ratios hardest.
    "gthread": ["--worker-class", "gthread", "--threads", "4", "--keep-alive", "5"],
    # gunicorn's default: one request per connection (a TCP connection per request for both).
    "sync": ["--worker-class", "sync"],
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(db_path, cache_on):
    env = {**os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "dealsite.settings",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "SECRET_KEY": "benchmark-only",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "BENCHMARK_CEILING": "1",
            "API_ANON_RATE": "100000000/min",
            "API_RESPONSE_CACHE": "1" if cache_on else "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


SETUP = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from briefs.demo.loader import load_demo
load_demo()
from tests.factories import make_brief, make_party, make_source, make_quote
for i in range(40):
    investor, target = make_party(), make_party()
    source = make_source(); quote = make_quote(speaker=investor, source=source)
    make_brief(f"[{investor.name}](party:{investor.slug}) invests in [{target.name}](party:{target.slug}) "
               f"[per](source:{source.key}), saying [words](quote:{quote.key}).",
               parties=[(investor, "investor"), (target, "target")], sources=[source], quotes=[quote])
"""


def build_database(db_path):
    subprocess.run([PYTHON, "-c", SETUP], cwd=ROOT, env=environment(db_path, True), check=True, timeout=300)


def wait_until_up(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", URLS["ceiling"])
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not come up")


def check(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path, headers={"Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, (path, response.status, body[:200])
    if "page_size=20" in path:
        assert len(json.loads(body)["results"]) == 20
    return body


def server_cpu_seconds(master_pid):
    """utime + stime of the gunicorn master and its workers (Linux /proc)."""
    pids = [master_pid]
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        pids += [int(pid) for pid in children]
    except OSError:
        pass
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(port, path, duration, connections):
    """(requests per second, number of requests)."""
    out = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "-H",
            "Accept: application/json",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=duration + 30,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    count = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{path}: {errors.group(1)} error responses")
    return rate, count


def run_python_client(port, path, duration, connections):
    """Fallback load generator: keep-alive connections in threads, bounded by time."""
    counts, stop = [0] * connections, time.monotonic() + duration

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", path, headers={"Accept": "application/json"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            counts[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - start), sum(counts)


def measure(db_path, cache_on, args):
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "dealsite.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            *WORKER_CLASSES[args.worker_class],
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment(db_path, cache_on),
    )
    load = run_wrk if shutil.which("wrk") else run_python_client
    try:
        wait_until_up(port)
        for _name, path in URLS.items():
            for _ in range(20 * args.workers):  # warm every worker (imports, caches)
                check(port, path)
            load(port, path, 1, args.connections)  # warm-up run, not counted
        # Interleaved rounds, median per URL: a busy neighbour slows all three alike. Besides
        # requests/s (wall clock) we count requests per CPU-second of the gunicorn processes,
        # which other load on the machine disturbs far less.
        samples = {name: [] for name in URLS}
        per_cpu = {name: [] for name in URLS}
        for _ in range(args.rounds):
            for name, path in URLS.items():
                before = server_cpu_seconds(server.pid)
                rate, count = load(port, path, args.duration, args.connections)
                used = server_cpu_seconds(server.pid) - before
                samples[name].append(rate)
                per_cpu[name].append(count / used if used > 0 else float("nan"))
        return (
            {name: statistics.median(values) for name, values in samples.items()},
            {name: statistics.median(values) for name, values in per_cpu.items()},
            load.__name__,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=3, help="seconds per URL per round (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; the median is reported")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2 = cores here)")
    parser.add_argument("--worker-class", choices=sorted(WORKER_CLASSES), default="gthread")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        build_database(db_path)
        report = {}
        for label, cache_on in (("response cache on (default)", True), ("response cache off", False)):
            results, per_cpu, tool = measure(db_path, cache_on, args)
            ceiling = results["ceiling"]
            report[label] = {
                "requests_per_second": results,
                "ratio": {k: results[k] / ceiling for k in GOALS},
                "requests_per_server_cpu_second": per_cpu,
                "cpu_ratio": {k: per_cpu[k] / per_cpu["ceiling"] for k in GOALS},
            }
            print(
                f"\n{label} — gunicorn {args.worker_class} workers={args.workers} on 127.0.0.1, {tool}, "
                f"{args.connections} connections, median of {args.rounds} interleaved {args.duration}s runs per URL, "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
            print(f"  {'':8} {'':60} {'req/s':>9}  ratio   {'req/CPU-s':>9}  ratio")
            for name, path in URLS.items():
                ratio = results[name] / ceiling
                cpu_ratio = per_cpu[name] / per_cpu["ceiling"]
                goal = (
                    f"  goal >= {GOALS[name]}x: {'met' if ratio >= GOALS[name] else 'MISSED'}" if name in GOALS else ""
                )
                print(
                    f"  {name:8} {path:60} {results[name]:9.0f}  {ratio:5.2f}x  {per_cpu[name]:9.0f}  {cpu_ratio:5.2f}x{goal}"
                )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
