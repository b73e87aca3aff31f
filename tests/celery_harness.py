"""A real Celery worker (optionally with beat) for the Redis integration tests.

Run as a subprocess: `python tests/celery_harness.py worker -B …`. It is the project's own Celery
app (dealsite.celery) with two test-only additions: receivers that append every brief event to
HARNESS_EVENT_LOG after the transaction commits (as an external side effect would), and a slow task
used to kill a worker mid-task.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from briefs import events  # noqa: E402
from dealsite.celery import app  # noqa: E402

EVENT_LOG = os.environ.get("HARNESS_EVENT_LOG")


def _append(path, line):
    with open(path, "a", encoding="utf-8") as log:
        log.write(line + "\n")
        log.flush()
        os.fsync(log.fileno())


def _recorder(name):
    def receiver(sender, brief, transition=None, user=None, **kwargs):
        line = f"{name} {brief.pk} {transition.pk if transition else '-'} pid={os.getpid()}"
        transaction.on_commit(lambda: _append(EVENT_LOG, line))

    return receiver


if EVENT_LOG:
    for _name, _signal in (
        ("published", events.brief_published),
        ("withdrawn", events.brief_withdrawn),
        ("changed", events.brief_changed),
    ):
        _signal.connect(_recorder(_name), weak=False, dispatch_uid=f"harness-{_name}")


@app.task(name="harness.slow_mark", acks_late=True)
def slow_mark(path, seconds):
    """Writes 'started', sleeps, writes 'done': a task that can be interrupted mid-way."""
    _append(path, f"started pid={os.getpid()}")
    time.sleep(seconds)
    _append(path, f"done pid={os.getpid()}")


if __name__ == "__main__":
    app.worker_main(sys.argv[1:])
