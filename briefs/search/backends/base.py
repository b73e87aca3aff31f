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


class Backend:
    vendor = ""

    def candidates(self, parsed, filters, now, cap):
        """Up to `cap` matching entries, newest first, live at `now` and passing `filters`."""
        raise NotImplementedError

    def page_annotations(self, parsed):
        """RawSQL annotations for the displayed briefs: `search_highlights` (title and snippet,
        FIELD_SEPARATOR between) and `search_deal_line` (JSON)."""
        raise NotImplementedError

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

    # Shared helpers --------------------------------------------------------------------------

    @staticmethod
    def adapt_datetime(value):
        return connection.ops.adapt_datetimefield_value(value)

    @staticmethod
    def filter_sql(filters, now_param):
        """WHERE fragments on entry alias `e` for the facet filters and the visibility clock."""
        sql, params = ["e.published_at <= %s"], [now_param]
        if filters.get("deal_type"):
            sql.append("e.deal_type = %s")
            params.append(filters["deal_type"])
        if filters.get("currency"):
            sql.append("e.currency = %s")
            params.append(filters["currency"])
        if filters.get("year"):
            sql.append("e.year = %s")
            params.append(int(filters["year"]))
        if filters.get("party"):
            sql.append(
                "e.brief_id IN (SELECT bp.brief_id FROM briefs_briefparty bp"
                " JOIN briefs_party p ON p.id = bp.party_id WHERE p.slug = %s)"
            )
            params.append(filters["party"])
        return " AND ".join(sql), params

    # published_at and amount_sort only sort candidates, so each backend may return them in a cheap
    # sortable form (SQLite: ISO text and REAL, skipping the driver's per-row type converters).
    ENTRY_COLUMNS = "e.brief_id, {score}, {published_at}, e.deal_type, e.currency, e.year, {amount}, e.party_ids"
    PUBLISHED_AT = "e.published_at"
    AMOUNT = "e.amount_sort"

    def entry_columns(self, score):
        return self.ENTRY_COLUMNS.format(score=score, published_at=self.PUBLISHED_AT, amount=self.AMOUNT)
