"""The content state every cached response is keyed by, read once per request.

Two scopes. A response that shows one brief (its page, its API detail, its annotations: the views
in BRIEF_SCOPED_VIEWS) is keyed by that brief's freshness counter, which row triggers bump on every
write to anything it shows (briefs.models.BriefFreshness), so saving brief A leaves brief B's
cached page valid. Every other response (lists, home, feeds, party and deal pages, search) is keyed
by the content version, which every write bumps. Both carry the next go-live time, so a scheduled
brief appears by the clock with no write.

The state is read before the content a response shows, so an entry can only ever hold content at
least as new as its key: it is never stale. Two things the database triggers do not watch are bumped
here by signals: authors linked to a brief, and a user's name (shown as the byline); logging in
changes nothing a page shows and bumps nothing.
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import Resolver404, resolve
from django.utils import timezone

# Views whose response shows one brief, named by the URL's `slug`, and nothing that depends on
# other briefs except what that brief's freshness triggers follow (the briefs it links or shares a
# deal with).
BRIEF_SCOPED_VIEWS = frozenset(
    {"briefs:brief", "api:brief-detail", "api:annotations", "api:annotation", "api:annotation-page"}
)


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
_UNREAD = object()


class ContentState:
    """The content version (or, for a brief's own responses, the brief's id and freshness) and the
    next go-live time, as one short ``generation`` string."""

    __slots__ = ("generation", "next_live", "version")

    def __init__(self, version, next_live, brief_id=None, brief_freshness=None):
        self.version = version
        self.next_live = next_live
        # The next go-live time as the database returns it (text on SQLite, a datetime on
        # PostgreSQL): only its identity matters, and str() of it is the same in every process.
        upcoming = hashlib.sha1(str(next_live).encode()).hexdigest()[:10] if next_live is not None else "0"
        if brief_id is None:
            self.generation = f"{version:x}.{upcoming}"
        else:  # the id too: a slug may pass to another brief, whose counter may be the same
            self.generation = f"b{brief_id:x}.{brief_freshness or 0:x}.{upcoming}"


_STATE_SQL = {}


def _state_sql(brief_scoped):
    """(SQL, its status parameters) for this database and scope, built once."""
    from ..models import Brief, BriefFreshness, ContentVersion
    from ..models.briefs import LIVE_STATUSES

    sql = _STATE_SQL.get((connection.vendor, brief_scoped))
    if sql is None:
        quote = connection.ops.quote_name
        version_table = quote(ContentVersion._meta.db_table)
        brief_table = quote(Brief._meta.db_table)
        fresh_table = quote(BriefFreshness._meta.db_table)
        placeholders = ", ".join(["%s"] * len(LIVE_STATUSES))
        columns = [
            f"(SELECT MAX(counter) FROM {version_table})",
            f"(SELECT MIN(published_at) FROM {brief_table} WHERE status IN ({placeholders}) AND published_at > %s)",
        ]
        if brief_scoped:
            columns += [
                f"(SELECT id FROM {brief_table} WHERE slug = %s)",
                f"(SELECT f.counter FROM {fresh_table} f JOIN {brief_table} b ON b.id = f.brief_id WHERE b.slug = %s)",
            ]
        sql = _STATE_SQL[connection.vendor, brief_scoped] = (
            "SELECT " + ", ".join(columns),
            [str(status) for status in LIVE_STATUSES],
        )
    return sql


def read_state(brief_slug=None):
    """The ContentState as it is now (one query), or None without a ContentVersion row: with no
    counter for the triggers to bump, nothing may be cached. With `brief_slug`, the state of that
    brief's own responses (the content version's when no brief has the slug: such a response is a
    404 or a 410, and nothing about it is cached under the brief)."""
    sql, live_statuses = _state_sql(brief_slug is not None)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [*live_statuses, now] + ([brief_slug, brief_slug] if brief_slug is not None else [])
    version, next_live, *brief = _fetch_first(sql, params)
    if version is None:
        return None
    return ContentState(version, next_live, *brief)


def _fetch_first(sql, params):
    """The state query's row. On a connection reused from an earlier request it is the request's
    first query, so it also serves as the connection's health check (CONN_HEALTH_CHECKS), which
    would otherwise cost a `SELECT 1` round trip on every cache hit on PostgreSQL: a connection the
    database dropped fails here, is closed and replaced, and the query runs once more."""
    checking = (
        connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
    )
    if checking:
        connection.health_check_done = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    except (InterfaceError, OperationalError):
        if not checking:
            raise
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def resolved(request):
    """The request's URL match (or None), resolved once per request: the early middleware needs it
    before Django resolves the URL for the view."""
    request = getattr(request, "_request", request)
    match = getattr(request, "_freshness_match", _UNREAD)
    if match is _UNREAD:
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            match = None
        request._freshness_match = match
    return match


def brief_scope(request):
    """The slug of the one brief the request's response shows, or None for any other response."""
    match = resolved(request)
    if match is not None and match.view_name in BRIEF_SCOPED_VIEWS:
        return match.kwargs.get("slug")
    return None


def request_state(request):
    """The request's ContentState (or None), read at its first use and kept on the request, so the
    early middleware and the view it falls through to share one query. DRF's Request wraps the
    HttpRequest the middleware saw; the state is kept on the HttpRequest."""
    request = getattr(request, "_request", request)
    state = getattr(request, "_content_state", _UNREAD)
    if state is _UNREAD:
        state = request._content_state = read_state(brief_scope(request))
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
