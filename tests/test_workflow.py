"""Transitions and roles, scheduled visibility, the scheduler's exactly-once finalisation, events."""

import datetime
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from briefs.models import Brief, Transition
from briefs.services import workflow
from briefs.services.citations import CitationsMissing

from .committing import as_committed
from .factories import make_brief, make_party, make_quote, make_source
from .workflow_helpers import EventRecorder, make_user

pytestmark = pytest.mark.django_db

NOW = timezone.now


def draft(body="A brief with no figures.", **fields):
    return make_brief(body, published=False, **fields)


def in_state(status, **fields):
    brief = draft(**fields)
    values = {"status": status}
    if status in ("published", "scheduled"):
        values["published_at"] = fields.get("published_at") or NOW() - datetime.timedelta(minutes=5)
    Brief.objects.filter(pk=brief.pk).update(**values)
    brief.refresh_from_db()
    return brief


@pytest.fixture
def writer():
    return make_user("Writer")


@pytest.fixture
def editor():
    return make_user("Editor")


# Each transition, allowed and refused ----------------------------------------------------------

ALLOWED = [
    # (transition, from status, role allowed, role refused)
    ("submit", "draft", "Writer", None),
    ("submit", "draft", "Editor", None),
    ("return_to_draft", "in_review", "Editor", "Writer"),
    ("publish", "in_review", "Editor", "Writer"),
    ("publish", "scheduled", "Editor", "Writer"),
    ("publish", "withdrawn", "Editor", "Writer"),
    ("unschedule", "scheduled", "Editor", "Writer"),
    ("withdraw", "published", "Editor", "Writer"),
    ("withdraw", "scheduled", "Editor", "Writer"),
    ("redraft", "withdrawn", "Writer", None),
    ("schedule", "in_review", "Editor", "Writer"),
]
TARGET = {name: spec.target for name, spec in workflow.SPECS.items()}


def _run(name, brief, user):
    if name == "schedule":
        return workflow.schedule(brief, user, NOW() + datetime.timedelta(hours=2), comment="for the morning")
    return workflow.TRANSITION_FUNCTIONS[name](brief, user, comment=f"{name} it")


@pytest.mark.parametrize("name,source,allowed_role,refused_role", ALLOWED)
def test_transition_allowed_for_role_and_recorded(name, source, allowed_role, refused_role):
    fields = {}
    if source == "scheduled":
        fields["published_at"] = NOW() + datetime.timedelta(hours=1)  # not live yet (unschedule needs that)
    brief = in_state(source, **fields)
    user = make_user(allowed_role)
    with EventRecorder() as recorder:
        record = _run(name, brief, user)
    brief.refresh_from_db()
    assert brief.status == TARGET[name]
    assert (record.by, record.from_status, record.to_status) == (user, source, TARGET[name])
    assert record.comment and record.at is not None
    assert list(brief.transitions.all()) == [record]
    # published / withdrawn are about what readers can see: a scheduled brief withdrawn before its
    # time was never public, so only its transition is announced.
    expected_event = {"published": "published", "withdrawn": "withdrawn" if source == "published" else None}.get(
        TARGET[name]
    )
    assert [call[0] for call in recorder.calls] == ([expected_event] if expected_event else [])


@pytest.mark.parametrize("name,source,allowed_role,refused_role", [row for row in ALLOWED if row[3]])
def test_transition_refused_for_wrong_role(name, source, allowed_role, refused_role):
    brief = (
        in_state(source, published_at=NOW() + datetime.timedelta(hours=1))
        if source == "scheduled"
        else in_state(source)
    )
    with pytest.raises(workflow.TransitionNotAllowed):
        _run(name, brief, make_user(refused_role))
    brief.refresh_from_db()
    assert brief.status == source and not brief.transitions.exists()


def test_user_without_role_can_do_nothing():
    nobody = make_user(None)
    brief = draft()
    for name in workflow.SPECS:
        with pytest.raises(workflow.TransitionNotAllowed):
            _run(name, brief, nobody)
    assert workflow.available_transitions(nobody, brief) == []


def test_admin_can_do_everything():
    admin = make_user("admin")
    brief = draft()
    workflow.submit(brief, admin)
    workflow.publish(brief, admin)
    workflow.withdraw(brief, admin)
    assert [t.to_status for t in brief.transitions.order_by("at", "pk")] == ["in_review", "published", "withdrawn"]


def test_transition_from_wrong_state_is_refused(editor):
    brief = draft()
    with pytest.raises(workflow.TransitionInvalid, match="does not apply to a brief that is draft"):
        workflow.publish(brief, editor)
    with pytest.raises(workflow.TransitionInvalid):
        workflow.withdraw(brief, editor)


def test_stale_brief_loses_the_race(editor):
    brief = in_state("in_review")
    stale = Brief.objects.get(pk=brief.pk)
    workflow.publish(brief, editor)
    with pytest.raises(workflow.TransitionConflict, match="it is now published"):
        workflow.return_to_draft(stale, editor)
    assert Transition.objects.filter(brief=brief).count() == 1


def test_schedule_needs_a_future_time(editor):
    brief = in_state("in_review")
    with pytest.raises(workflow.TransitionInvalid, match="has passed"):
        workflow.schedule(brief, editor, NOW() - datetime.timedelta(minutes=1))


def test_unschedule_refused_once_live(editor):
    brief = in_state("scheduled", published_at=NOW() - datetime.timedelta(minutes=1))
    with pytest.raises(workflow.TransitionInvalid, match="already live"):
        workflow.unschedule(brief, editor)
    assert "unschedule" not in [s.name for s in workflow.available_transitions(editor, brief)]


def test_publish_sets_publication_time_now(editor):
    brief = in_state("in_review")
    before = NOW()
    workflow.publish(brief, editor)
    brief.refresh_from_db()
    assert brief.status == "published" and before <= brief.published_at <= NOW()
    assert Brief.objects.published().filter(pk=brief.pk).exists()


def test_writers_edit_drafts_only_editors_edit_everything(writer, editor):
    assert workflow.can_edit(writer, draft())
    for status in ("in_review", "published", "withdrawn"):
        brief = in_state(status)
        assert not workflow.can_edit(writer, brief)
        assert workflow.can_edit(editor, brief)


def test_available_transitions_follow_role_and_state(writer, editor):
    brief = in_state("in_review")
    assert [s.name for s in workflow.available_transitions(writer, brief)] == []
    assert [s.name for s in workflow.available_transitions(editor, brief)] == ["return_to_draft", "publish", "schedule"]


# Citation check before submit -----------------------------------------------------------------


def test_submit_refused_until_figures_and_quotes_are_cited(writer):
    src = make_source(key="tc")
    unsourced = make_quote(key="jassy", text="Customers are excited.")
    amazon = make_party(slug="amazon")
    body = (
        "[Amazon](party:amazon) invests $1.25 billion now.\n\n"
        "It may reach [up to $4 billion](source:tc), a 15% stake.\n\n"
        "[“Customers are excited.”](quote:jassy)"
    )
    brief = draft(body, parties=[(amazon, "investor")], sources=[src], quotes=[unsourced])
    with pytest.raises(CitationsMissing) as refused:
        workflow.submit(brief, writer)
    messages = refused.value.messages
    assert messages[0].startswith("Line 1:") and "“$1.25 billion”" in messages[0]
    assert messages[1].startswith("Line 3:") and "“15%”" in messages[1]
    assert messages[2].startswith("Line 5:") and "quote:jassy" in messages[2] and "no source" in messages[2]
    assert len(messages) == 3
    brief.refresh_from_db()
    assert brief.status == "draft" and not brief.transitions.exists()


def test_submit_passes_when_everything_is_cited(writer):
    src = make_source(key="tc")
    quote = make_quote(key="jassy", text="Customers are excited.", source=src)
    body = (
        "Amazon invests [$1.25 billion](source:tc) now, [a 15% stake](note:stake).\n\n"
        "[“Customers are excited.”](quote:jassy) Year 2023 and 3 people are not figures."
    )
    brief = draft(body, sources=[src], quotes=[quote], notes=[("stake", "As reported.")])
    workflow.submit(brief, writer)
    brief.refresh_from_db()
    assert brief.status == "in_review"


def test_demo_brief_passes_the_citation_check(demo_brief):
    from briefs.services.citations import check_citations

    check_citations(demo_brief)


# Scheduled visibility with the clock moved (no worker) -------------------------------------------


def test_scheduled_brief_is_visible_exactly_from_its_time(editor):
    brief = in_state("in_review")
    when = NOW() + datetime.timedelta(hours=3)
    workflow.schedule(brief, editor, when)
    assert not Brief.objects.published().filter(pk=brief.pk).exists()
    assert not Brief.objects.published(now=when - datetime.timedelta(seconds=1)).filter(pk=brief.pk).exists()
    assert Brief.objects.published(now=when).filter(pk=brief.pk).exists()
    assert Brief.objects.published(now=when + datetime.timedelta(hours=1)).filter(pk=brief.pk).exists()


def test_scheduled_brief_page_goes_live_without_any_worker(client, editor):
    brief = in_state("in_review")
    workflow.schedule(brief, editor, NOW() + datetime.timedelta(seconds=60))
    assert client.get(brief.get_absolute_url()).status_code == 404
    Brief.objects.filter(pk=brief.pk).update(published_at=NOW() - datetime.timedelta(seconds=1))  # time passes
    assert client.get(brief.get_absolute_url()).status_code == 200
    assert Brief.objects.get(pk=brief.pk).status == "scheduled"  # still not finalised: no worker ran


def test_withdraw_removes_from_every_public_path(client, editor):
    party, source = make_party(slug="acme"), make_source(key="acme-news")
    other = make_brief("Another live brief.", parties=[(party, "investor")])
    brief = in_state("published", parties=[(party, "investor")], sources=[source])
    lists = [
        "/",
        "/feed/rss/",
        "/feed/atom/",
        "/sitemap-briefs.xml",
        party.get_absolute_url(),
        f"{party.get_absolute_url()}feed/rss/",
    ]
    assert client.get(brief.get_absolute_url()).status_code == 200
    assert all(
        brief.title in client.get(path).content.decode() or brief.slug in client.get(path).content.decode()
        for path in lists
    )
    assert client.get(source.get_absolute_url()).status_code == 200
    workflow.withdraw(brief, editor)
    assert client.get(brief.get_absolute_url()).status_code == 410  # readers saw it: gone, not unknown
    assert client.get(source.get_absolute_url()).status_code == 404  # cited by no live brief any more
    for path in lists:
        page = client.get(path)
        assert page.status_code == 200, path
        assert brief.slug not in page.content.decode() and f">{brief.title}<" not in page.content.decode(), path
    assert other.slug in client.get(party.get_absolute_url()).content.decode()


# The scheduler: finalise once, side effects once ---------------------------------------------


def test_finalise_publishes_due_briefs_and_fires_once(editor):
    due = in_state("scheduled", published_at=NOW() - datetime.timedelta(hours=1))  # worker was down an hour
    later = in_state("scheduled", published_at=NOW() + datetime.timedelta(hours=1))
    with EventRecorder() as recorder:
        assert workflow.finalise_scheduled() == [due.pk]
        assert workflow.finalise_scheduled() == []  # a second run finds nothing
    due.refresh_from_db(), later.refresh_from_db()
    assert (due.status, later.status) == ("published", "scheduled")
    record = due.transitions.get()
    assert (record.by, record.from_status, record.to_status) == (None, "scheduled", "published")
    assert recorder.calls == [("published", due.pk, record.pk)]


def test_finalise_skips_a_brief_withdrawn_meanwhile(editor):
    brief = in_state("scheduled", published_at=NOW() - datetime.timedelta(minutes=1))

    now = NOW()
    with EventRecorder() as recorder:
        due = workflow.due_for_publication(now)
        workflow.withdraw(Brief.objects.get(pk=brief.pk), editor)  # between reading and claiming
        assert workflow.finalise(due, now) == []
    assert Brief.objects.get(pk=brief.pk).status == "withdrawn"
    assert [c[0] for c in recorder.calls] == ["withdrawn"]


@pytest.mark.django_db(transaction=True)
def test_finalise_run_twice_concurrently_has_side_effects_once():
    """Two runners read the same due list, then race to claim: each brief is finalised once."""
    briefs = [in_state("scheduled", published_at=NOW() - datetime.timedelta(minutes=m)) for m in (1, 2, 3)]
    barrier = threading.Barrier(2, timeout=10)
    results, errors = {}, []

    def runner(name):
        # Like the Celery task (autoretry_for=OperationalError): SQLite may answer "table is locked"
        # to the loser of a write race; a retry re-reads what is still due. PostgreSQL just waits.
        results[name] = []
        try:
            for attempt in range(20):
                try:
                    wait = barrier.wait if attempt == 0 else (lambda: None)
                    now = NOW()
                    due = workflow.due_for_publication(now)
                    wait()  # both runners have read the same due list before either claims
                    results[name] += workflow.finalise(due, now)
                    break
                except OperationalError:
                    time.sleep(0.05)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    with EventRecorder() as recorder:
        threads = [threading.Thread(target=runner, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors, errors
    finalised = results["a"] + results["b"]
    assert len(finalised) == len(set(finalised))  # no brief finalised by both runners
    assert sorted(call[1] for call in recorder.of("published")) == sorted(b.pk for b in briefs)
    assert Transition.objects.filter(to_status="published").count() == 3


def test_finalise_task_runs_in_eager_mode():
    from briefs.tasks import finalise_scheduled_briefs

    brief = in_state("scheduled", published_at=NOW() - datetime.timedelta(seconds=5))
    assert finalise_scheduled_briefs.delay().get() == [brief.pk]
    assert (
        finalise_scheduled_briefs.app.conf.beat_schedule["finalise-scheduled-briefs"]["task"]
        == "briefs.finalise_scheduled_briefs"
    )


def test_workflow_tasks_are_acks_late_and_retry():
    from briefs.tasks import check_source_link, finalise_scheduled_briefs, recheck_source_links

    for task in (finalise_scheduled_briefs, check_source_link, recheck_source_links):
        assert task.acks_late is True
        assert task.autoretry_for and task.retry_backoff
    assert finalise_scheduled_briefs.app.conf.task_reject_on_worker_lost is True


def test_live_brief_rerendered_after_a_linked_change_sends_brief_changed():
    amazon = make_party(name="Amazon", slug="amazon")
    live = make_brief("[Amazon](party:amazon) invests.", parties=[(amazon, "investor")])
    draft_brief = make_brief("[Amazon](party:amazon) may invest.", parties=[(amazon, "investor")], published=False)
    with EventRecorder() as recorder:  # commits the rename: the re-render follows, then its event
        amazon.name = "Amazon.com"
        amazon.save()
    # Both re-rendered briefs changed; receivers judge what is public (webhooks announce only the live one).
    assert sorted(recorder.of("changed")) == sorted([("changed", live.pk, None), ("changed", draft_brief.pk, None)])


def test_role_groups_hold_the_right_permissions():
    from django.contrib.auth.models import Group

    def perms(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    writer, editor = perms("Writer"), perms("Editor")
    assert {
        "add_brief",
        "change_brief",
        "view_brief",
        "submit_brief",
        "add_party",
        "change_source",
        "add_quote",
        "delete_briefparty",
        "delete_note",
    } <= writer
    assert not writer & {"delete_brief", "review_brief", "publish_brief", "withdraw_brief"}
    assert writer < editor
    assert {"delete_brief", "review_brief", "publish_brief", "withdraw_brief"} <= editor


def test_finalise_task_retries_a_transient_database_error(monkeypatch):
    from briefs import tasks as workflow_tasks

    brief = in_state("scheduled", published_at=NOW() - datetime.timedelta(seconds=5))
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return workflow.finalise_scheduled()

    monkeypatch.setattr(workflow_tasks, "finalise_scheduled", flaky)
    result = workflow_tasks.finalise_scheduled_briefs.apply(throw=False)  # eager: the retry runs at once
    assert len(calls) == 2
    assert result.get() == [brief.pk]
    assert Brief.objects.get(pk=brief.pk).status == "published"


def test_figures_found_by_the_citation_check():
    from briefs.services.citations import figures_in

    text = (
        "It paid $4B, then €500m and US$1.2bn, about 4 billion dollars, GBP 30 million, 12.5% and 12 per cent "
        "and 7 percent. In 2023, 3 people and Series B. A $450 million round. 1,250,000 USD."
    )
    assert [f[2] for f in figures_in(text)] == [
        "$4B",
        "€500m",
        "US$1.2bn",
        "4 billion dollars",
        "GBP 30 million",
        "12.5%",
        "12 per cent",
        "7 percent",
        "$450 million",
        "1,250,000 USD",
    ]
    for start, end, exact in figures_in(text):
        assert text[start:end] == exact


def test_every_transition_is_announced_and_saved_through_the_model(editor):
    """brief_transitioned for every transition; post_save receivers (other features) see the new
    status once, and pre_save receivers can still read the old status from the database."""
    from django.db.models.signals import post_save, pre_save

    from briefs import events

    seen = []

    def on_transition(sender, brief, transition, **kwargs):
        seen.append(("transition", transition.from_status, transition.to_status))

    def on_pre_save(sender, instance, **kwargs):
        seen.append(("pre_save", Brief.objects.get(pk=instance.pk).status, instance.status))

    def on_post_save(sender, instance, **kwargs):
        seen.append(("post_save", instance.status))

    brief = in_state("in_review")
    events.brief_transitioned.connect(on_transition)
    pre_save.connect(on_pre_save, sender=Brief)
    post_save.connect(on_post_save, sender=Brief)
    try:
        with as_committed():  # events are sent when each transition's transaction commits
            workflow.schedule(brief, editor, NOW() + datetime.timedelta(minutes=5))
        Brief.objects.filter(pk=brief.pk).update(published_at=NOW() - datetime.timedelta(seconds=1))
        with as_committed():
            workflow.finalise_scheduled()
    finally:
        events.brief_transitioned.disconnect(on_transition)
        pre_save.disconnect(on_pre_save, sender=Brief)
        post_save.disconnect(on_post_save, sender=Brief)
    assert seen == [
        ("pre_save", "in_review", "scheduled"),
        ("post_save", "scheduled"),
        ("transition", "in_review", "scheduled"),
        ("pre_save", "scheduled", "published"),
        ("post_save", "published"),
        ("transition", "scheduled", "published"),
    ]


def test_webhook_subscribers_hear_of_a_scheduled_brief_once_when_it_is_finalised(
    editor, monkeypatch, django_capture_on_commit_callbacks
):
    """The scheduler's finalisation is the publication of a scheduled brief (it was visible already,
    by the rule, without any save); scheduling it announces nothing."""
    from webhooks import receivers

    announced = []
    monkeypatch.setattr(receivers, "announce", lambda event, brief: announced.append((str(event), brief.pk)))
    with django_capture_on_commit_callbacks(execute=True):  # the test's setup commits, as it were
        brief = in_state("in_review")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule(brief, editor, NOW() + datetime.timedelta(minutes=5))
    assert announced == []
    Brief.objects.filter(pk=brief.pk).update(published_at=NOW() - datetime.timedelta(seconds=1))  # time passes
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.finalise_scheduled() == [brief.pk]
        assert workflow.finalise_scheduled() == []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(Brief.objects.get(pk=brief.pk), editor)
    assert announced == [("brief.published", brief.pk), ("brief.withdrawn", brief.pk)]


def test_a_transition_comment_keeps_only_accepted_text_and_a_too_long_one_is_refused(client, editor):
    brief = in_state("published")
    with pytest.raises(workflow.TransitionInvalid, match="at most 2,000 characters"):
        workflow.withdraw(brief, editor, "x" * 2001)
    assert Brief.objects.get(pk=brief.pk).status == "published"
    workflow.withdraw(brief, editor, "Pasted\x0b reason\x00.")
    assert Transition.objects.filter(brief=brief).latest("at").comment == "Pasted reason."
    gone = client.get(brief.get_absolute_url())
    assert gone.status_code == 410 and "Pasted reason." in gone.content.decode()
