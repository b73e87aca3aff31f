"""A correction is shown on its brief's page and API detail, which key on that brief's freshness
counter (briefs.0010): every write to the correction table bumps the counter of the brief it
corrects, in the writing transaction. The SQL is frozen as written (briefs/db_triggers.py holds the
live definition and re-creates the SQLite triggers after later migrations)."""

from django.db import migrations

OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def _names(apps):
    return (
        apps.get_model("corrections", "Correction")._meta.db_table,
        apps.get_model("briefs", "Brief")._meta.db_table,
        apps.get_model("briefs", "BriefFreshness")._meta.db_table,
    )


def _bump(brief, fresh, row):
    return (
        f"INSERT INTO {fresh} (brief_id, counter) SELECT id, 1 FROM {brief} WHERE (id = {row}.brief_id) "
        f"ON CONFLICT (brief_id) DO UPDATE SET counter = {fresh}.counter + 1"
    )


def _rows(operation):
    return {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[operation]


def install(apps, schema_editor):
    table, brief, fresh = _names(apps)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for operation in OPERATIONS:
            body = " ".join(f"{_bump(brief, fresh, row)};" for row in _rows(operation))
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS dealsite_bf_{table}_{operation.lower()} AFTER {operation} ON {table} "
                f"BEGIN {body} END"
            )
    elif vendor == "postgresql":
        name = f"dealsite_bf_{table}"
        steps = " ".join(
            f"IF TG_OP <> '{'DELETE' if row == 'NEW' else 'INSERT'}' THEN {_bump(brief, fresh, row)}; END IF;"
            for row in ("OLD", "NEW")
        )
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {steps} RETURN NULL; END; "
            "$$ LANGUAGE plpgsql"
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
        )


def uninstall(apps, schema_editor):
    table, _, _ = _names(apps)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for operation in OPERATIONS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS dealsite_bf_{table}_{operation.lower()}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS dealsite_bf_{table} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS dealsite_bf_{table}()")


class Migration(migrations.Migration):
    dependencies = [("corrections", "0003_editor_permission"), ("briefs", "0010_brief_freshness")]

    operations = [migrations.RunPython(install, uninstall)]
