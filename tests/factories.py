"""Small builders for test data; each returns saved, rendered objects."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from briefs.models import Brief, BriefParty, BriefQuote, BriefSource, Note, Party, Quote, Source
from briefs.services.rendering import render_brief

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
    brief = Brief.objects.create(body=body, **fields)
    for position, (party, role) in enumerate(parties):
        BriefParty.objects.create(brief=brief, party=party, role=role, position=position)
    for position, source in enumerate(sources):
        BriefSource.objects.create(brief=brief, source=source, position=position)
    for position, quote in enumerate(quotes):
        BriefQuote.objects.create(brief=brief, quote=quote, position=position)
    for position, (key, text) in enumerate(notes):
        Note.objects.create(brief=brief, key=key, text=text, position=position)
    render_brief(brief)
    brief.refresh_from_db()
    return brief
