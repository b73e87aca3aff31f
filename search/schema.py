"""Engine-side schema: the SQL of each engine's own index, which Django's models do not describe.

The search app's migrations hold a frozen copy of this SQL (a migration must keep doing what it did
when it was written); change it here only together with a new migration that applies the change.
The live copy serves the SQLite triggers, which the SQLite backend drops for a bulk load and puts
back after it, and which ``ensure_sqlite_triggers`` re-creates after every ``migrate``: on SQLite a
later migration that alters briefs_searchentry rebuilds the table and silently drops its triggers.
"""

FTS_COLUMNS = "title, parties, dek, money, context, body, facets"

SQLITE_TABLES = [
    f"""CREATE VIRTUAL TABLE briefs_search_fts USING fts5({FTS_COLUMNS},
        content='briefs_searchentry', content_rowid='brief_id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='3')""",
    # Party names for "did you mean"; rows written by the indexer (rowid = party id).
    "CREATE VIRTUAL TABLE briefs_party_trgm USING fts5(name, tokenize='trigram')",
]
_NEW = ", ".join(f"new.{c.strip()}" for c in FTS_COLUMNS.split(","))
_OLD = ", ".join(f"old.{c.strip()}" for c in FTS_COLUMNS.split(","))
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER briefs_searchentry_ai AFTER INSERT ON briefs_searchentry BEGIN
        INSERT INTO briefs_search_fts(rowid, {FTS_COLUMNS}) VALUES (new.brief_id, {_NEW}); END""",
    f"""CREATE TRIGGER briefs_searchentry_ad AFTER DELETE ON briefs_searchentry BEGIN
        INSERT INTO briefs_search_fts(briefs_search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.brief_id, {_OLD}); END""",
    f"""CREATE TRIGGER briefs_searchentry_au AFTER UPDATE ON briefs_searchentry BEGIN
        INSERT INTO briefs_search_fts(briefs_search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.brief_id, {_OLD});
        INSERT INTO briefs_search_fts(rowid, {FTS_COLUMNS}) VALUES (new.brief_id, {_NEW}); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS briefs_searchentry_ai",
    "DROP TRIGGER IF EXISTS briefs_searchentry_ad",
    "DROP TRIGGER IF EXISTS briefs_searchentry_au",
    "DROP TABLE IF EXISTS briefs_search_fts",
    "DROP TABLE IF EXISTS briefs_party_trgm",
]


def _weighted(column, weight):
    return f"setweight(to_tsvector('english'::regconfig, coalesce({column}, '')), '{weight}')"


POSTGRESQL = [
    "ALTER TABLE briefs_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    + " || ".join(
        _weighted(c, w)
        for c, w in (
            ("title", "A"),
            ("parties", "A"),
            ("dek", "B"),
            ("money", "B"),
            ("context", "C"),
            ("body", "D"),
            ("facets", "D"),
        )
    )
    + ") STORED",
    "CREATE INDEX briefs_searchentry_document_gin ON briefs_searchentry USING gin (document)",
    "CREATE INDEX briefs_party_name_trgm ON briefs_party USING gin (name gin_trgm_ops)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS briefs_party_name_trgm",
    "ALTER TABLE briefs_searchentry DROP COLUMN IF EXISTS document",
]


def ensure_sqlite_triggers(using="default", **kwargs):
    """post_migrate: put back the FTS triggers if a table rebuild dropped them (idempotent)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if not {"briefs_searchentry", "briefs_search_fts"} <= set(connection.introspection.table_names()):
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))
