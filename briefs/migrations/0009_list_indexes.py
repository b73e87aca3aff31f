"""Lists read their rows off an index that matches the visibility rule and the order (a partial
index on the live statuses, newest first), and the home chart reads a table of monthly deal counts
that database triggers keep current (briefs.models.DealVolumeMonth), filled here from the deals.

The trigger SQL is frozen here as written; briefs/db_triggers.py holds the live definition. Table
names come from the historical models' metadata.
"""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


def _rows(operation):
    return {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[operation]


def tables(apps):
    return {name.lower(): apps.get_model("briefs", name)._meta.db_table for name in ("Brief", "BriefDeal", "Deal")}


_DEAL_DATE = "COALESCE({deal}.announced_on, {deal}.rumoured_on)"


def _month_start(vendor, expression):
    return f"date({expression}, 'start of month')" if vendor == "sqlite" else f"date_trunc('month', {expression})::date"


def _next_month(vendor, expression):
    return f"date({expression}, '+1 month')" if vendor == "sqlite" else f"({expression} + interval '1 month')::date"


def _live_statuses():
    return "('published', 'scheduled')"


def deal_volume_rules(apps, vendor):
    t = tables(apps)
    date_of = _DEAL_DATE.format(deal="d")
    of_deal = (
        f"SELECT {_month_start(vendor, date_of)} AS m FROM {t['deal']} d WHERE d.id = {{row}}.deal_id "
        f"AND {date_of} IS NOT NULL"
    )
    of_brief = (
        f"SELECT {_month_start(vendor, date_of)} AS m FROM {t['briefdeal']} bd JOIN {t['deal']} d ON d.id = bd.deal_id "
        f"WHERE bd.brief_id = {{row}}.id AND {date_of} IS NOT NULL"
    )
    row_date = _DEAL_DATE.format(deal="{row}")
    of_row = f"SELECT {_month_start(vendor, row_date)} AS m WHERE {row_date} IS NOT NULL"
    live = _live_statuses()
    counted = " OR ".join(
        f"OLD.{column} IS NOT NEW.{column}"
        for column in ("announced_on", "rumoured_on", "headline_usd", "headline_amount")
    )
    return [
        # A brief's status: only a move into or out of the live statuses changes what is counted.
        (t["brief"], {"UPDATE": f"(OLD.status IN {live}) <> (NEW.status IN {live})"}, of_brief),
        (t["briefdeal"], {"INSERT": None, "UPDATE": None, "DELETE": None}, of_deal),
        (t["deal"], {"UPDATE": counted, "DELETE": None}, of_row),
    ]


def deal_volume_recount(apps, vendor, months):
    """Statements recounting the months `months` (a SELECT of `m`) selects."""
    t = tables(apps)
    volume = apps.get_model("briefs", "DealVolumeMonth")._meta.db_table
    date_of = _DEAL_DATE.format(deal="d")
    return [
        f"DELETE FROM {volume} WHERE month IN (SELECT m FROM ({months}) months)",
        f"INSERT INTO {volume} (month, deals, usd, unconverted) "
        "SELECT mm.m, COUNT(*), COALESCE(SUM(d.headline_usd), 0), "
        "COUNT(CASE WHEN d.headline_amount IS NOT NULL AND d.headline_usd IS NULL THEN 1 END) "
        f"FROM (SELECT DISTINCT m FROM ({months}) months) mm "
        f"JOIN {t['deal']} d ON {date_of} >= mm.m AND {date_of} < {_next_month(vendor, 'mm.m')} "
        f"WHERE EXISTS (SELECT 1 FROM {t['briefdeal']} bd JOIN {t['brief']} b ON b.id = bd.brief_id "
        f"WHERE bd.deal_id = d.id AND b.status IN {_live_statuses()}) "
        "GROUP BY mm.m",
    ]


def deal_volume_rebuild(apps, vendor):
    """Statements recounting every month (after a migration, or to check the triggers)."""
    t = tables(apps)
    date_of = _DEAL_DATE.format(deal="d")
    every = f"SELECT DISTINCT {_month_start(vendor, date_of)} AS m FROM {t['deal']} d WHERE {date_of} IS NOT NULL"
    volume = apps.get_model("briefs", "DealVolumeMonth")._meta.db_table
    return [f"DELETE FROM {volume}", *deal_volume_recount(apps, vendor, every)]


def deal_volume_trigger_name(table, operation=None):
    return f"dealsite_dv_{table}" + (f"_{operation.lower()}" if operation else "")


def _months_of_rows(months, operation):
    return " UNION ".join(months.format(row=row) for row in _rows(operation))


def sqlite_deal_volume_triggers(apps):
    statements = []
    for table, operations, months in deal_volume_rules(apps, "sqlite"):
        for operation, when in operations.items():
            body = " ".join(
                f"{statement};" for statement in deal_volume_recount(apps, "sqlite", _months_of_rows(months, operation))
            )
            condition = f" WHEN {when}" if when else ""
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {deal_volume_trigger_name(table, operation)} AFTER {operation} ON {table}"
                f"{condition} BEGIN {body} END"
            )
    return statements


def postgresql_deal_volume_triggers(apps):
    statements = []
    for table, operations, months in deal_volume_rules(apps, "postgresql"):
        function = deal_volume_trigger_name(table)
        steps = " ".join(
            f"IF TG_OP = '{operation}' THEN "
            + " ".join(f"{s};" for s in deal_volume_recount(apps, "postgresql", _months_of_rows(months, operation)))
            + " END IF;"
            for operation in operations
        )
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN {steps} RETURN NULL; END; "
            "$$ LANGUAGE plpgsql"
        )
        for operation, when in operations.items():
            name = deal_volume_trigger_name(table, operation)
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} FOR EACH ROW"
                + (f" WHEN ({when.replace(' IS NOT ', ' IS DISTINCT FROM ')})" if when else "")
                + f" EXECUTE FUNCTION {function}()",
            ]
    return statements


def drop_deal_volume_triggers(apps, vendor):
    statements = []
    for table, operations, _ in deal_volume_rules(apps, vendor):
        for operation in operations:
            name = deal_volume_trigger_name(table, operation)
            statements.append(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if vendor == "postgresql" else ""))
        if vendor == "postgresql":
            statements.append(f"DROP FUNCTION IF EXISTS {deal_volume_trigger_name(table)}()")
    return statements


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    triggers = sqlite_deal_volume_triggers if vendor == "sqlite" else postgresql_deal_volume_triggers
    for statement in deal_volume_rebuild(apps, vendor) + triggers(apps):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    for statement in drop_deal_volume_triggers(apps, vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0008_withdrawal_record"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DealVolumeMonth",
            fields=[
                ("month", models.DateField(primary_key=True, serialize=False)),
                ("deals", models.PositiveIntegerField(default=0)),
                ("usd", models.DecimalField(decimal_places=2, default=0, max_digits=20)),
                ("unconverted", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "deal volume of a month",
                "ordering": ["-month"],
            },
        ),
        migrations.RemoveIndex(model_name="brief", name="brief_status_published_idx"),
        migrations.AddIndex(
            model_name="brief",
            index=models.Index(
                condition=models.Q(("status__in", ("published", "scheduled"))),
                fields=["-published_at", "-id"],
                name="brief_live_latest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="deal",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce("announced_on", "rumoured_on"), name="deal_date_idx"
            ),
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
