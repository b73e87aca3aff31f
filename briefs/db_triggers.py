"""Database triggers the app relies on, and keeping them in place on SQLite.

Two sets: the content-version triggers (every write to a content table bumps ContentVersion, which
the response caches key on) and the search index's FTS5 triggers. On SQLite, any later migration that
alters one of those tables rebuilds it and silently drops its triggers, so `ensure_sqlite_triggers`
runs after every `migrate` (post_migrate) with idempotent statements. PostgreSQL alters tables in
place and keeps its triggers.
"""
from django.db import connections

WATCHED = [
    ("briefs", "Brief"), ("briefs", "BriefParty"), ("briefs", "BriefSource"), ("briefs", "BriefQuote"),
    ("briefs", "Note"), ("briefs", "Annotation"), ("briefs", "Party"), ("briefs", "Source"), ("briefs", "Quote"),
]
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def watched_tables(apps):
    """Tables whose writes change what readers see (historical or real app registry)."""
    tables = [apps.get_model(app, model)._meta.db_table for app, model in WATCHED]
    brief = apps.get_model("briefs", "Brief")
    tables.append(brief._meta.get_field("related").remote_field.through._meta.db_table)
    return tables


def content_version_trigger_name(table, operation):
    return f"dealsite_cv_{table}_{operation.lower()}"


def sqlite_content_version_trigger(table, operation, version_table):
    return (
        f"CREATE TRIGGER IF NOT EXISTS {content_version_trigger_name(table, operation)} AFTER {operation} ON {table} "
        f"BEGIN UPDATE {version_table} SET counter = counter + 1 WHERE id = 1; END"
    )


def ensure_sqlite_triggers(using="default", **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    from django.apps import apps

    from .search.schema import SQLITE_TRIGGERS

    existing = set(connection.introspection.table_names(include_views=False))
    version_table = apps.get_model("briefs", "ContentVersion")._meta.db_table
    statements = []
    if version_table in existing:
        statements += [
            sqlite_content_version_trigger(table, operation, version_table)
            for table in watched_tables(apps) if table in existing
            for operation in OPERATIONS
        ]
    if {"briefs_searchentry", "briefs_search_fts"} <= existing:
        statements += [sql.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1) for sql in SQLITE_TRIGGERS]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
