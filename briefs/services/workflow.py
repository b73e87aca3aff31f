"""Status transitions of a brief: one function per transition, permission-checked, recorded.

    draft ──submit──▶ in review ──publish──▶ published ──withdraw──▶ withdrawn ──redraft──▶ draft
      ▲                 │  │                    ▲                       │
      └─return_to_draft─┘  └─schedule─▶ scheduled ─(time passes: finalise_scheduled)─┘
                                         │  └─unschedule─▶ in review
                                         └─withdraw─▶ withdrawn

Roles (groups made by a data migration): Writers create and edit drafts and submit them; Editors
also review (return to draft), publish, schedule and withdraw. Superusers can do everything.

Every transition claims the brief with a conditional UPDATE on its current status, so two people (or
two scheduler runs) acting at once cannot both make it; the loser gets TransitionConflict. The new
status is then saved with save(update_fields=…) (so post_save receivers see it like any save), the
transition recorded as a Transition row, and its events (briefs.events) sent once, all in the same
database transaction.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import events
from ..models import Brief, BriefStatus, Transition
from ..text import printable
from .citations import check_citations

S = BriefStatus


class TransitionNotAllowed(PermissionDenied):
    """The user's role does not allow this transition."""


class TransitionInvalid(ValidationError):
    """The transition does not apply to the brief in its current state, or its input is wrong."""


class TransitionConflict(TransitionInvalid):
    """Someone else changed the brief's status first."""


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: str
    sources: tuple
    target: str
    permission: str
    action: str  # what the permission allows, for refusals: "You are not allowed to {action}."


SPECS = {
    spec.name: spec
    for spec in (
        TransitionSpec(
            "submit", "Submit for review", (S.DRAFT,), S.IN_REVIEW, "briefs.submit_brief", "submit briefs for review"
        ),
        TransitionSpec(
            "return_to_draft",
            "Return to draft",
            (S.IN_REVIEW,),
            S.DRAFT,
            "briefs.review_brief",
            "return briefs in review to draft",
        ),
        TransitionSpec(
            "publish",
            "Publish now",
            (S.IN_REVIEW, S.SCHEDULED, S.WITHDRAWN),
            S.PUBLISHED,
            "briefs.publish_brief",
            "publish briefs",
        ),
        TransitionSpec("schedule", "Schedule", (S.IN_REVIEW,), S.SCHEDULED, "briefs.publish_brief", "schedule briefs"),
        TransitionSpec(
            "unschedule", "Unschedule", (S.SCHEDULED,), S.IN_REVIEW, "briefs.publish_brief", "unschedule briefs"
        ),
        TransitionSpec(
            "withdraw", "Withdraw", (S.PUBLISHED, S.SCHEDULED), S.WITHDRAWN, "briefs.withdraw_brief", "withdraw briefs"
        ),
        TransitionSpec(
            "redraft",
            "Back to draft",
            (S.WITHDRAWN,),
            S.DRAFT,
            "briefs.submit_brief",
            "return withdrawn briefs to draft",
        ),
    )
}


def is_allowed(user, name):
    return user is not None and user.is_active and user.has_perm(SPECS[name].permission)


def available_transitions(user, brief):
    """The transitions `user` may apply to `brief` now, as specs (for buttons)."""
    now = timezone.now()
    specs = []
    for spec in SPECS.values():
        if brief.status not in spec.sources or not is_allowed(user, spec.name):
            continue
        if spec.name == "unschedule" and brief.published_at and brief.published_at <= now:
            continue  # already live: withdraw it instead
        specs.append(spec)
    return specs


def can_edit(user, brief):
    """Writers edit drafts; Editors (who may publish) edit a brief in any state."""
    if not (user and user.is_active and user.has_perm("briefs.change_brief")):
        return False
    if brief is None or brief.pk is None or brief.status == S.DRAFT:
        return True
    return user.has_perm("briefs.publish_brief")


# One function per transition -------------------------------------------------------------------


def submit(brief, user, comment=""):
    """draft → in review, once the citation check passes (CitationsMissing lists the problems)."""
    _check(brief, user, "submit")
    check_citations(brief)
    return _apply(brief, user, "submit", comment)


def return_to_draft(brief, user, comment=""):
    return _apply(brief, user, "return_to_draft", comment)


def publish(brief, user, comment=""):
    """Live now. Keeps a publication time already in the past (backdating); else it is now."""
    _check(brief, user, "publish")
    now = timezone.now()
    when = brief.published_at if brief.published_at and brief.published_at <= now else now
    return _apply(brief, user, "publish", comment, published_at=when)


def schedule(brief, user, when, comment=""):
    """Goes live at `when` (in the future) by the visibility rule; the scheduler finalises it."""
    _check(brief, user, "schedule")
    if not isinstance(when, datetime.datetime) or timezone.is_naive(when):
        raise TransitionInvalid("Give the publication time with its time zone.")
    if when <= timezone.now():
        raise TransitionInvalid("The publication time has passed: publish now instead, or pick a later time.")
    return _apply(brief, user, "schedule", comment, published_at=when)


def unschedule(brief, user, comment=""):
    _check(brief, user, "unschedule")
    if brief.published_at and brief.published_at <= timezone.now():
        raise TransitionInvalid("This brief is already live: withdraw it instead.")
    return _apply(brief, user, "unschedule", comment, published_at=None, expect_not_live=True)


def withdraw(brief, user, comment=""):
    """Off every public path at once: the visibility rule excludes withdrawn briefs."""
    return _apply(brief, user, "withdraw", comment)


def redraft(brief, user, comment=""):
    return _apply(brief, user, "redraft", comment)


TRANSITION_FUNCTIONS = {
    "submit": submit,
    "return_to_draft": return_to_draft,
    "publish": publish,
    "schedule": schedule,
    "unschedule": unschedule,
    "withdraw": withdraw,
    "redraft": redraft,
}


# Moving to a status by name -------------------------------------------------------------------

UNSET = object()


class StatusChangeInvalid(TransitionInvalid):
    """A requested status (or publication time) that no single transition gives; `field` names
    the input at fault ("status" or "published_at")."""

    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


def transition_to(brief, target):
    """The name of the one transition from the brief's status to `target`, or None."""
    return next(
        (spec.name for spec in SPECS.values() if spec.target == target and brief.status in spec.sources),
        None,
    )


def change_status(brief, user, target, *, published_at=UNSET, comment=""):
    """Move `brief` to status `target` by the single transition that leads there, as `user`.

    For callers that name the status wanted rather than the action (the API). A publication time
    comes only with a status change: the time to go live when scheduling (required), or a past time
    when publishing (backdating). Returns the Transition, or None when the brief is already there.
    Raises StatusChangeInvalid, and the transitions' own errors (TransitionNotAllowed,
    CitationsMissing).
    """
    if target == brief.status:
        if published_at is not UNSET and published_at != brief.published_at:
            raise StatusChangeInvalid(
                "published_at",
                "The publication time is set by a status change: send it with status “scheduled” (to go live "
                "then) or “published” (a past time, to backdate). To reschedule, set status “in_review”, then "
                "schedule again.",
            )
        return None
    name = transition_to(brief, target)
    if name is None:
        reachable = sorted({str(spec.target) for spec in SPECS.values() if brief.status in spec.sources})
        raise StatusChangeInvalid(
            "status",
            f"A brief that is {S(brief.status).label.lower()} cannot become {S(target).label.lower()} in one "
            f"step; from here it can become: {', '.join(reachable)}.",
        )
    if name == "schedule":
        if published_at is UNSET or published_at is None:
            raise StatusChangeInvalid("published_at", "Give the time it goes live to schedule it.")
        try:
            return schedule(brief, user, published_at, comment)
        except TransitionNotAllowed:
            raise
        except TransitionInvalid as invalid:
            raise StatusChangeInvalid("published_at", " ".join(invalid.messages)) from None
    if name == "publish" and published_at is not UNSET and published_at is not None:
        if published_at > timezone.now():
            raise StatusChangeInvalid(
                "published_at", "That time is in the future: schedule the brief (status “scheduled”) instead."
            )
        brief.published_at = published_at  # publish keeps a past publication time (backdating)
    elif published_at is not UNSET and published_at != brief.published_at:
        raise StatusChangeInvalid("published_at", "Only scheduling and publishing set the publication time.")
    try:
        return TRANSITION_FUNCTIONS[name](brief, user, comment)
    except TransitionNotAllowed:
        raise
    except StatusChangeInvalid:
        raise
    except TransitionInvalid as invalid:
        raise StatusChangeInvalid("status", " ".join(invalid.messages)) from None


# The scheduler ---------------------------------------------------------------------------------


def finalise_scheduled(now=None):
    """Mark every scheduled brief whose time has come as published, with its side effects, once.

    Safe to run concurrently and after any downtime: each brief is claimed with
    UPDATE … SET status='published' WHERE pk=… AND status='scheduled' AND published_at<=now, which
    exactly one runner can win (the database serialises the row update); only the winner records the
    transition and sends brief_published. Returns the ids it finalised.
    """
    now = now or timezone.now()
    return finalise(due_for_publication(now), now)


def due_for_publication(now):
    """Ids of the scheduled briefs whose publication time has come, oldest first."""
    return list(
        Brief.objects.filter(status=S.SCHEDULED, published_at__lte=now)
        .order_by("published_at")
        .values_list("pk", flat=True)
    )


def finalise(due, now):
    """Finalise the briefs `due` (ids read earlier) that are still scheduled and due at `now`."""
    finalised = []
    for pk in due:
        with transaction.atomic():
            if not _claim(Brief.objects.filter(pk=pk, status=S.SCHEDULED, published_at__lte=now)):
                continue  # another runner finalised (or someone withdrew) it first
            brief = Brief.objects.get(pk=pk)
            _save_status(brief, S.PUBLISHED)
            record = Transition.objects.create(
                brief=brief,
                from_status=S.SCHEDULED,
                to_status=S.PUBLISHED,
                by=None,
                at=timezone.now(),
                comment="Scheduled publication time reached.",
                published_at=brief.published_at,
            )
            events.send_transition(brief, record, None)
        finalised.append(pk)
    return finalised


# Internals --------------------------------------------------------------------------------------

_UNSET = object()


def _check(brief, user, name):
    spec = SPECS[name]
    if not is_allowed(user, name):
        raise TransitionNotAllowed(f"You are not allowed to {spec.action}.")
    if brief.status not in spec.sources:
        raise TransitionInvalid(
            f"“{spec.label}” does not apply to a brief that is {brief.get_status_display().lower()}."
        )


def _claim(rows):
    """Lock the brief for this transaction if it is still in the expected state; False if not.

    A conditional UPDATE: on PostgreSQL a concurrent claimer waits for the row lock, then re-checks
    the condition against the committed state and updates nothing; SQLite serialises writers. The
    status itself is then written with save(), so the usual model signals (pre_save sees the old
    state, post_save the new) reach the receivers of other features as for any save.
    """
    return bool(rows.update(updated_at=timezone.now()))


def _save_status(brief, status, **fields):
    brief.status = status
    for name, value in fields.items():
        setattr(brief, name, value)
    brief.save(update_fields=["status", "updated_at", *fields])


# A withdrawal's comment is its public reason on the 410 page; every comment is kept in the history.
COMMENT_MAX_CHARS = 2000


def _accepted_comment(comment):
    """The comment as the product accepts text (briefs.text), or a refusal when it is too long: a
    transition never keeps half of what an editor wrote."""
    comment = printable(comment or "").strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise TransitionInvalid(
            f"A comment may be at most {COMMENT_MAX_CHARS:,} characters; this one has {len(comment):,}."
        )
    return comment


def _withdrawal_record(brief, target, now, comment):
    """When and why a brief readers could see was withdrawn (what its 410 page says); forgotten once
    it is live again or back in the editors' hands, so a redrafted brief answers 404 like any draft."""
    if target == S.WITHDRAWN:
        return {"withdrawn_at": now, "withdrawal_reason": comment or ""} if brief.is_live else {}
    if brief.withdrawn_at is not None:
        return {"withdrawn_at": None, "withdrawal_reason": ""}
    return {}


def _apply(brief, user, name, comment, published_at=_UNSET, expect_not_live=False):
    spec = SPECS[name]
    _check(brief, user, name)
    comment = _accepted_comment(comment)
    now = timezone.now()
    fields = {} if published_at is _UNSET else {"published_at": published_at}
    with transaction.atomic():
        claim = Brief.objects.filter(pk=brief.pk, status=brief.status)
        if expect_not_live:
            claim = claim.exclude(published_at__lte=now)
        if not _claim(claim):
            current = Brief.objects.filter(pk=brief.pk).values_list("status", flat=True).first()
            label = S(current).label.lower() if current else "deleted"
            raise TransitionConflict(f"Someone else changed this brief first: it is now {label}.")
        from_status = brief.status
        brief.refresh_from_db()
        fields.update(_withdrawal_record(brief, spec.target, now, comment))
        _save_status(brief, spec.target, **fields)
        record = Transition.objects.create(
            brief=brief,
            from_status=from_status,
            to_status=spec.target,
            by=user,
            at=now,
            comment=comment or "",
            published_at=brief.published_at if spec.target in (S.SCHEDULED, S.PUBLISHED) else None,
        )
        events.send_transition(brief, record, user)
    return record
