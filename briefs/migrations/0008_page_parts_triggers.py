"""Row triggers that empty a brief's stored page parts when anything they show is written (its
links and notes, its authors and their names, its related briefs, a party, source or quote it
shows), in the writing transaction: briefs.db_triggers.PAGE_PARTS_RULES."""

from django.conf import settings
from django.db import migrations

from briefs.db_triggers import drop_page_parts_triggers, postgresql_page_parts_triggers, sqlite_page_parts_triggers


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_page_parts_triggers, "postgresql": postgresql_page_parts_triggers}.get(vendor)
    # Other databases: no triggers, so stored parts could outlive a change: none are stored there.
    for statement in statements() if statements else []:
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for statement in drop_page_parts_triggers(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0007_brief_page_parts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [migrations.RunPython(install, uninstall)]
