"""Who has a brief open in the admin: a heartbeat in the cache (shared by all app servers on Redis).

The change form pings every PRESENCE_TTL/3 seconds and says goodbye when its tab goes away (a beacon
on pagehide); an entry not refreshed within the TTL is gone, so a tab that vanishes without a word
(a crash, a lost network) leaves the others' "also open by" within TTL + one of their own heartbeats.
Read-modify-write on one cache key per brief: a lost update only hides someone for one heartbeat.
"""

import time

from django.conf import settings
from django.core.cache import cache


def _ttl():
    return settings.WORKFLOW["PRESENCE_TTL_SECONDS"]


def heartbeat_interval():
    """Seconds between the change form's heartbeats: three per TTL, so one lost beat drops nobody."""
    return max(1, _ttl() // 3)


def _key(brief_pk):
    return f"briefs:presence:{brief_pk}"


def _live(entries, now):
    return {uid: entry for uid, entry in (entries or {}).items() if now - entry["seen"] < _ttl()}


def display_name(user):
    return user.get_full_name() or user.get_username()


def heartbeat(brief_pk, user):
    """Record that `user` has the brief open; return the others who have it open."""
    now = time.time()
    entries = _live(cache.get(_key(brief_pk)), now)
    entries[user.pk] = {"name": display_name(user), "seen": now}
    cache.set(_key(brief_pk), entries, _ttl())
    return others(brief_pk, user, entries)


def leave(brief_pk, user):
    now = time.time()
    entries = _live(cache.get(_key(brief_pk)), now)
    if entries.pop(user.pk, None) is not None:
        cache.set(_key(brief_pk), entries, _ttl())


def others(brief_pk, user, entries=None):
    now = time.time()
    entries = _live(entries if entries is not None else cache.get(_key(brief_pk)), now)
    return sorted(
        (
            {"name": entry["name"], "seconds_ago": int(now - entry["seen"])}
            for uid, entry in entries.items()
            if uid != user.pk
        ),
        key=lambda entry: entry["name"],
    )
