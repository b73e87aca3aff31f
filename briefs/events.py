"""The domain events of briefs: the one way other features learn that something happened.

The core sends these and never calls a feature itself; search (``search.receivers``) and webhooks
(``webhooks.receivers``) connect to them. The response caches need no event: they key on the
content version that database triggers bump in the writing transaction (``briefs.freshness``), which
also sees bulk and raw writes that no event could.

Every event is sent **after the transaction that made the change commits** (at once when there is
none), so a receiver never sees, or announces, a change that was rolled back, and nothing a receiver
does can roll back or block the publish, edit or withdrawal that sent it. Receivers are called with
``send_robust``: one that raises is logged with its traceback and the others still run. Receivers
that do real work hand it to a Celery task with retries (a failed index write or webhook delivery is
retried by the task, not by the sender).

Signals and their arguments (all keyword):

- ``brief_changed``: a brief's content (text, deal facts, links) was saved or restored, or it was
  re-rendered because a party, source or quote it shows changed; any status. ``brief``, ``user``,
  ``was_public`` (whether readers could see it before the change).
- ``brief_transitioned``: any status change (submit, review, schedule, publish, withdraw…);
  ``brief``, ``transition`` (the Transition row), ``user`` (None for the scheduler).
- ``brief_published``: the brief became visible to readers (a publish, a scheduled time finalised, or
  a brief saved straight into a live state by a loader); ``brief``, ``transition`` (or None), ``user``.
- ``brief_withdrawn``: a brief readers could see left every public path; ``brief``, ``transition``
  (or None), ``user``. A scheduled brief withdrawn before its time was never public: no event.
- ``brief_corrected``: a correction or an update was published on a brief readers can see;
  ``brief``, ``correction`` (the feature's record: ``kind``, ``key``, ``text``, ``was``,
  ``published_at``, ``figure_was``, ``figure_now``), ``user``.
- ``brief_deleted``: a brief row was deleted; ``brief_id``, ``slug``, ``was_public``.
- ``deal_changed``: a deal was saved; ``deal``, ``created``, ``previous_status`` (None when
  created). Receivers check ``Deal.objects.public()``: a deal is public only through a published
  brief about it.
- ``briefs_loaded``: many briefs were written in bulk, bypassing the per-brief events (synthetic
  data); ``brief_ids`` (None: any brief may have changed), ``progress`` (None, or a callable a
  receiver may call with the number of briefs it has just finished). Receivers rebuild what they derive.

``brief`` is read again from the database when the event is sent, so receivers see the committed
state; an event whose brief no longer exists is dropped (``brief_deleted`` reports deletions).
"""

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

brief_changed = Signal()
brief_transitioned = Signal()
brief_published = Signal()
brief_withdrawn = Signal()
brief_deleted = Signal()
brief_corrected = Signal()
deal_changed = Signal()
briefs_loaded = Signal()


def _dispatch(signal, brief_pk, **kwargs):
    if brief_pk is not None:
        from .models import Brief

        brief = Brief.objects.filter(pk=brief_pk).first()
        if brief is None:
            return
        kwargs["brief"] = brief
    for receiver, result in signal.send_robust(sender=_sender(), **kwargs):
        if isinstance(result, Exception):
            logger.error(
                "receiver %s of a brief event failed",
                getattr(receiver, "__qualname__", receiver),
                exc_info=(type(result), result, result.__traceback__),
            )


def _sender():
    from .models import Brief

    return Brief


def _after_commit(signal, brief=None, **kwargs):
    brief_pk = brief.pk if brief is not None else None
    transaction.on_commit(partial(_dispatch, signal, brief_pk, **kwargs), robust=True)


def was_public(brief, transition):
    """Whether readers could see the brief just before `transition` (a scheduled brief is visible
    from its publication time by the visibility rule, before the scheduler finalises it)."""
    from .models import BriefStatus

    if transition.from_status == BriefStatus.PUBLISHED:
        return True
    return (
        transition.from_status == BriefStatus.SCHEDULED
        and brief.published_at is not None
        and brief.published_at <= transition.at
    )


def send_transition(brief, transition, user=None):
    """brief_transitioned for every transition; brief_published / brief_withdrawn when it changes
    what readers can see."""
    _after_commit(brief_transitioned, brief, transition=transition, user=user)
    public_before = was_public(brief, transition)
    if transition.to_status == "published" and not (public_before and transition.from_status == "published"):
        _after_commit(brief_published, brief, transition=transition, user=user)
    elif transition.to_status == "withdrawn" and public_before:
        _after_commit(brief_withdrawn, brief, transition=transition, user=user)


def send_saved(brief, *, was_live, user=None):
    """After a save of a brief's content: brief_changed, and brief_published / brief_withdrawn if the
    save itself changed whether readers see it (loaders write live briefs without a transition)."""
    _after_commit(brief_changed, brief, user=user, was_public=was_live)
    if brief.is_live and not was_live:
        _after_commit(brief_published, brief, transition=None, user=user)
    elif was_live and not brief.is_live:
        _after_commit(brief_withdrawn, brief, transition=None, user=user)


def send_changed(brief, user=None):
    """A brief's content changed without a save by an editor (a background re-render, a restore)."""
    _after_commit(brief_changed, brief, user=user, was_public=brief.is_live)


def send_corrected(brief, correction, user=None):
    _after_commit(brief_corrected, brief, correction=correction, user=user)


def send_deleted(brief_id, slug, was_public):
    _after_commit(brief_deleted, brief_id=brief_id, slug=slug, was_public=was_public)


def send_loaded(brief_ids=None, progress=None):
    _after_commit(briefs_loaded, brief_ids=brief_ids, progress=progress)


def send_deal_changed(deal, *, created, previous_status):
    transaction.on_commit(
        partial(_dispatch_deal, deal.pk, created=created, previous_status=previous_status), robust=True
    )


def _dispatch_deal(deal_pk, **kwargs):
    from .models import Deal

    deal = Deal.objects.filter(pk=deal_pk).first()
    if deal is not None:
        _dispatch(deal_changed, None, deal=deal, **kwargs)
