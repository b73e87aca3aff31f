"""The home chart's monthly counts count the deals with a brief marked published, no longer those
with a brief in either live status: the chart then corrects them by the clock from two index ranges
that are empty in normal use (briefs marked published but dated later, scheduled briefs due but not
yet marked: brief_published_idx and brief_scheduled_idx), where it subtracted every deal awaiting
publication — as many as the schedule holds — on every read.

The trigger SQL is 0009's with the counted status changed, and so frozen as well; the counts are
made again from the deals. briefs/db_triggers.py holds the live definition.
"""

from importlib import import_module

from django.conf import settings
from django.db import migrations, models

LIVE = "IN ('published', 'scheduled')"
PUBLISHED = "= 'published'"


def _previous():
    return import_module("briefs.migrations.0009_list_indexes")


def _counting_published(statements):
    changed = [statement.replace(f"status {LIVE}", f"status {PUBLISHED}") for statement in statements]
    assert any(new != old for new, old in zip(changed, statements, strict=True)), "0009's SQL changed"
    return changed


def _install(apps, schema_editor, counted):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    previous = _previous()
    triggers = previous.sqlite_deal_volume_triggers if vendor == "sqlite" else previous.postgresql_deal_volume_triggers
    statements = previous.deal_volume_rebuild(apps, vendor) + triggers(apps)
    for statement in previous.drop_deal_volume_triggers(apps, vendor) + counted(statements):
        schema_editor.execute(statement, params=None)


def count_published(apps, schema_editor):
    _install(apps, schema_editor, _counting_published)


def count_live(apps, schema_editor):
    _install(apps, schema_editor, lambda statements: statements)


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0015_party_page_parts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="brief",
            index=models.Index(
                condition=models.Q(("status", "published")), fields=["published_at"], name="brief_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="brief",
            index=models.Index(
                condition=models.Q(("status", "scheduled")), fields=["published_at"], name="brief_scheduled_idx"
            ),
        ),
        migrations.RunPython(count_published, count_live, elidable=False),
    ]
