"""PostgreSQL: weighted tsvector (generated column `document`, GIN index), websearch_to_tsquery,
ts_rank, ts_headline for the shown page, pg_trgm on party names for "did you mean"."""

from django.db import connection
from django.db.models.expressions import RawSQL

from ..facets import filter_tokens
from ..query import to_tsquery_sql
from ..spelling import swapped_spellings
from .base import FIELD_SEPARATOR, MARK_END, MARK_START, Backend, Candidate

TITLE_OPTIONS = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}"
BODY_OPTIONS = (
    f'MaxFragments=2, MinWords=10, MaxWords=24, FragmentDelimiter=" … ", StartSel={MARK_START}, StopSel={MARK_END}'
)


class PostgresBackend(Backend):
    vendor = "postgresql"

    def candidates(self, parsed, filters, now, cap, before=None):
        tsquery, params = to_tsquery_sql(parsed, filter_tokens(filters))
        if not tsquery:
            return []
        older = " AND e.brief_id < %s" if before else ""
        sql = (
            f"SELECT {self.entry_columns('ts_rank(e.document, qq.q)')}"
            f" FROM briefs_searchentry e, (SELECT {tsquery} AS q) qq"
            f" WHERE e.document @@ qq.q AND e.published_at <= %s{older}"
            " ORDER BY e.brief_id DESC LIMIT %s"
        )
        params = [*params, now, *([before] if before else []), cap]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Candidate._make(row) for row in cursor.fetchall()]

    def count(self, parsed, filters, now, limit):
        tsquery, params = to_tsquery_sql(parsed, filter_tokens(filters))
        if not tsquery:
            return 0
        sql = (
            "SELECT COUNT(*) FROM (SELECT 1"
            f" FROM briefs_searchentry e, (SELECT {tsquery} AS q) qq"
            " WHERE e.document @@ qq.q AND e.published_at <= %s LIMIT %s) matches"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, now, limit])
            return cursor.fetchone()[0]

    def page_annotations(self, parsed):
        annotations = {}
        tsquery, query_params = to_tsquery_sql(parsed)
        if tsquery:
            annotations["search_highlights"] = RawSQL(
                "(SELECT ts_headline('english', e.title, qq.q, %s) || %s || ts_headline('english', e.body, qq.q, %s)"
                f" FROM briefs_searchentry e, (SELECT {tsquery} AS q) qq WHERE e.brief_id = briefs_brief.id)",
                [TITLE_OPTIONS, FIELD_SEPARATOR, BODY_OPTIONS, *query_params],
            )
        return annotations

    def analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE briefs_searchentry")

    def party_candidates(self, words, now, limit=50):
        if not words:
            return []
        # A swap of neighbouring letters changes most trigrams of a short word, so the swapped
        # spellings are looked up too (search.spelling), as on SQLite.
        words = list(dict.fromkeys(spelling for word in words for spelling in (word, *swapped_spellings(word))))
        # Thresholds below pg_trgm's defaults (0.3 / 0.6), so typos like "Newnome" still qualify; the
        # service then ranks them with the same similarity as SQLite. Parties are few: a scan is fine.
        similar = " OR ".join(["similarity(p.name, %s) >= 0.25 OR word_similarity(%s, p.name) >= 0.4"] * len(words))
        sql = (
            f"SELECT p.id, p.name FROM briefs_party p WHERE ({similar})"
            " AND EXISTS (SELECT 1 FROM briefs_briefparty bp JOIN briefs_searchentry e ON e.brief_id = bp.brief_id"
            " WHERE bp.party_id = p.id AND e.published_at <= %s)"
            " LIMIT %s"
        )
        params = [w for word in words for w in (word, word)] + [now, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
