"""An in-app deadline for writes, shorter than gunicorn's worker timeout.

gunicorn kills a worker that takes longer than its timeout; the client gets an error while the
database may still commit what the worker had done. So a write request gets a deadline when it
starts (WriteDeadlineMiddleware, WRITE_DEADLINE_SECONDS), and the save services call check()
inside their transaction, just before it commits: past the deadline the transaction is rolled back
and the client is told so (503 in the API, a form error in the admin), never told it failed while
the write commits.
"""

import time
from contextvars import ContextVar

from django.conf import settings

_deadline = ContextVar("write_deadline", default=None)

_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class WriteDeadlineExceeded(Exception):
    def __init__(self, seconds):
        self.seconds = seconds
        super().__init__(
            f"The save took longer than {seconds:g} seconds (WRITE_DEADLINE_SECONDS), so nothing was saved. "
            "Try again; if it keeps happening, save a shorter body or fewer links."
        )


class WriteDeadlineMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in _WRITE_METHODS:
            return self.get_response(request)
        seconds = settings.WRITE_DEADLINE_SECONDS
        token = _deadline.set((time.monotonic() + seconds, seconds))
        try:
            return self.get_response(request)
        finally:
            _deadline.reset(token)


def check():
    """Raise WriteDeadlineExceeded when the current request's write deadline has passed (no-op
    outside a write request: tasks, loaders, shells)."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise WriteDeadlineExceeded(deadline[1])
