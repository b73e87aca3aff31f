"""Database triggers: the content version and the stored page parts.

- Content version: every write to a content table bumps ContentVersion.counter (row 1, made here)
  inside the writing transaction, so the response caches see a new version exactly when a change
  becomes visible, whoever made it (admin, API, bulk .update(), raw SQL, another process). SQLite
  gets row triggers; PostgreSQL statement triggers (one bump per statement).
- Page parts: a write to anything a brief's stored page parts show (its links and notes, its
  authors and their names, its related briefs, a party, source or quote it shows) empties them, in
  the writing transaction.

The SQL is frozen here, as it was when this migration was written (briefs/db_triggers.py holds the
live definition that re-creates dropped SQLite triggers after later migrations); table names come
from the historical models' metadata and AUTH_USER_MODEL. Other databases get no triggers: there
the response caches must be off and no page parts are stored.
"""

from django.conf import settings
from django.db import migrations

OPERATIONS = ("INSERT", "UPDATE", "DELETE")
WATCHED = ("Brief", "BriefParty", "BriefSource", "BriefQuote", "Note", "Annotation", "Party", "Source", "Quote")


def _tables(apps):
    brief = apps.get_model("briefs", "Brief")
    names = {name.lower(): apps.get_model("briefs", name)._meta.db_table for name in WATCHED}
    names.update(
        authors=brief._meta.get_field("authors").remote_field.through._meta.db_table,
        related=brief._meta.get_field("related").remote_field.through._meta.db_table,
        user=apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table,
        version=apps.get_model("briefs", "ContentVersion")._meta.db_table,
    )
    return names


def _watched(t):
    return [t[name.lower()] for name in WATCHED] + [t["related"]]


def _page_parts_rules(t):
    via_quote = (
        f"SELECT bq.brief_id FROM {t['briefquote']} bq JOIN {t['quote']} q ON q.id = bq.quote_id "
        "WHERE q.{column} = {{row}}.id"
    )
    return [
        *[
            (t[name], OPERATIONS, "id = {row}.brief_id", None)
            for name in ("briefparty", "briefsource", "briefquote", "note", "authors")
        ],
        (t["related"], OPERATIONS, "id = {row}.from_brief_id", None),
        (
            t["party"],
            ("UPDATE",),
            f"id IN (SELECT brief_id FROM {t['briefparty']} WHERE party_id = {{row}}.id) OR id IN ("
            + via_quote.format(column="speaker_id")
            + ")",
            None,
        ),
        (
            t["source"],
            ("UPDATE",),
            f"id IN (SELECT brief_id FROM {t['briefsource']} WHERE source_id = {{row}}.id) OR id IN ("
            + via_quote.format(column="source_id")
            + ")",
            None,
        ),
        (t["quote"], ("UPDATE",), f"id IN (SELECT brief_id FROM {t['briefquote']} WHERE quote_id = {{row}}.id)", None),
        (
            t["user"],
            ("UPDATE",),
            f"id IN (SELECT brief_id FROM {t['authors']} WHERE user_id = {{row}}.id)",
            "OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name "
            "OR OLD.username IS NOT NEW.username",
        ),
    ]


def _forget(t, where, row):
    return f"UPDATE {t['brief']} SET page_parts = '' WHERE page_parts <> '' AND ({where.format(row=row)})"


def _rows(operation):
    return {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[operation]


def _install_sqlite(t):
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS dealsite_cv_{table}_{operation.lower()} AFTER {operation} ON {table} "
        f"BEGIN UPDATE {t['version']} SET counter = counter + 1 WHERE id = 1; END"
        for table in _watched(t)
        for operation in OPERATIONS
    ]
    for table, operations, where, when in _page_parts_rules(t):
        for operation in operations:
            body = " ".join(f"{_forget(t, where, row)};" for row in _rows(operation))
            condition = f" WHEN {when}" if when else ""
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS dealsite_pp_{table}_{operation.lower()} AFTER {operation} ON {table}"
                f"{condition} BEGIN {body} END"
            )
    return statements


def _install_postgresql(t):
    statements = [
        "CREATE OR REPLACE FUNCTION dealsite_bump_content_version() RETURNS trigger AS $$ "
        f"BEGIN UPDATE {t['version']} SET counter = counter + 1 WHERE id = 1; RETURN NULL; END; $$ LANGUAGE plpgsql"
    ]
    for table in _watched(t):
        for operation in OPERATIONS:
            name = f"dealsite_cv_{table}_{operation.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION dealsite_bump_content_version()",
            ]
    for table, operations, where, when in _page_parts_rules(t):
        name = f"dealsite_pp_{table}"
        steps = " ".join(
            f"IF TG_OP <> '{'DELETE' if row == 'NEW' else 'INSERT'}' THEN {_forget(t, where, row)}; END IF;"
            for row in ("OLD", "NEW")
        )
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {steps} RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {' OR '.join(operations)} ON {table} FOR EACH ROW"
            + (f" WHEN ({when.replace(' IS NOT ', ' IS DISTINCT FROM ')})" if when else "")
            + f" EXECUTE FUNCTION {name}()",
        ]
    return statements


def _uninstall_statements(t, vendor):
    statements = []
    for table in _watched(t):
        for operation in OPERATIONS:
            name = f"dealsite_cv_{table}_{operation.lower()}"
            statements.append(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if vendor == "postgresql" else ""))
    for table, operations, _, _ in _page_parts_rules(t):
        if vendor == "sqlite":
            statements += [f"DROP TRIGGER IF EXISTS dealsite_pp_{table}_{op.lower()}" for op in operations]
        else:
            statements += [
                f"DROP TRIGGER IF EXISTS dealsite_pp_{table} ON {table}",
                f"DROP FUNCTION IF EXISTS dealsite_pp_{table}()",
            ]
    if vendor == "postgresql":
        statements.append("DROP FUNCTION IF EXISTS dealsite_bump_content_version()")
    return statements


def install(apps, schema_editor):
    apps.get_model("briefs", "ContentVersion").objects.get_or_create(pk=1, defaults={"counter": 0})
    make = {"sqlite": _install_sqlite, "postgresql": _install_postgresql}.get(schema_editor.connection.vendor)
    for statement in make(_tables(apps)) if make else []:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("sqlite", "postgresql"):
        for statement in _uninstall_statements(_tables(apps), vendor):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [migrations.RunPython(install, uninstall, elidable=False)]
