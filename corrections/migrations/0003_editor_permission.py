"""Editors publish corrections (corrections.add_correction) and read them; Writers do not."""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally made after migrate; make them now so the group can hold them.
    app_config = apps.get_app_config("corrections")
    app_config.models_module = True
    create_contenttypes(app_config, verbosity=0, apps=apps)
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="corrections", codename__in=["add_correction", "view_correction"]
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="corrections"))


class Migration(migrations.Migration):
    dependencies = [("corrections", "0002_triggers"), ("briefs", "0003_workflow_groups")]

    operations = [migrations.RunPython(grant, revoke)]
