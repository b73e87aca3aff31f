"""Real Celery workers on Redis (started by .ci/run; DEALSITE_TEST_REDIS_URL points at it).

- Two workers, each with its own beat, finalise a brief scheduled a few seconds ahead: it goes live
  and its publication side effect runs exactly once although both beats run the task every second.
- A worker SIGKILLed in the middle of an acks_late task does not lose it: after the (short)
  visibility timeout Redis hands the message to the next worker, which completes it.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HARNESS = Path(__file__).resolve().parent / "celery_harness.py"
REDIS_URL = os.environ.get("DEALSITE_TEST_REDIS_URL")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.skipif(not REDIS_URL, reason="DEALSITE_TEST_REDIS_URL is not set (.ci/run starts Redis)"),
]


def _redis_db(n):
    """The test Redis URL on database `n`, emptied."""
    import redis

    base = REDIS_URL.rsplit("/", 1)[0] if REDIS_URL.count("/") > 2 else REDIS_URL
    url = f"{base}/{n}"
    redis.Redis.from_url(url).flushdb()
    return url


class ProjectDatabase:
    """A fresh database for the subprocesses: a SQLite file, or a new PostgreSQL database when the
    suite runs on PostgreSQL (DATABASE_URL), dropped afterwards."""

    def __init__(self, tmp_path):
        base = os.environ.get("DATABASE_URL", "")
        self.postgres = base.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            import dj_database_url

            self.admin_params = dj_database_url.parse(base)
            self.name = f"dealsite_celery_{uuid.uuid4().hex[:10]}"
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.url = base.rsplit("/", 1)[0] + "/" + self.name
        else:
            self.url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
            self.path = tmp_path / "db.sqlite3"

    def _connect(self, dbname):
        import psycopg

        p = self.admin_params
        return psycopg.connect(
            dbname=dbname,
            user=p["USER"],
            password=p["PASSWORD"] or None,
            host=p["HOST"] or None,
            port=p["PORT"] or None,
            autocommit=True,
        )

    def _admin(self, sql):
        with self._connect("postgres") as conn:
            conn.execute(sql)

    def query(self, sql, params=()):
        if self.postgres:
            with self._connect(self.name) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchall()
        with sqlite3.connect(self.path, timeout=10) as conn:
            return conn.execute(sql, params).fetchall()

    def drop(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def project_env(tmp_path):
    """Environment for subprocesses: a fresh migrated database, no eager Celery."""
    db = ProjectDatabase(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": db.url,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "dealsite.settings",
        "WORKFLOW_FINALISE_EVERY_SECONDS": "1",
        "LINKCHECK_EVERY_SECONDS": "3600",
        "HARNESS_EVENT_LOG": str(tmp_path / "events.log"),
    }
    env.pop("REDIS_URL", None)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=180
        )
        yield env, db, tmp_path
    finally:
        db.drop()


class Workers:
    """Starts harness workers in their own process groups; kills what is left at the end."""

    def __init__(self, env, tmp_path):
        self.env, self.tmp_path, self.procs = env, tmp_path, []

    def start(self, name, *args):
        log = open(self.tmp_path / f"{name}.log", "w")
        proc = subprocess.Popen(
            [
                sys.executable,
                str(HARNESS),
                "worker",
                "--loglevel=INFO",
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                *args,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def wait_ready(self, name, timeout=60):
        _wait_for(lambda: "ready." in (self.tmp_path / f"{name}.log").read_text(), timeout, f"worker {name} ready")

    def kill(self, proc, sig=signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=15)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    proc.wait(timeout=10)

    def logs(self):
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.tmp_path.glob("*.log")))


@pytest.fixture
def workers(project_env):
    env, _, tmp_path = project_env
    pool = Workers(env, tmp_path)
    yield pool
    pool.stop_all()


def _wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (FileNotFoundError, sqlite3.OperationalError, IndexError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _manage_shell(env, code):
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_scheduled_brief_goes_live_once_with_two_workers_and_two_beats(project_env, workers):
    env, db, tmp_path = project_env
    env["CELERY_BROKER_URL"] = _redis_db(1)
    for name in ("alpha", "beta"):
        workers.start(name, "-B", "--schedule", str(tmp_path / f"beat-{name}"), "--concurrency=2")
    for name in ("alpha", "beta"):
        workers.wait_ready(name)

    # An editor schedules a brief four seconds ahead (through the workflow service).
    brief_id = int(
        _manage_shell(
            env,
            """
import datetime
from django.contrib.auth.models import User
from django.utils import timezone
from briefs.models import Brief
from briefs.services import workflow
editor = User.objects.create_superuser("editor", password="x-tests-only")
brief = Brief.objects.create(title="Scheduled deal", slug="scheduled-deal", dek="Soon.", body="Soon live.",
                             status="in_review")
workflow.schedule(brief, editor, timezone.now() + datetime.timedelta(seconds=4))
print(brief.pk)
""",
        )
    )
    scheduled_at = time.monotonic()

    def status():
        return db.query("select status from briefs_brief where id=?", (brief_id,))[0][0]

    try:
        _wait_for(lambda: status() == "published", 45, "the scheduled brief to be finalised")
        took = time.monotonic() - scheduled_at
        time.sleep(4)  # both beats keep sending the task every second
    except AssertionError:
        print(workers.logs())
        raise
    events_log = (tmp_path / "events.log").read_text().splitlines()
    assert [line.split()[:2] for line in events_log] == [["published", str(brief_id)]], events_log
    transitions = [
        tuple(row)
        for row in db.query(
            "select from_status, to_status, by_id from briefs_transition where brief_id=? order by id", (brief_id,)
        )
    ]
    assert transitions[-1] == ("scheduled", "published", None)
    assert [t[1] for t in transitions] == ["scheduled", "published"]
    visible = _manage_shell(
        env, f"from briefs.models import Brief; print(Brief.objects.published().filter(pk={brief_id}).exists())"
    )
    assert visible == "True"
    found = _manage_shell(
        env, "from search import search; print([hit.brief.pk for hit in search('Scheduled deal').hits])"
    )
    assert found == f"[{brief_id}]"
    finalise_runs = sum(
        log.read_text().count("briefs.finalise_scheduled_briefs") for log in tmp_path.glob("alpha.log")
    ) + sum(log.read_text().count("briefs.finalise_scheduled_briefs") for log in tmp_path.glob("beta.log"))
    print(f"scheduled +4s, finalised after {took:.1f}s; finalise task log lines: {finalise_runs}")


def test_worker_killed_mid_task_does_not_lose_it(project_env, workers):
    from celery import Celery

    env, _, tmp_path = project_env
    broker = _redis_db(2)
    env["CELERY_BROKER_URL"] = broker
    env["CELERY_VISIBILITY_TIMEOUT"] = "3"
    env["CELERY_UNACKED_RESTORE_INTERVAL"] = "1"  # sweep for abandoned messages every second
    env["CELERY_UNACKED_RESTORE_THROTTLE"] = "1"
    marks = tmp_path / "marks.log"

    first = workers.start("first", "--pool=solo")
    workers.wait_ready("first")
    producer = Celery("producer", broker=broker)
    producer.conf.broker_transport_options = {"visibility_timeout": 3}
    producer.send_task("harness.slow_mark", args=[str(marks), 4])
    _wait_for(lambda: "started" in marks.read_text(), 30, "the task to start")
    workers.kill(first)  # SIGKILL: no chance to ack, reject or requeue
    assert "done" not in marks.read_text()

    started = time.monotonic()
    workers.start("second", "--pool=solo")
    try:
        _wait_for(lambda: "done" in marks.read_text(), 60, "the task to be redelivered and completed")
    except AssertionError:
        print(workers.logs())
        raise
    lines = marks.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["started", "started", "done"], lines
    print(f"redelivered and completed {time.monotonic() - started:.1f}s after the second worker started")


def test_pool_child_killed_mid_task_is_requeued(project_env, workers):
    """reject_on_worker_lost: the prefork child dies (SIGKILL), the main process requeues at once."""
    from celery import Celery

    env, _, tmp_path = project_env
    broker = _redis_db(3)
    env["CELERY_BROKER_URL"] = broker
    marks = tmp_path / "marks.log"
    workers.start("prefork", "--pool=prefork", "--concurrency=1")
    workers.wait_ready("prefork")
    producer = Celery("producer", broker=broker)
    producer.send_task("harness.slow_mark", args=[str(marks), 3])
    _wait_for(lambda: "started" in marks.read_text(), 30, "the task to start")
    child_pid = int(marks.read_text().split("pid=")[1].split()[0])
    os.kill(child_pid, signal.SIGKILL)
    try:
        _wait_for(lambda: "done" in marks.read_text(), 40, "the task to be requeued and completed")
    except AssertionError:
        print(workers.logs())
        raise
    lines = marks.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["started", "started", "done"], lines
