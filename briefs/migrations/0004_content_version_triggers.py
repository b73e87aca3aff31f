"""Database triggers that bump ContentVersion.counter on any write to a content table.

They run inside the writing transaction, so the API response cache (briefs.api.caching) sees a new
version exactly when the change becomes visible, whoever made it (admin, API, bulk .update(),
another process). SQLite gets row triggers; PostgreSQL statement triggers (one bump per statement).
"""

from django.db import migrations

from briefs.db_triggers import (
    OPERATIONS,
    content_version_trigger_name,
    sqlite_content_version_trigger,
    watched_tables,
)


def install(apps, schema_editor):
    ContentVersion = apps.get_model("briefs", "ContentVersion")
    ContentVersion.objects.get_or_create(pk=1, defaults={"counter": 0})
    version = ContentVersion._meta.db_table
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION dealsite_bump_content_version() RETURNS trigger AS $$ "
            f"BEGIN UPDATE {version} SET counter = counter + 1 WHERE id = 1; RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
    for table in watched_tables(apps):
        for operation in OPERATIONS:
            name = content_version_trigger_name(table, operation)
            if vendor == "sqlite":
                schema_editor.execute(sqlite_content_version_trigger(table, operation, version))
            elif vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                schema_editor.execute(
                    f"CREATE TRIGGER {name} AFTER {operation} ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION dealsite_bump_content_version()"
                )
            # Other databases: no triggers; set DEALSITE_API RESPONSE_CACHE off (API_RESPONSE_CACHE=0).


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in watched_tables(apps):
        for operation in OPERATIONS:
            name = content_version_trigger_name(table, operation)
            if vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            elif vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS dealsite_bump_content_version()")


class Migration(migrations.Migration):
    dependencies = [("briefs", "0003_api_webhooks_publish_permission")]
    operations = [migrations.RunPython(install, uninstall)]
