"""Each party gets a freshness counter (briefs.models.PartyFreshness) that row triggers bump on every
write to anything its page shows, so the party page keys on it instead of the one content version:
an edit to one brief leaves the pages of the parties it does not touch valid.

The trigger SQL is frozen here as written; briefs/db_triggers.py holds the live definition. Table
and column names come from the historical models' metadata.
"""

from django.conf import settings
from django.db import migrations, models

OPERATIONS = ("INSERT", "UPDATE", "DELETE")
SCOPES = {"party": ("Party", "PartyFreshness", "party_id", "dealsite_pf")}


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


def _rows(operation):
    """NEW for inserts, OLD for deletes, both for updates (a link may move to another brief)."""
    return {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[operation]


def brief_update_columns(apps):
    brief = apps.get_model("briefs", "Brief")
    return [field.column for field in brief._meta.concrete_fields if field.column != "page_parts"]


def _brief_events(apps):
    return ("INSERT", "UPDATE OF " + ", ".join(brief_update_columns(apps)), "DELETE")


def party_freshness_rules(apps):
    """A party page shows the party (its parent, affiliation, subsidiaries and people when they are
    public), the published briefs that link it with their deal lines (every participant's name),
    its public deals with totals, timeline and co-investors, and its quotes with their source and
    brief. Whether a party is public turns on the briefs that link, quote or are about deals with
    it, so a brief's write reaches every party it touches and the parties next to them."""
    t = tables(apps)
    party, briefparty, briefdeal = t["party"], t["briefparty"], t["briefdeal"]
    participant, briefquote, quote = t["dealparticipant"], t["briefquote"], t["quote"]

    def near(ids):  # the parties in `ids` (a SELECT) and those whose page names them as related
        return (
            f"id IN ({ids}) OR parent_id IN ({ids}) OR affiliation_id IN ({ids}) "
            f"OR id IN (SELECT parent_id FROM {party} WHERE id IN ({ids})) "
            f"OR id IN (SELECT affiliation_id FROM {party} WHERE id IN ({ids}))"
        )

    def of_brief(brief_id):  # the parties a brief links, quotes or is about a deal with
        return (
            f"SELECT party_id FROM {briefparty} WHERE brief_id = {brief_id} "
            f"UNION SELECT dp.party_id FROM {briefdeal} bd JOIN {participant} dp ON dp.deal_id = bd.deal_id "
            f"WHERE bd.brief_id = {brief_id} "
            f"UNION SELECT q.speaker_id FROM {briefquote} bq JOIN {quote} q ON q.id = bq.quote_id "
            f"WHERE bq.brief_id = {brief_id}"
        )

    def of_deal(deal_id):  # its participants, and the parties of the briefs whose deal lines show it
        return (
            f"SELECT party_id FROM {participant} WHERE deal_id = {deal_id} "
            f"UNION SELECT bp.party_id FROM {briefdeal} bd JOIN {briefparty} bp ON bp.brief_id = bd.brief_id "
            f"WHERE bd.deal_id = {deal_id}"
        )

    # Where a party's name is shown besides its own page: co-investors, deal lines.
    named_with = (
        f"SELECT o.party_id FROM {participant} s JOIN {participant} o ON o.deal_id = s.deal_id "
        "WHERE s.party_id = {row}.id "
        f"UNION SELECT bp.party_id FROM {participant} s JOIN {briefdeal} bd ON bd.deal_id = s.deal_id "
        f"JOIN {briefparty} bp ON bp.brief_id = bd.brief_id WHERE s.party_id = {{row}}.id"
    )
    return [
        (t["brief"], _brief_events(apps), near(of_brief("{row}.id")), None),
        (briefparty, OPERATIONS, near("SELECT {row}.party_id"), None),
        (briefquote, OPERATIONS, near(f"SELECT speaker_id FROM {quote} WHERE id = {{row}}.quote_id"), None),
        # The deal's participants and the parties of its briefs (the brief's own when it leaves).
        (
            briefdeal,
            OPERATIONS,
            near(
                f"{of_deal('{row}.deal_id')} UNION SELECT party_id FROM {briefparty} WHERE brief_id = {{row}}.brief_id"
            ),
            None,
        ),
        (t["deal"], ("UPDATE", "DELETE"), near(of_deal("{row}.id")), None),
        (participant, OPERATIONS, near(f"SELECT {{row}}.party_id UNION {of_deal('{row}.deal_id')}"), None),
        *[(t[name], OPERATIONS, near(of_deal("{row}.deal_id")), None) for name in ("dealstage", "dealfigure")],
        (
            party,
            OPERATIONS,
            near("SELECT {row}.id UNION SELECT {row}.parent_id UNION SELECT {row}.affiliation_id")
            + f" OR id IN ({named_with})",
            None,
        ),
        (quote, OPERATIONS, near("SELECT {row}.speaker_id"), None),
        (t["source"], ("UPDATE",), near(f"SELECT speaker_id FROM {quote} WHERE source_id = {{row}}.id"), None),
    ]


def _bump(apps, scope, where, row):
    model, counter_model, column, _ = SCOPES[scope]
    fresh = apps.get_model("briefs", counter_model)._meta.db_table
    target = apps.get_model("briefs", model)._meta.db_table
    # SQLite needs the WHERE before ON CONFLICT to read the upsert unambiguously; it is there.
    return (
        f"INSERT INTO {fresh} ({column}, counter) SELECT id, 1 FROM {target} WHERE ({where.format(row=row)}) "
        f"ON CONFLICT ({column}) DO UPDATE SET counter = {fresh}.counter + 1"
    )


def freshness_trigger_name(scope, table, event=None):
    return f"{SCOPES[scope][3]}_{table}" + (f"_{event.split()[0].lower()}" if event else "")


def sqlite_freshness_triggers(apps, scope):
    statements = []
    for table, events, where, when in party_freshness_rules(apps):
        for event in events:
            body = " ".join(f"{_bump(apps, scope, where, row)};" for row in _rows(event.split()[0]))
            condition = f" WHEN {when}" if when else ""
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {freshness_trigger_name(scope, table, event)} AFTER {event} ON {table}"
                f"{condition} BEGIN {body} END"
            )
    return statements


def postgresql_freshness_triggers(apps, scope):
    statements = []
    for table, events, where, when in party_freshness_rules(apps):
        name = freshness_trigger_name(scope, table)
        steps = " ".join(
            f"IF TG_OP <> '{'DELETE' if row == 'NEW' else 'INSERT'}' THEN {_bump(apps, scope, where, row)}; END IF;"
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


def drop_freshness_triggers(apps, scope, vendor):
    statements = []
    for table, events, _, _ in party_freshness_rules(apps):
        if vendor == "sqlite":
            statements += [f"DROP TRIGGER IF EXISTS {freshness_trigger_name(scope, table, event)}" for event in events]
        elif vendor == "postgresql":
            name = freshness_trigger_name(scope, table)
            statements += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return statements


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    triggers = sqlite_freshness_triggers if vendor == "sqlite" else postgresql_freshness_triggers
    for statement in triggers(apps, "party"):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    for statement in drop_freshness_triggers(apps, "party", vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0010_brief_freshness"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PartyFreshness",
            fields=[
                ("party_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("counter", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "party freshness",
                "verbose_name_plural": "party freshness",
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
