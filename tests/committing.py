"""Test setup that behaves as if it had committed.

pytest-django runs each test inside a transaction that is rolled back, so work the app defers to
``transaction.on_commit`` (domain events, and through them search indexing and webhooks) would never
run for data a test builds. ``as_committed()`` runs the callbacks registered inside it when it exits,
as a commit would, and takes them off the connection's list so that an enclosing
``django_capture_on_commit_callbacks(execute=True)`` does not run them a second time. Outside a
transaction (transactional tests) callbacks run at once anyway and this changes nothing.
"""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def as_committed(using=None):
    connection = transaction.get_connection(using)
    start = len(connection.run_on_commit)
    yield
    while len(connection.run_on_commit) > start:  # callbacks may register more callbacks
        pending = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _savepoint_ids, callback, _robust in pending:
            callback()
