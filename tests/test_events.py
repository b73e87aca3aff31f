"""The domain events: sent once the change commits, and a failing receiver never undoes the change."""

import logging

import pytest
from django.db import OperationalError, transaction

from briefs import events
from briefs.models import Brief
from briefs.services import workflow
from search import search
from tests.committing import as_committed
from tests.factories import make_brief
from tests.workflow_helpers import EventRecorder, make_user

pytestmark = pytest.mark.django_db


def _draft(**fields):
    brief = make_brief("Words about basalt.", title="Basalt", published=False, **fields)
    workflow.submit(brief, make_user("admin"))
    return Brief.objects.get(pk=brief.pk)


def test_events_are_sent_after_commit_and_never_for_a_rolled_back_change(django_capture_on_commit_callbacks):
    brief = _draft()
    editor = make_user("admin")
    with EventRecorder() as recorder:
        try:
            with transaction.atomic():
                workflow.publish(brief, editor)
                assert recorder.calls == []  # nothing is announced while the change can still roll back
                raise RuntimeError("the request failed after publishing")
        except RuntimeError:
            pass
    assert recorder.calls == [] and Brief.objects.get(pk=brief.pk).status == "in_review"
    with EventRecorder() as recorder:
        workflow.publish(Brief.objects.get(pk=brief.pk), editor)
    assert [call[0] for call in recorder.calls] == ["published"]


def test_a_failing_receiver_is_logged_and_neither_undoes_nor_blocks_the_publication(caplog):
    def broken(sender, brief, **kwargs):
        raise RuntimeError("the subscriber's side is down")

    events.brief_published.connect(broken, weak=False)
    brief = _draft()
    try:
        with caplog.at_level(logging.ERROR, logger="briefs.events"), as_committed():
            workflow.publish(brief, make_user("admin"))
    finally:
        events.brief_published.disconnect(broken)
    assert Brief.objects.get(pk=brief.pk).status == "published"
    assert [hit.brief.pk for hit in search("basalt").hits] == [brief.pk]  # the other receivers still ran
    failure = next(record for record in caplog.records if record.name == "briefs.events")
    assert "broken" in failure.getMessage() and failure.exc_info[0] is RuntimeError


def test_a_failed_index_write_is_retried_by_its_task(monkeypatch):
    from search import tasks

    real, calls = tasks.reindex_briefs, []

    def flaky(brief_ids):
        calls.append(brief_ids)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(brief_ids)

    monkeypatch.setattr(tasks, "reindex_briefs", flaky)
    brief = _draft()
    with as_committed():
        workflow.publish(brief, make_user("admin"))
    assert len(calls) == 2  # the task ran again after the transient error
    assert [hit.brief.pk for hit in search("basalt").hits] == [brief.pk]
