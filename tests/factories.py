"""Small builders for test data; each returns saved, rendered objects."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from briefs.models import Brief, Party, Quote, Source
from briefs.services.saving import Links, save_brief

from .committing import as_committed

_counter = itertools.count(1)


def make_party(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Party {n}")
    fields.setdefault("slug", f"party-{n}")
    return Party.objects.create(**fields)


def make_source(**fields):
    n = next(_counter)
    fields.setdefault("key", f"source-{n}")
    fields.setdefault("title", f"Source {n}")
    fields.setdefault("publisher", "Example News")
    fields.setdefault("url", f"https://news.example.com/{n}")
    return Source.objects.create(**fields)


def make_quote(speaker=None, source=None, **fields):
    n = next(_counter)
    fields.setdefault("key", f"quote-{n}")
    fields.setdefault("text", f"Quoted words number {n}.")
    return Quote.objects.create(speaker=speaker or make_party(kind="person"), source=source, **fields)


def make_brief(body="A plain brief.", *, parties=(), sources=(), quotes=(), notes=(), published=True, **fields):
    """A brief with its links; `parties` is [(party, role)], `notes` is [(key, text)]."""
    n = next(_counter)
    fields.setdefault("title", f"Brief {n}")
    fields.setdefault("slug", f"brief-{n}")
    fields.setdefault("dek", f"Summary of brief {n}.")
    fields.setdefault("announced_on", datetime.date(2024, 1, 1))
    fields.setdefault("amount", Decimal("1000000.00"))
    fields.setdefault("currency", "USD")
    if published:
        fields.setdefault("status", "published")
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    with as_committed():
        return save_brief(
            Brief(body=body, **fields),
            links=Links(parties=list(parties), sources=list(sources), quotes=list(quotes), notes=list(notes)),
            comment="Made by a test.",
        )
