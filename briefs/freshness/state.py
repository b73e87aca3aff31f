"""The content state every cached response is keyed by, read once per request.

A response that shows one brief (its page, its API detail, its annotations) or one party (its
page: the views in SCOPED_VIEWS) is keyed by that brief's or party's freshness counter, which row
triggers bump on every write to anything it shows (briefs.models.BriefFreshness, PartyFreshness),
so saving brief A leaves brief B's cached page valid, and the pages of parties A does not touch.
Every other response (lists, home, feeds, deal pages, search) is keyed by the content version,
which every write bumps. Both carry the next go-live time, so a scheduled
brief appears by the clock with no write.

The state is read before the content a response shows, so an entry can only ever hold content at
least as new as its key: it is never stale. Two things the database triggers do not watch are bumped
here by signals: authors linked to a brief, and a user's name (shown as the byline); logging in
changes nothing a page shows and bumps nothing.
"""

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils import timezone

from ..db_triggers import SCOPES

# Views whose response shows one brief or one party, named by the URL's `slug`, and nothing else
# than what that scope's freshness triggers follow (briefs.db_triggers.freshness_rules).
SCOPED_VIEWS = {
    "briefs:brief": "brief",
    "api:brief-detail": "brief",
    "api:annotations": "brief",
    "api:annotation": "brief",
    "api:annotation-page": "brief",
    "briefs:party": "party",
}


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
    """The content version (or, for a brief's or a party's own responses, its id and freshness) and
    the next go-live time, as one short ``generation`` string."""

    __slots__ = ("generation", "next_live", "version")

    def __init__(self, version, next_live, scope=None, scoped_id=None, freshness=None):
        self.version = version
        self.next_live = next_live
        # The next go-live time as the database returns it (text on SQLite, a datetime on
        # PostgreSQL): only its identity matters, and str() of it is the same in every process.
        upcoming = hashlib.sha1(str(next_live).encode()).hexdigest()[:10] if next_live is not None else "0"
        if scoped_id is None:
            self.generation = f"{version:x}.{upcoming}"
        else:  # the id too: a slug may pass to another brief, whose counter may be the same
            self.generation = f"{scope[0]}{scoped_id:x}.{freshness or 0:x}.{upcoming}"


_STATE_SQL = {}


def _state_sql(scope):
    """The SQL for this database and scope, built once. The live statuses are written in as
    constants (they are code's, never input): SQLite uses the partial index on them
    (brief_live_latest_idx) only when it sees them at planning time, and through `?` parameters
    it reads every brief on every cache hit instead."""
    from .. import models
    from ..models.briefs import LIVE_STATUSES

    sql = _STATE_SQL.get((connection.vendor, scope))
    if sql is None:
        quote = connection.ops.quote_name
        version_table = quote(models.ContentVersion._meta.db_table)
        brief_table = quote(models.Brief._meta.db_table)
        statuses = ", ".join(f"'{status}'" for status in LIVE_STATUSES)
        columns = [
            f"(SELECT MAX(counter) FROM {version_table})",
            f"(SELECT MIN(published_at) FROM {brief_table} WHERE status IN ({statuses}) AND published_at > %s)",
        ]
        if scope is not None:
            model, counter_model, column, _ = SCOPES[scope]
            table = quote(getattr(models, model)._meta.db_table)
            fresh_table = quote(getattr(models, counter_model)._meta.db_table)
            columns += [
                f"(SELECT id FROM {table} WHERE slug = %s)",
                f"(SELECT f.counter FROM {fresh_table} f JOIN {table} s ON s.id = f.{column} WHERE s.slug = %s)",
            ]
        sql = _STATE_SQL[connection.vendor, scope] = "SELECT " + ", ".join(columns)
    return sql


def read_state(scope=None, slug=None):
    """The ContentState as it is now (one query), or None without a ContentVersion row: with no
    counter for the triggers to bump, nothing may be cached. With a `scope` ("brief", "party") and
    a `slug`, the state of that brief's or party's own responses (the content version's when nothing
    has the slug: such a response is a 404 or a 410, and nothing about it is cached under it)."""
    scope = scope if slug is not None else None
    sql = _state_sql(scope)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [now] + ([slug, slug] if scope is not None else [])
    version, next_live, *scoped = _fetch_first(sql, params)
    if version is None:
        return None
    return ContentState(version, next_live, scope, *scoped)


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
        urlconf = getattr(request, "urlconf", None) or get_urlconf()
        match = request._freshness_match = _match(get_resolver(urlconf), request.path_info)
    return match


# The most recently resolved paths a process keeps; one beyond them is resolved again (about 50 µs).
RESOLVED_PATHS = 2048


@functools.lru_cache(maxsize=RESOLVED_PATHS)
def _match(resolver, path):
    """The match of `path` (or None), kept per process: resolving walks the URL patterns, about a
    quarter of a page-cache hit's CPU. Keyed by the resolver, which Django makes anew when the URLconf
    changes (clear_url_caches), so a changed URLconf is never answered from here. Only read here (the
    view name, the slug, the view's cache settings); the view gets Django's own match."""
    try:
        return resolver.resolve(path)
    except Resolver404:
        return None


def scope_of(request):
    """(scope, slug) of the one brief or party the request's response shows, or (None, None)."""
    match = resolved(request)
    scope = SCOPED_VIEWS.get(match.view_name) if match is not None else None
    return (scope, match.kwargs.get("slug")) if scope is not None else (None, None)


def request_state(request):
    """The request's ContentState (or None), read at its first use and kept on the request, so the
    early middleware and the view it falls through to share one query. DRF's Request wraps the
    HttpRequest the middleware saw; the state is kept on the HttpRequest."""
    request = getattr(request, "_request", request)
    state = getattr(request, "_content_state", _UNREAD)
    if state is _UNREAD:
        state = request._content_state = read_state(*scope_of(request))
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
