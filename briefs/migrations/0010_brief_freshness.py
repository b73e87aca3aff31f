"""Each brief gets a freshness counter (briefs.models.BriefFreshness) that row triggers bump on every
write to anything its own page, API detail and annotations show, so those responses can key on it
instead of the one content version, and one brief's save leaves every other brief's cached page
valid.

The trigger SQL is frozen here as written; briefs/db_triggers.py holds the live definition. Table
and column names come from the historical models' metadata.
"""

from django.conf import settings
from django.db import migrations, models

OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def tables(apps):
    model = {
        name: apps.get_model("briefs", name)
        for name in (
            "Brief",
            "BriefParty",
            "BriefSource",
            "BriefQuote",
            "BriefDeal",
            "Deal",
            "DealParticipant",
            "DealStage",
            "DealFigure",
        )
    }
    brief = model["Brief"]
    names = {key.lower(): value._meta.db_table for key, value in model.items()}
    names.update(
        note=apps.get_model("briefs", "Note")._meta.db_table,
        party=apps.get_model("briefs", "Party")._meta.db_table,
        source=apps.get_model("briefs", "Source")._meta.db_table,
        quote=apps.get_model("briefs", "Quote")._meta.db_table,
        authors=brief._meta.get_field("authors").remote_field.through._meta.db_table,
        related=brief._meta.get_field("related").remote_field.through._meta.db_table,
        user=apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table,
    )
    return names


def page_parts_rules(apps):
    t = tables(apps)
    via_quote = (
        f"SELECT bq.brief_id FROM {t['briefquote']} bq JOIN {t['quote']} q ON q.id = bq.quote_id "
        "WHERE q.{column} = {{row}}.id"
    )

    def via_deal(column):  # briefs about the deal the written row names in `column`
        return f"SELECT brief_id FROM {t['briefdeal']} WHERE deal_id = {{row}}.{column}"

    def via_deal_row(table, column):  # briefs about a deal one of whose `table` rows names the party/source
        return (
            f"SELECT bd.brief_id FROM {t['briefdeal']} bd JOIN {table} r ON r.deal_id = bd.deal_id "
            f"WHERE r.{column} = {{row}}.id"
        )

    links = ("briefparty", "briefsource", "briefquote", "note", "authors", "briefdeal")
    return [
        *[(t[name], OPERATIONS, "id = {row}.brief_id", None) for name in links],
        (t["related"], OPERATIONS, "id = {row}.from_brief_id", None),
        (t["deal"], ("UPDATE",), f"id IN ({via_deal('id')})", None),
        *[
            (t[name], OPERATIONS, f"id IN ({via_deal('deal_id')})", None)
            for name in ("dealparticipant", "dealstage", "dealfigure")
        ],
        (
            t["party"],
            ("UPDATE",),
            f"id IN (SELECT brief_id FROM {t['briefparty']} WHERE party_id = {{row}}.id) OR id IN ("
            + via_quote.format(column="speaker_id")
            + ") OR id IN ("
            + via_deal_row(t["dealparticipant"], "party_id")
            + ")",
            None,
        ),
        (
            t["source"],
            ("UPDATE",),
            f"id IN (SELECT brief_id FROM {t['briefsource']} WHERE source_id = {{row}}.id) OR id IN ("
            + via_quote.format(column="source_id")
            + ") OR id IN ("
            + via_deal_row(t["dealfigure"], "source_id")
            + ")",
            None,
        ),
        (t["quote"], ("UPDATE",), f"id IN (SELECT brief_id FROM {t['briefquote']} WHERE quote_id = {{row}}.id)", None),
        # The byline: a name change, not a login (which writes last_login).
        (
            t["user"],
            ("UPDATE",),
            f"id IN (SELECT brief_id FROM {t['authors']} WHERE user_id = {{row}}.id)",
            "OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name "
            "OR OLD.username IS NOT NEW.username",
        ),
    ]


def _rows(operation):
    """NEW for inserts, OLD for deletes, both for updates (a link may move to another brief)."""
    return {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[operation]


def brief_update_columns(apps):
    brief = apps.get_model("briefs", "Brief")
    return [field.column for field in brief._meta.concrete_fields if field.column != "page_parts"]


def brief_freshness_rules(apps):
    t = tables(apps)
    briefdeal, related = t["briefdeal"], t["related"]
    deal_of = f"SELECT brief_id FROM {briefdeal} WHERE deal_id = {{row}}.deal_id"
    linking = f"SELECT from_brief_id FROM {related} WHERE to_brief_id = {{row}}.id"
    same_deal = f"SELECT o.brief_id FROM {briefdeal} s JOIN {briefdeal} o ON o.deal_id = s.deal_id WHERE s.brief_id = {{row}}.id"
    rules = [rule for rule in page_parts_rules(apps) if rule[0] != briefdeal]
    rules += [
        (
            t["brief"],
            ("INSERT", "UPDATE OF " + ", ".join(brief_update_columns(apps)), "DELETE"),
            f"id = {{row}}.id OR id IN ({linking}) OR id IN ({same_deal})",
            None,
        ),
        # A brief joining or leaving a deal shows on (or leaves) the pages of the deal's other briefs.
        (briefdeal, OPERATIONS, f"id = {{row}}.brief_id OR id IN ({deal_of})", None),
        (apps.get_model("briefs", "Annotation")._meta.db_table, OPERATIONS, "id = {row}.brief_id", None),
    ]
    return rules


def _bump(apps, where, row):
    fresh = apps.get_model("briefs", "BriefFreshness")._meta.db_table
    brief = tables(apps)["brief"]
    # SQLite needs the WHERE before ON CONFLICT to read the upsert unambiguously; it is there.
    return (
        f"INSERT INTO {fresh} (brief_id, counter) SELECT id, 1 FROM {brief} WHERE ({where.format(row=row)}) "
        f"ON CONFLICT (brief_id) DO UPDATE SET counter = {fresh}.counter + 1"
    )


def brief_freshness_trigger_name(table, event=None):
    return f"dealsite_bf_{table}" + (f"_{event.split()[0].lower()}" if event else "")


def sqlite_brief_freshness_triggers(apps):
    statements = []
    for table, events, where, when in brief_freshness_rules(apps):
        for event in events:
            body = " ".join(f"{_bump(apps, where, row)};" for row in _rows(event.split()[0]))
            condition = f" WHEN {when}" if when else ""
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {brief_freshness_trigger_name(table, event)} AFTER {event} ON {table}"
                f"{condition} BEGIN {body} END"
            )
    return statements


def postgresql_brief_freshness_triggers(apps):
    statements = []
    for table, events, where, when in brief_freshness_rules(apps):
        name = brief_freshness_trigger_name(table)
        steps = " ".join(
            f"IF TG_OP <> '{'DELETE' if row == 'NEW' else 'INSERT'}' THEN {_bump(apps, where, row)}; END IF;"
            for row in ("OLD", "NEW")
        )
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {steps} RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {' OR '.join(events)} ON {table} FOR EACH ROW"
            + (f" WHEN ({when.replace(' IS NOT ', ' IS DISTINCT FROM ')})" if when else "")
            + f" EXECUTE FUNCTION {name}()",
        ]
    return statements


def drop_brief_freshness_triggers(apps, vendor):
    statements = []
    for table, events, _, _ in brief_freshness_rules(apps):
        if vendor == "sqlite":
            statements += [f"DROP TRIGGER IF EXISTS {brief_freshness_trigger_name(table, event)}" for event in events]
        elif vendor == "postgresql":
            name = brief_freshness_trigger_name(table)
            statements += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return statements


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    triggers = sqlite_brief_freshness_triggers if vendor == "sqlite" else postgresql_brief_freshness_triggers
    for statement in triggers(apps):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    for statement in drop_brief_freshness_triggers(apps, vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0009_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BriefFreshness",
            fields=[
                ("brief_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("counter", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "brief freshness",
                "verbose_name_plural": "brief freshness",
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
