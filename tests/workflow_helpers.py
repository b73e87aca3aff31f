"""Users in the editorial roles, and an event recorder, for the workflow tests."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from briefs import events

from .committing import as_committed

_counter = itertools.count(1)


def make_user(role=None, **fields):
    """A staff user in group `role` ("Writer", "Editor"), a superuser for "admin", or no group."""
    n = next(_counter)
    fields.setdefault("username", f"{(role or 'user').lower()}{n}")
    fields.setdefault("first_name", f"{role or 'User'}")
    fields.setdefault("last_name", f"Number{n}")
    user = get_user_model().objects.create_user(password="pw-for-tests-only", is_staff=True, **fields)
    if role == "admin":
        user.is_superuser = True
        user.save()
    elif role:
        user.groups.add(Group.objects.get(name=role))
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions


class EventRecorder:
    """Connects to every brief event; `.calls` lists (event name, brief id, transition id).

    Events are sent once the transaction commits: the recorder runs, when its block ends, the
    on-commit callbacks registered inside it, as the commit of that work would."""

    SIGNALS = {
        "published": events.brief_published,
        "withdrawn": events.brief_withdrawn,
        "changed": events.brief_changed,
    }

    def __init__(self):
        self.calls = []
        self._receivers = {}

    def __enter__(self):
        for name, signal in self.SIGNALS.items():

            def receiver(sender, brief, transition=None, user=None, _name=name, **kwargs):
                self.calls.append((_name, brief.pk, transition.pk if transition else None))

            self._receivers[name] = receiver
            signal.connect(receiver, weak=False)
        self._committed = as_committed()
        self._committed.__enter__()
        return self

    def __exit__(self, *exc):
        try:
            self._committed.__exit__(*exc)
        finally:
            for name, signal in self.SIGNALS.items():
                signal.disconnect(self._receivers[name])

    def of(self, name):
        return [call for call in self.calls if call[0] == name]
