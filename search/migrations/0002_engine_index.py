"""Each engine's own index over SearchEntry, for its vendor only (Django's models do not describe it).

SQLite: an FTS5 table over SearchEntry's text (external content, porter stemming), kept in step by
triggers on the entry table, and a trigram FTS5 table of party names for "did you mean".
PostgreSQL: pg_trgm, a generated weighted tsvector column with a GIN index, and a trigram GIN index
on party names.

The SQL is frozen here as written (search/schema.py holds the live copy the SQLite backend uses
around bulk loads); model table names come from the historical models' metadata. On SQLite a later
migration that alters the entry table rebuilds it and drops its triggers: search.schema's
post_migrate hook puts them back.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SQLITE_TABLES = [
    "CREATE VIRTUAL TABLE briefs_search_fts USING fts5(title, parties, dek, money, context, body, facets,\n"
    "        content='{entry}', content_rowid='brief_id',\n"
    "        tokenize='porter unicode61 remove_diacritics 2', prefix='3')",
    "CREATE VIRTUAL TABLE briefs_party_trgm USING fts5(name, tokenize='trigram')",
]
SQLITE_TRIGGERS = [
    "CREATE TRIGGER briefs_searchentry_ai AFTER INSERT ON {entry} BEGIN\n"
    "        INSERT INTO briefs_search_fts(rowid, title, parties, dek, money, context, body, facets) VALUES "
    "(new.brief_id, new.title, new.parties, new.dek, new.money, new.context, new.body, new.facets); END",
    "CREATE TRIGGER briefs_searchentry_ad AFTER DELETE ON {entry} BEGIN\n"
    "        INSERT INTO briefs_search_fts(briefs_search_fts, rowid, title, parties, dek, money, context, body, "
    "facets)\n"
    "        VALUES ('delete', old.brief_id, old.title, old.parties, old.dek, old.money, old.context, old.body, "
    "old.facets); END",
    "CREATE TRIGGER briefs_searchentry_au AFTER UPDATE ON {entry} BEGIN\n"
    "        INSERT INTO briefs_search_fts(briefs_search_fts, rowid, title, parties, dek, money, context, body, "
    "facets)\n"
    "        VALUES ('delete', old.brief_id, old.title, old.parties, old.dek, old.money, old.context, old.body, "
    "old.facets);\n"
    "        INSERT INTO briefs_search_fts(rowid, title, parties, dek, money, context, body, facets) VALUES "
    "(new.brief_id, new.title, new.parties, new.dek, new.money, new.context, new.body, new.facets); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS briefs_searchentry_ai",
    "DROP TRIGGER IF EXISTS briefs_searchentry_ad",
    "DROP TRIGGER IF EXISTS briefs_searchentry_au",
    "DROP TABLE IF EXISTS briefs_search_fts",
    "DROP TABLE IF EXISTS briefs_party_trgm",
]
POSTGRESQL = [
    "ALTER TABLE {entry} ADD COLUMN document tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(parties, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(dek, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(money, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(context, '')), 'C') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'D') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(facets, '')), 'D')) STORED",
    "CREATE INDEX briefs_searchentry_document_gin ON {entry} USING gin (document)",
    "CREATE INDEX briefs_party_name_trgm ON {party} USING gin (name gin_trgm_ops)",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS briefs_party_name_trgm", "ALTER TABLE {entry} DROP COLUMN IF EXISTS document"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        names = {
            "entry": apps.get_model("search", "SearchEntry")._meta.db_table,
            "party": apps.get_model("briefs", "Party")._meta.db_table,
        }
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement.format(**names), params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("briefs", "0001_initial")]

    operations = [
        TrigramExtension(),  # a no-op on other vendors
        migrations.RunPython(
            _run({"sqlite": SQLITE_TABLES + SQLITE_TRIGGERS, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
            elidable=False,
        ),
    ]
