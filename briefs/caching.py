"""Whole-response caching for the public pages that never serves stale content.

One mechanism: a site-wide **content generation**, a counter in the (shared) cache.

* Every change to anything a public page shows bumps it: saves and deletes of every model of this
  app and of users (authors' names), many-to-many changes (authors, related briefs), and the
  renderer's bulk writes (``content_changed()`` is called there). Bumps happen at once and again
  when the transaction commits, so a page rendered from pre-commit data is stored under a dead key.
* Time is part of visibility: a scheduled brief goes live when its publication time passes, with no
  write at all. The state of a generation records the next publication time; the first request
  after it bumps the generation (``Brief.objects.next_publication_after``).
* A page's cache key and its ETag are made of the release, the generation and the absolute URL, so
  a bump invalidates every page and every ETag at once; Last-Modified is the time the generation's
  state was first read, which is never earlier than the last change. Conditional GETs get a 304
  without touching the database or the cached body.

Keys live in the default cache, which must be shared by all app processes (Redis: ``REDIS_URL``) for
invalidation to reach every process; page caching is therefore on by default only with Redis
(``PAGE_CACHE``). Responses are the same for every visitor, so none of this reads the session.

A request costs one read of the shared cache (the generation). What belongs to one generation never
changes — its state and its pages — so each process also keeps recent ones in memory (a small LRU
bounded in bytes, ``PAGE_CACHE_LOCAL_BYTES``), keyed by the generation: never stale, since every
request still reads the current generation.
"""
import datetime
import hashlib
import os
import threading
import time
from collections import OrderedDict
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag

GENERATION_KEY = "dealsite:content:generation"
STATE_KEY = "dealsite:content:state:{}"


# ----------------------------------------------------------------------------- release token


def _release_token():
    """Changes with every deploy, so a new template never answers under an old page's key or ETag.

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


# ----------------------------------------------------------------------------- the generation


def _initial_generation():
    # Milliseconds since the epoch: a flushed cache never restarts at a number an old ETag carries.
    return int(time.time() * 1000)


def content_changed():
    """Bump the generation now and again when the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # missing (first use, evicted or flushed)
        if not cache.add(GENERATION_KEY, _initial_generation(), timeout=None):
            cache.incr(GENERATION_KEY)


class _LocalPages:
    """This process's most recently used pages and generation states, bounded in bytes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages = OrderedDict()
        self.size = 0
        self.states = OrderedDict()

    def get_state(self, generation):
        with self.lock:
            return self.states.get(generation)

    def put_state(self, generation, state):
        with self.lock:
            self.states[generation] = state
            while len(self.states) > 8:
                self.states.popitem(last=False)

    def get(self, key):
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        size = len(entry[1])
        if size > limit // 4:
            return
        with self.lock:
            if key in self.pages:
                return
            self.pages[key] = entry
            self.size += size
            while self.size > limit:
                _, (_, dropped) = self.pages.popitem(last=False)
                self.size -= len(dropped)

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.states.clear()
            self.size = 0


local = _LocalPages()


def _read_generation():
    """The current generation: the one shared-cache read of every request, so made cheap.

    With Django's Redis backend, one redis client per backend instance (thread) is kept and the raw
    value read (Django stores integers unpickled); elsewhere the cache API is used.
    """
    backend = cache._connections[cache._alias] if hasattr(cache, "_connections") else cache
    fast = backend.__dict__.get("_dealsite_generation_reader")
    if fast is None:
        client = getattr(backend, "_cache", None)
        if client is not None and hasattr(client, "get_client") and hasattr(backend, "make_and_validate_key"):
            redis, key = client.get_client(), backend.make_and_validate_key(GENERATION_KEY)

            def fast():
                raw = redis.get(key)
                return None if raw is None else int(raw)
        else:
            def fast():
                return backend.get(GENERATION_KEY)
        backend._dealsite_generation_reader = fast
    return fast()


def current_state(now=None):
    """{"generation", "changed_at", "next_at"} for the content as it is now; bumps when time has moved it."""
    from .models import Brief

    now = now or time.time()
    for _ in range(3):
        generation = _read_generation()
        if generation is None:
            cache.add(GENERATION_KEY, _initial_generation(), timeout=None)
            continue
        state = local.get_state(generation) or cache.get(STATE_KEY.format(generation))
        if state is not None:
            local.put_state(generation, state)
        if state is None:
            next_at = Brief.objects.next_publication_after(datetime.datetime.fromtimestamp(now, datetime.timezone.utc))
            state = {
                "generation": generation,
                "changed_at": int(now),
                "next_at": next_at.timestamp() if next_at else None,
            }
            if cache.add(STATE_KEY.format(generation), state, timeout=None):
                local.put_state(generation, state)
            return state
        if state["next_at"] is not None and now >= state["next_at"]:
            # A scheduled brief has just gone live by the clock: everything that lists it is stale.
            _bump()
            continue
        return state
    return None  # the cache is not keeping what we write: serve uncached


# ----------------------------------------------------------------------------- signals


def _model_changed(sender, instance=None, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if sender is get_user_model() and update_fields and set(update_fields) <= {"last_login", "password"}:
        return  # logging in changes nothing a page shows
    content_changed()


def _relation_changed(sender, action=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed()


def connect_signals():
    from django.apps import apps

    for model in apps.get_app_config("briefs").get_models():
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"page-cache-save-{model._meta.label}")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"page-cache-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _relation_changed, sender=field.remote_field.through,
                dispatch_uid=f"page-cache-m2m-{model._meta.label}-{field.name}",
            )
    user = get_user_model()
    post_save.connect(_model_changed, sender=user, dispatch_uid="page-cache-save-user")
    post_delete.connect(_model_changed, sender=user, dispatch_uid="page-cache-delete-user")


# ----------------------------------------------------------------------------- the view decorator


def _not_modified(request, etag, last_modified):
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        return "*" in tags or etag in tags or etag.removeprefix("W/") in [t.removeprefix("W/") for t in tags]
    if_modified_since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return if_modified_since is not None and last_modified <= if_modified_since


def cached_page(view=None, *, query_params=()):
    """Cache a public GET view's 200 responses under the content generation; answer 304s.

    Only requests whose query string uses nothing but `query_params` are cached (others are served
    directly), so arbitrary query strings cannot fill the cache.
    """
    allowed = frozenset(query_params)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                not settings.PAGE_CACHE
                or request.method not in ("GET", "HEAD")
                or not set(request.GET).issubset(allowed)
            ):
                return view(request, *args, **kwargs)
            state = current_state()
            if state is None:
                return view(request, *args, **kwargs)
            url = request.build_absolute_uri()
            digest = hashlib.sha256(f"{RELEASE}|{url}".encode()).hexdigest()[:20]
            etag = quote_etag(f"{state['generation']:x}-{digest}")
            headers = {
                "ETag": etag,
                "Last-Modified": http_date(state["changed_at"]),
                "Cache-Control": f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, must-revalidate",
            }
            if _not_modified(request, etag, state["changed_at"]):
                response = HttpResponseNotModified()
            else:
                key = f"dealsite:page:{state['generation']}:{digest}"
                entry = local.get(key)
                if entry is None:
                    entry = cache.get(key)
                    if entry is not None:
                        local.put(key, entry)
                if entry is None:
                    response = view(request, *args, **kwargs)
                    if response.status_code != 200 or response.streaming or response.cookies:
                        return response
                    if hasattr(response, "render") and callable(response.render):
                        response.render()
                    entry = (response["Content-Type"], response.content)
                    cache.set(key, entry, timeout=settings.PAGE_CACHE_TIMEOUT)
                    local.put(key, entry)
                else:
                    content_type, content = entry
                    response = HttpResponse(content, content_type=content_type)
            for name, value in headers.items():
                response[name] = value
            return response

        wrapper.cached_page = True
        return wrapper

    return decorator(view) if view is not None else decorator
