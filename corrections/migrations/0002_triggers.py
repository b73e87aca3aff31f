"""The correction table joins the content-version triggers of briefs.0002: a correction changes
the brief's page, the corrections page and feeds, and the API, so every write to it bumps the
content version in the writing transaction, as the core's tables do. The SQL is frozen as written
(briefs/db_triggers.py re-creates the SQLite ones after later migrations)."""

from django.db import migrations

OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def _names(apps):
    return (
        apps.get_model("corrections", "Correction")._meta.db_table,
        apps.get_model("briefs", "ContentVersion")._meta.db_table,
    )


def install(apps, schema_editor):
    table, version = _names(apps)
    vendor = schema_editor.connection.vendor
    for operation in OPERATIONS:
        name = f"dealsite_cv_{table}_{operation.lower()}"
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {operation} ON {table} "
                f"BEGIN UPDATE {version} SET counter = counter + 1 WHERE id = 1; END"
            )
        elif vendor == "postgresql":  # the function is briefs.0002's
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION dealsite_bump_content_version()"
            )


def uninstall(apps, schema_editor):
    table, _ = _names(apps)
    vendor = schema_editor.connection.vendor
    for operation in OPERATIONS:
        name = f"dealsite_cv_{table}_{operation.lower()}"
        if vendor in ("sqlite", "postgresql"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if vendor == "postgresql" else ""))


class Migration(migrations.Migration):
    dependencies = [("corrections", "0001_initial"), ("briefs", "0008_withdrawal_record")]

    operations = [migrations.RunPython(install, uninstall)]
