"""Short source keys: publisher-yyyy-mm-dd, the form editors type in markup ([$4 billion](source:KEY)).

A key made from the whole title is long and hard to type right; the publisher and the date are what
an editor remembers. The admin's key field is filled by the same rule in the browser
(static/briefs_admin/source_key.js) until the editor types a key of their own; a key left blank is
filled here.
"""

from django.utils.text import slugify

from ..models import Source

PUBLISHER_CHARS = 40
TITLE_WORDS = 4


def suggest_key(publisher="", published_on=None, title=""):
    """publisher-yyyy-mm-dd; without a date, the publisher and the title's first words."""
    publisher_part = slugify(publisher)[:PUBLISHER_CHARS].strip("-")
    if published_on is not None:
        date_part = published_on.strftime("%Y-%m-%d")
        return f"{publisher_part}-{date_part}" if publisher_part else f"{_first_words(title)}-{date_part}".strip("-")
    return "-".join(part for part in (publisher_part, _first_words(title)) if part) or "source"


def unique_key(key, exclude_pk=None):
    """`key`, or `key-2`, `key-3`… when another source has it."""
    taken = set(Source.objects.filter(key__startswith=key).exclude(pk=exclude_pk).values_list("key", flat=True))
    candidate, n = key, 1
    while candidate in taken:
        n += 1
        candidate = f"{key}-{n}"
    return candidate


def _first_words(title):
    return "-".join(slugify(title).split("-")[:TITLE_WORDS])
