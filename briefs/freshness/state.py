"""The content state every cached response is keyed by, read once per request.

The version is read before the content a response shows, so an entry can only ever hold content at
least as new as its key: it is never stale. Two things the database triggers do not watch are bumped
here by signals: authors linked to a brief, and a user's name (shown as the byline); logging in
changes nothing a page shows and bumps nothing.
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone


def _release_token():
    """Changes with every deploy, so a new template or serializer never answers under an old key or ETag.

    RELEASE (e.g. the git revision) when set, else a digest of the templates, static files and the
    app's code as deployed (names, sizes, modification times).
    """
    if os.environ.get("RELEASE"):
        return os.environ["RELEASE"]
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in ("templates", "static", "briefs", "dealsite"):
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".css", ".js", ".py", ".svg"}:
                stat = path.stat()
                digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


RELEASE = _release_token()


class ContentState:
    """The content version and the next go-live time, as one short ``generation`` string."""

    __slots__ = ("generation", "next_live", "version")

    def __init__(self, version, next_live):
        self.version = version
        self.next_live = next_live
        # The next go-live time as the database returns it (text on SQLite, a datetime on
        # PostgreSQL): only its identity matters, and str() of it is the same in every process.
        upcoming = hashlib.sha1(str(next_live).encode()).hexdigest()[:10] if next_live is not None else "0"
        self.generation = f"{version:x}.{upcoming}"


_STATE_SQL = {}


def _state_sql():
    """(SQL, its status parameters) for this database, built once."""
    from ..models import Brief, ContentVersion
    from ..models.briefs import LIVE_STATUSES

    sql = _STATE_SQL.get(connection.vendor)
    if sql is None:
        version_table = connection.ops.quote_name(ContentVersion._meta.db_table)
        brief_table = connection.ops.quote_name(Brief._meta.db_table)
        placeholders = ", ".join(["%s"] * len(LIVE_STATUSES))
        sql = _STATE_SQL[connection.vendor] = (
            f"SELECT (SELECT MAX(counter) FROM {version_table}), "
            f"(SELECT MIN(published_at) FROM {brief_table} WHERE status IN ({placeholders}) AND published_at > %s)",
            [str(status) for status in LIVE_STATUSES],
        )
    return sql


def read_state():
    """The ContentState as it is now (one query), or None without a ContentVersion row: with no
    counter for the triggers to bump, nothing may be cached."""
    sql, live_statuses = _state_sql()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [*live_statuses, now])
        version, next_live = cursor.fetchone()
    return ContentState(version, next_live) if version is not None else None


_UNREAD = object()


def request_state(request):
    """The request's ContentState (or None), read at its first use and kept on the request, so the
    early middleware and the view it falls through to share one query. DRF's Request wraps the
    HttpRequest the middleware saw; the state is kept on the HttpRequest."""
    request = getattr(request, "_request", request)
    state = getattr(request, "_content_state", _UNREAD)
    if state is _UNREAD:
        state = request._content_state = read_state()
    return state


# ----------------------------------------------------------------------------- bumps the triggers cannot make


def content_changed():
    """Bump the content version, for changes the database triggers do not see (authors, users)."""
    from ..models import ContentVersion

    if not ContentVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def _user_changed(sender, instance=None, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields and set(update_fields) <= {"last_login", "password"}):
        return  # logging in or a new password changes nothing a page shows
    content_changed()


def _authors_changed(sender, action=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed()


def connect_signals():
    from ..models import Brief

    user = get_user_model()
    post_save.connect(_user_changed, sender=user, dispatch_uid="content-version-user-saved")
    post_delete.connect(_user_changed, sender=user, dispatch_uid="content-version-user-deleted")
    m2m_changed.connect(_authors_changed, sender=Brief.authors.through, dispatch_uid="content-version-authors")
