"""PostgreSQL-only checks of the search engine: the weighted tsvector, the GIN index, pg_trgm.

Skipped with a reason on SQLite locally; .ci/run runs the suite on PostgreSQL too (and deselects
this module from its SQLite run, since CI turns skips into failures)."""

import pytest
from django.db import connection

from search.backends.postgres import PostgresBackend
from search.query import parse, to_tsquery_sql
from tests.factories import make_brief, make_party

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_document_is_weighted_by_field(postgres_only):
    party = make_party(name="Kestrel Labs")
    brief = make_brief("Body words about turbines.", title="Title words", dek="Dek words", parties=[(party, "target")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT document::text FROM briefs_searchentry WHERE brief_id = %s", [brief.pk])
        document = cursor.fetchone()[0]
    assert "'titl':1A" in document and "'kestrel':" in document and "A" in document.split("'kestrel':")[1][:4]
    assert "'dek':" in document and "'turbin':" in document and document.split("'turbin':")[1][0].isdigit()


def test_queries_use_websearch_to_tsquery_and_the_gin_index(postgres_only):
    sql, params = to_tsquery_sql(parse('amazon "minority stake" -microsoft anthro* 4bn'))
    assert sql.count("websearch_to_tsquery") == 3 and "!!" in sql and "amount4000000000" in params
    assert "anthro:*" in params
    for n in range(30):
        make_brief(f"Filler text number {n}.")
    make_brief("A rare zircon deal.")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT brief_id FROM briefs_searchentry e, (SELECT {sql} AS q) qq WHERE e.document @@ qq.q",
            params,
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "briefs_searchentry_document_gin" in plan


def test_pg_trgm_finds_party_names_for_suggestions(postgres_only):
    party = make_party(name="Anthropic")
    make_brief("Text.", parties=[(party, "target")])
    from django.utils import timezone

    assert PostgresBackend().party_candidates(["antropic"], timezone.now()) == [(party.pk, "Anthropic")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
