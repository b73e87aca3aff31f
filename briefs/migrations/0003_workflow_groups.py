"""The editorial roles: groups "Writer" and "Editor" with their model permissions.

Writers create and edit drafts of briefs with their links, parties, sources and quotes, and submit
them for review. Editors can do all of that and review, publish, schedule and withdraw, edit briefs
in any state, delete briefs, and see every transition. Admins are superusers.
"""

from django.db import migrations

CONTENT = ["brief", "briefparty", "briefsource", "briefquote", "note", "party", "source", "quote"]
WRITER = (
    [f"{action}_{model}" for model in CONTENT for action in ("add", "change", "view")]
    + [f"delete_{model}" for model in ("briefparty", "briefsource", "briefquote", "note")]
    + ["view_transition", "view_briefrevision", "view_brokensource", "submit_brief"]
)
EDITOR = WRITER + [
    "delete_brief",
    "review_brief",
    "publish_brief",
    "withdraw_brief",
    "view_annotation",
    "change_brokensource",
]
GROUPS = {"Writer": WRITER, "Editor": EDITOR}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally made after migrate; make them now so the groups can hold them.
    app_config = apps.get_app_config("briefs")
    app_config.models_module = True
    create_contenttypes(app_config, verbosity=0, apps=apps)
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = list(Permission.objects.filter(content_type__app_label="briefs", codename__in=codenames))
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"permissions not found for group {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0002_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
