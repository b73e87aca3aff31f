"""The API's nested lists are stored with each brief (Brief.api_parts for the list item,
api_detail_parts for the detail), made at save time with the page parts; a row trigger empties
them whenever the page-parts triggers empty the page parts, which show everything they show.

The trigger SQL is frozen here as written; briefs/db_triggers.py holds the live definition.

SQLite rebuilds briefs_brief to add a NOT NULL column and refuses the rebuild while other tables'
triggers name it: those are dropped first and the core's put back after (as 0007 and 0008 do);
features' triggers come back with the post_migrate hook (briefs.db_triggers.ensure_sqlite_triggers),
which also re-creates every trigger from its live definition.
"""

from importlib import import_module

from django.db import migrations, models

NAME = "dealsite_ap_brief"


def install(apps, schema_editor):
    brief = apps.get_model("briefs", "Brief")._meta.db_table
    forget = f"UPDATE {brief} SET api_parts = '', api_detail_parts = '' WHERE id = NEW.id"
    stored = "NEW.page_parts = '' AND (NEW.api_parts <> '' OR NEW.api_detail_parts <> '')"
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {NAME} AFTER UPDATE OF page_parts ON {brief} "
            f"WHEN {stored} BEGIN {forget}; END"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {NAME}() RETURNS trigger AS $$ BEGIN {forget}; RETURN NULL; END; "
            "$$ LANGUAGE plpgsql"
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME} ON {brief}")
        schema_editor.execute(
            f"CREATE TRIGGER {NAME} AFTER UPDATE OF page_parts ON {brief} FOR EACH ROW "
            f"WHEN ({stored}) EXECUTE FUNCTION {NAME}()"
        )


def drop_triggers_naming_briefs(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    brief = apps.get_model("briefs", "Brief")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dealsite_%%' AND sql LIKE %s",
            [f"%{brief}%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in (
        "0002_triggers",
        "0006_deal_triggers",
        "0009_list_indexes",
        "0010_brief_freshness",
        "0011_party_freshness",
    ):
        import_module(f"briefs.migrations.{name}").install(apps, schema_editor)


def uninstall(apps, schema_editor):
    brief = apps.get_model("briefs", "Brief")._meta.db_table
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME} ON {brief}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {NAME}()")


class Migration(migrations.Migration):
    dependencies = [("briefs", "0011_party_freshness")]

    operations = [
        migrations.RunPython(drop_triggers_naming_briefs, restore_triggers, elidable=False),
        migrations.AddField(
            model_name="brief",
            name="api_parts",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="brief",
            name="api_detail_parts",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(restore_triggers, drop_triggers_naming_briefs, elidable=False),
        migrations.RunPython(install, uninstall),
    ]
