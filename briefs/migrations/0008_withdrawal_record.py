"""When and why a brief readers could see was withdrawn: what its 410 Gone page says. Briefs already
withdrawn get it from their last withdrawal, when readers could see them just before it (published,
or scheduled with its time passed)."""

from importlib import import_module

from django.db import migrations, models

# SQLite rebuilds briefs_brief to add a NOT NULL column and refuses the rebuild while other tables'
# triggers name it: drop them first and put them back after, as 0007 does.
_rebuild = import_module("briefs.migrations.0007_remove_brief_deal_fields")


def record_past_withdrawals(apps, schema_editor):
    Brief = apps.get_model("briefs", "Brief")
    Transition = apps.get_model("briefs", "Transition")
    for brief in Brief.objects.filter(status="withdrawn"):
        last = Transition.objects.filter(brief=brief, to_status="withdrawn").order_by("-at", "-pk").first()
        if last is None:
            continue
        was_public = last.from_status == "published" or (
            last.from_status == "scheduled" and brief.published_at is not None and brief.published_at <= last.at
        )
        if was_public:
            Brief.objects.filter(pk=brief.pk).update(withdrawn_at=last.at, withdrawal_reason=last.comment)


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0007_remove_brief_deal_fields"),
    ]

    operations = [
        migrations.RunPython(_rebuild.drop_page_parts_triggers, _rebuild.restore_triggers, elidable=False),
        migrations.AddField(
            model_name="brief",
            name="withdrawal_reason",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="brief",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(_rebuild.restore_triggers, _rebuild.drop_page_parts_triggers, elidable=False),
        migrations.RunPython(record_past_withdrawals, migrations.RunPython.noop),
    ]
