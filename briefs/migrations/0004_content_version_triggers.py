"""Database triggers that bump ContentVersion.counter on any write to a content table.

They run inside the writing transaction, so the API response cache (briefs.api.caching) sees a new
version exactly when the change becomes visible, whoever made it (admin, API, bulk .update(),
another process). SQLite gets row triggers; PostgreSQL statement triggers (one bump per statement).
"""
from django.db import migrations

WATCHED = [
    ("briefs", "Brief"), ("briefs", "BriefParty"), ("briefs", "BriefSource"), ("briefs", "BriefQuote"),
    ("briefs", "Note"), ("briefs", "Annotation"), ("briefs", "Party"), ("briefs", "Source"), ("briefs", "Quote"),
]
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def _tables(apps):
    brief = apps.get_model("briefs", "Brief")
    tables = [apps.get_model(app, model)._meta.db_table for app, model in WATCHED]
    tables.append(brief._meta.get_field("related").remote_field.through._meta.db_table)
    return tables


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
    for table in _tables(apps):
        for operation in OPERATIONS:
            name = f"dealsite_cv_{table}_{operation.lower()}"
            if vendor == "sqlite":
                schema_editor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {operation} ON {table} "
                    f"BEGIN UPDATE {version} SET counter = counter + 1 WHERE id = 1; END"
                )
            elif vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                schema_editor.execute(
                    f"CREATE TRIGGER {name} AFTER {operation} ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION dealsite_bump_content_version()"
                )
            # Other databases: no triggers; set DEALSITE_API RESPONSE_CACHE off (API_RESPONSE_CACHE=0).


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in _tables(apps):
        for operation in OPERATIONS:
            name = f"dealsite_cv_{table}_{operation.lower()}"
            if vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            elif vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS dealsite_bump_content_version()")


class Migration(migrations.Migration):
    dependencies = [("briefs", "0003_api_webhooks_publish_permission")]
    operations = [migrations.RunPython(install, uninstall)]
