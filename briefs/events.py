"""The one hook for everything that reacts to a brief going live, changing or going away.

Other features (search index, caches, feeds, webhooks) connect receivers here:

    from briefs import events

    @receiver(events.brief_published)
    def index(sender, brief, transition, **kwargs): ...

Each signal is sent once per real transition (or, for brief_changed, once per saved change of a live
brief), inside the database transaction that records it: the scheduler and the transition services
claim the row with a conditional UPDATE first, so two workers racing send it once. (Transitions also
save the brief's status with save(), so plain post_save receivers see status changes too.) Receivers that do
external work (HTTP calls, index writes on another system) should enqueue it with
``transaction.on_commit`` so that it happens only if the transition commits.

Arguments: ``brief`` (the Brief, already in its new state), ``transition`` (the Transition row, or
None for brief_changed), ``user`` (who did it, or None for the scheduler).
"""

from django.dispatch import Signal

brief_transitioned = Signal()  # any status change (submit, review, schedule, publish, withdraw…)
brief_published = Signal()  # the brief became public (published now, or a scheduled time was finalised)
brief_withdrawn = Signal()  # the brief left every public path
brief_changed = Signal()  # a live brief's content was saved or restored


def send_transition(brief, transition, user=None):
    """Every transition: brief_transitioned, then brief_published / brief_withdrawn when it is one."""
    brief_transitioned.send(sender=brief.__class__, brief=brief, transition=transition, user=user)
    if transition.to_status == "published":
        send_published(brief, transition, user)
    elif transition.to_status == "withdrawn":
        send_withdrawn(brief, transition, user)


def send_published(brief, transition=None, user=None):
    brief_published.send(sender=brief.__class__, brief=brief, transition=transition, user=user)


def send_withdrawn(brief, transition=None, user=None):
    brief_withdrawn.send(sender=brief.__class__, brief=brief, transition=transition, user=user)


def send_changed(brief, user=None):
    """Call after a brief's content is saved; only live briefs concern the public side."""
    if brief.is_live:
        brief_changed.send(sender=brief.__class__, brief=brief, transition=None, user=user)
