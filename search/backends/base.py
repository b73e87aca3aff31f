"""What every engine provides. SQL stays in the backends; everything else is shared (service.py)."""

import contextlib
from typing import NamedTuple

from django.db import connection

# Private-use characters mark highlights inside engine output; the service escapes the text and
# turns them into <mark>. Chosen because no brief contains them and no engine treats them specially.
MARK_START = "\ue000"
MARK_END = "\ue001"
FIELD_SEPARATOR = "\x1e"


class Candidate(NamedTuple):
    brief_id: int
    score: float  # higher is more relevant
    published_at: object  # sortable: datetime or ISO text
    deal_type: str
    currency: str
    year: int | None
    amount: object  # sortable number or None
    party_ids: str  # space-separated ids
    deal_line: object  # [[name, slug, role, party id], …], as JSON text or already decoded
    deal_facts: object  # search.documents.deal_facts() plus "parties", as JSON text or already decoded


class Backend:
    vendor = ""

    def candidates(self, parsed, filters, now, cap, before=None):
        """Up to `cap` entries matching the text and the filters, newest first, live at `now`, with a
        brief id below `before` if given (the next window of older matches: keyset paging).
        Filters are index tokens (search.facets), so the engine intersects them."""
        raise NotImplementedError

    def count(self, parsed, filters, now, limit):
        """How many entries match, counting no further than `limit`."""
        raise NotImplementedError

    def page_annotations(self, parsed):
        """RawSQL annotations for the displayed briefs' query, e.g. `search_highlights` (title and
        snippet, FIELD_SEPARATOR between)."""
        return {}

    def page_highlights(self, parsed, ids):
        """{brief id: highlights} from one separate query, or None when page_annotations does it."""
        return None

    def party_candidates(self, words, now, limit=50):
        """(party id, name) of public parties whose names share trigrams with any of `words`."""
        raise NotImplementedError

    def remember_parties(self, names):
        """Note party names for "did you mean" ({id: name}); a no-op where the engine reads Party."""

    def rebuild_parties(self):
        """Rebuild the party-name suggestions from the index; a no-op where not needed."""

    @contextlib.contextmanager
    def bulk_load(self):
        yield

    def analyze(self):
        """Refresh planner statistics after a bulk load."""

    # Shared helpers --------------------------------------------------------------------------

    @staticmethod
    def adapt_datetime(value):
        return connection.ops.adapt_datetimefield_value(value)

    # published_at and amount_sort only sort candidates, so each backend may return them in a cheap
    # sortable form (SQLite: ISO text and REAL, skipping the driver's per-row type converters).
    ENTRY_COLUMNS = (
        "e.brief_id, {score}, {published_at}, e.deal_type, e.currency, e.year, {amount}, e.party_ids, e.deal_line,"
        " e.deal_facts"
    )
    PUBLISHED_AT = "e.published_at"
    AMOUNT = "e.amount_sort"

    def entry_columns(self, score):
        return self.ENTRY_COLUMNS.format(score=score, published_at=self.PUBLISHED_AT, amount=self.AMOUNT)
