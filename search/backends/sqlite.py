"""SQLite FTS5: external-content table briefs_search_fts over briefs_searchentry, bm25 ranking with
column weights, snippet()/highlight() for the shown page, a trigram FTS5 table for party names."""

import contextlib

from django.db import connection

from ..facets import filter_tokens
from ..query import to_fts5
from ..spelling import swapped_spellings
from .base import FIELD_SEPARATOR, MARK_END, MARK_START, Backend, Candidate

# bm25 weights in column order: title, parties, dek, money, context, body, facets (filters only).
BM25 = "bm25(briefs_search_fts, 10.0, 8.0, 4.0, 4.0, 2.0, 1.0, 0.0)"
SNIPPET_TOKENS = 28
BODY_COLUMN = 5


def _trigram_match(words):
    """Names sharing a trigram with a word or with one of its swapped spellings (search.spelling)."""
    grams = []
    for word in words:
        for spelling in (word, *swapped_spellings(word)):
            grams += [spelling[i : i + 3] for i in range(len(spelling) - 2)]
    return " OR ".join(f'"{gram}"' for gram in dict.fromkeys(grams))


class SQLiteBackend(Backend):
    vendor = "sqlite"
    PUBLISHED_AT = "CAST(e.published_at AS TEXT)"
    AMOUNT = "CAST(e.amount_sort AS REAL)"

    def candidates(self, parsed, filters, now, cap, before=None):
        match = to_fts5(parsed, filter_tokens(filters))
        if not match:
            return []
        older = " AND briefs_search_fts.rowid < %s" if before else ""
        sql = (
            f"SELECT {self.entry_columns('-' + BM25)}"
            " FROM briefs_search_fts JOIN briefs_searchentry e ON e.brief_id = briefs_search_fts.rowid"
            f" WHERE briefs_search_fts MATCH %s AND e.published_at <= %s{older}"
            " ORDER BY briefs_search_fts.rowid DESC LIMIT %s"
        )
        params = [match, self.adapt_datetime(now), *([before] if before else []), cap]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Candidate._make(row) for row in cursor.fetchall()]

    def count(self, parsed, filters, now, limit):
        match = to_fts5(parsed, filter_tokens(filters))
        if not match:
            return 0
        sql = (
            "SELECT COUNT(*) FROM (SELECT 1 FROM briefs_search_fts"
            " JOIN briefs_searchentry e ON e.brief_id = briefs_search_fts.rowid"
            " WHERE briefs_search_fts MATCH %s AND e.published_at <= %s LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, self.adapt_datetime(now), limit])
            return cursor.fetchone()[0]

    def page_highlights(self, parsed, ids):
        """One MATCH for the whole page. FTS5 evaluates a MATCH once per rowid it is handed, so
        the ids are a residual filter (+rowid) inside a rowid range rather than an index lookup:
        a prefix query expands once, not once per result."""
        match = to_fts5(parsed)
        if not match or not ids:
            return {}
        marks = f"'{MARK_START}', '{MARK_END}'"
        sql = (
            f"SELECT rowid, highlight(briefs_search_fts, 0, {marks}) || '{FIELD_SEPARATOR}' ||"
            f" snippet(briefs_search_fts, {BODY_COLUMN}, {marks}, '…', {SNIPPET_TOKENS})"
            " FROM briefs_search_fts WHERE briefs_search_fts MATCH %s AND rowid BETWEEN %s AND %s"
            f" AND +rowid IN ({', '.join(['%s'] * len(ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, min(ids), max(ids), *ids])
            return dict(cursor.fetchall())

    def party_candidates(self, words, now, limit=50):
        match = _trigram_match(words)
        if not match:
            return []
        sql = (
            "SELECT t.rowid, t.name FROM briefs_party_trgm t WHERE briefs_party_trgm MATCH %s"
            " AND EXISTS (SELECT 1 FROM briefs_briefparty bp JOIN briefs_searchentry e ON e.brief_id = bp.brief_id"
            " WHERE bp.party_id = t.rowid AND e.published_at <= %s)"
            " ORDER BY rank LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, self.adapt_datetime(now), limit])
            return cursor.fetchall()

    def remember_parties(self, names):
        if not names:
            return
        ids = list(names)
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                cursor.execute(
                    f"DELETE FROM briefs_party_trgm WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk
                )
                cursor.executemany(
                    "INSERT INTO briefs_party_trgm(rowid, name) VALUES (%s, %s)", [(pk, names[pk]) for pk in chunk]
                )

    def rebuild_parties(self):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM briefs_party_trgm")
            cursor.execute(
                "INSERT INTO briefs_party_trgm(rowid, name) SELECT p.id, p.name FROM briefs_party p"
                " WHERE p.id IN (SELECT bp.party_id FROM briefs_briefparty bp"
                " JOIN briefs_searchentry e ON e.brief_id = bp.brief_id)"
            )

    def analyze(self):
        # Without statistics SQLite prefers the (status, published_at) index over a primary-key list
        # for the result page. A full ANALYZE takes about a second at 100k briefs; a sampled one
        # (analysis_limit) misjudges partial indexes (the live-briefs index counted at 3.4 times the
        # table), and every query on the live statuses then reads the whole table instead.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    @contextlib.contextmanager
    def bulk_load(self):
        """Load entries without per-row triggers, then build the FTS index in one pass."""
        from ..schema import SQLITE_TRIGGERS

        with connection.cursor() as cursor:
            for name in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS briefs_searchentry_{name}")
            cursor.execute("INSERT INTO briefs_search_fts(briefs_search_fts) VALUES ('delete-all')")
        yield
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO briefs_search_fts(briefs_search_fts) VALUES ('rebuild')")
            for statement in SQLITE_TRIGGERS:
                cursor.execute(statement)
