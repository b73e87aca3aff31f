"""What both caches store, under which key, when they may store it, and how they answer from it.

An entry is the response's bytes with its validators (ETag, Last-Modified), so a hit is answered
without rendering anything and a conditional request without even that. Its key holds the release,
the content state's generation and everything else the representation depends on, so a write moves
the key of every response that shows what it wrote, and a scheduled go-live or a deploy every key:
nothing is ever invalidated, old entries are just never asked for again and expire.

An entry is stored when the transaction that read it commits — at once in autocommit, the normal
case for a read — and never if that transaction rolls back: a request inside a transaction that
wrote could otherwise store content that never becomes visible, under the version number the next
committed write then reaches.
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from dealsite import compression

from .state import RELEASE


class Entry(tuple):
    """(body, content_type, etag, last_modified, gzipped): a plain tuple pickles and unpickles
    fastest. `gzipped` is the body's gzip bytes (dealsite.compression), made once when stored."""

    __slots__ = ()

    def __new__(cls, body, content_type, etag, last_modified, gzipped=None):
        return super().__new__(cls, (body, content_type, etag, last_modified, gzipped))

    def __reduce__(self):
        return (Entry, tuple(self))

    body = property(lambda self: self[0])
    content_type = property(lambda self: self[1])
    etag = property(lambda self: self[2])
    last_modified = property(lambda self: self[3])
    gzipped = property(lambda self: self[4])
    size = property(lambda self: len(self[0]) + len(self[4] or b""))


class LocalEntries:
    """This process's most recently used entries (pages and API responses) and state times, bounded
    in bytes (PAGE_CACHE_LOCAL_BYTES). Keyed like the shared cache, by the state, so never stale; a
    hit read here skips the shared cache's round trip and unpickling."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()
        self.size = 0
        self.times = OrderedDict()

    def get_time(self, generation):
        with self.lock:
            return self.times.get(generation)

    def put_time(self, generation, when):
        with self.lock:
            self.times[generation] = when
            while len(self.times) > 16:
                self.times.popitem(last=False)

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        size = entry.size
        if size > limit // 4:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = entry
            self.size += size
            while self.size > limit:
                _, dropped = self.entries.popitem(last=False)
                self.size -= dropped.size

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.times.clear()
            self.size = 0


local = LocalEntries()


def read_entry(key):
    """The entry stored under `key`: this process's copy, else the shared cache's (copied here)."""
    entry = local.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            local.put(key, entry)
    return entry


def identity_digest(identity):
    """A digest of what a representation depends on besides the content state, with the release."""
    return hashlib.sha256(f"{RELEASE}|{identity}".encode()).hexdigest()[:32]


def entry_key(kind, state, digest):
    return f"dealsite:{kind}:{state.generation}:{digest}"


def store_when_committed(key, entry, timeout, also=None):
    """Put `entry` in the default cache (and `also(key, entry)`, e.g. a process-local copy) once the
    reads it was made from are committed; never if their transaction rolls back."""

    def store():
        cache.set(key, entry, timeout)
        if also is not None:
            also(key, entry)

    transaction.on_commit(store)


# RFC 9211: whether the response came from this site's cache (`hit`) or was made for this request
# and stored (`fwd=miss; stored`), so operators and benchmarks can measure the hit rate from outside.
CACHE_STATUS = "Cache-Status"
HIT = "dealsite; hit"
STORED_MISS = "dealsite; fwd=miss; stored"
COLLAPSED = "dealsite; fwd=miss; collapsed"  # waited for another request's render of the same entry

MAKING_LOCK_SECONDS = 30  # longer than any render; the lock of a process that died expires
MAKING_WAIT_SECONDS = 10
MAKING_POLL_SECONDS = 0.02


def made_once(key, make):
    """(what `make()` returns, its Cache-Status) with one render per entry however many ask at once.

    When a popular page's key moves, every request for it misses together. The first takes a lock
    in the shared cache and makes the entry (`make()` stores it and returns it, or returns a response
    that is not cached, e.g. a 404); the others wait for that entry, which is keyed by the same
    state, so none serves anything older. A waiter renders itself when the lock is gone with no
    entry (the render was not cacheable, or happened in a transaction not yet committed) or after
    MAKING_WAIT_SECONDS. With the local-memory cache the lock is per process, which still bounds the
    renders by the number of processes.
    """
    lock = f"{key}:making"
    if cache.add(lock, 1, MAKING_LOCK_SECONDS):
        try:
            return make(), STORED_MISS
        finally:
            cache.delete(lock)
    deadline = time.monotonic() + MAKING_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(MAKING_POLL_SECONDS)
        entry = cache.get(key)
        if entry is not None:
            return entry, COLLAPSED
        if cache.get(lock) is None:
            break
    return make(), STORED_MISS


def with_validators(request, response, etag, last_modified):
    """`response` with its ETag and Last-Modified, or the 304 (or 412) the request's conditional
    headers call for instead, by Django's reading of RFC 9110."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


def answer(request, entry, headers=(), status=HIT):
    """The stored representation (with `headers`) in the encoding the request accepts, or the
    conditional answer to the request."""
    response = HttpResponse(entry.body, content_type=entry.content_type)
    response[CACHE_STATUS] = status
    for name, value in dict(headers).items():
        response[name] = value
    response = with_validators(request, response, entry.etag, entry.last_modified)
    return compression.encode(request, response, entry.gzipped)
