"""The page-parts and freshness triggers select the briefs and parties a written row reaches as one
`id IN (a UNION b …)` instead of `id IN (a) OR id IN (b) …`. They reach the same rows. PostgreSQL
cannot drive an OR of subqueries from an index, so every firing read the whole brief or party
table, and with statistics gathered while a table was nearly empty it ran the subqueries again for
each row it read: a bulk insert of a few thousand rows could take minutes. A single IN is a
semi-join, driven from the few ids the subqueries give.

The trigger SQL is frozen here as written; briefs/db_triggers.py holds the live definition. Table
and column names come from the historical models' metadata. On PostgreSQL only the functions change
(the triggers' events stay as installed); SQLite keeps a trigger's body with its definition, so the
triggers are made again. Going back keeps the new bodies: they select the same rows.
"""

from importlib import import_module

from django.db import migrations

OPERATIONS = ("INSERT", "UPDATE", "DELETE")
STORED_PARTS = ("page_parts", "api_parts", "api_detail_parts")
COUNTERS = {  # scope: (counter model, its id column, scoped model, trigger-name prefix)
    "brief": ("BriefFreshness", "brief_id", "Brief", "dealsite_bf"),
    "party": ("PartyFreshness", "party_id", "Party", "dealsite_pf"),
}


def tables(apps):
    return import_module("briefs.migrations.0011_party_freshness").tables(apps)


def id_in(*selects):
    return "id IN (" + " UNION ".join(selects) + ")"


def _brief_events(apps):
    brief = apps.get_model("briefs", "Brief")
    columns = [field.column for field in brief._meta.concrete_fields if field.column not in STORED_PARTS]
    return ("INSERT", "UPDATE OF " + ", ".join(columns), "DELETE")


def page_parts_rules(t):
    """The page-parts rules whose SQL changes: a party's or a source's update."""
    via_quote = (
        f"SELECT bq.brief_id FROM {t['briefquote']} bq JOIN {t['quote']} q ON q.id = bq.quote_id "
        "WHERE q.{column} = {{row}}.id"
    )

    def via_deal_row(table, column):
        return (
            f"SELECT bd.brief_id FROM {t['briefdeal']} bd JOIN {table} r ON r.deal_id = bd.deal_id "
            f"WHERE r.{column} = {{row}}.id"
        )

    return [
        (
            t["party"],
            ("UPDATE",),
            id_in(
                f"SELECT brief_id FROM {t['briefparty']} WHERE party_id = {{row}}.id",
                via_quote.format(column="speaker_id"),
                via_deal_row(t["dealparticipant"], "party_id"),
            ),
        ),
        (
            t["source"],
            ("UPDATE",),
            id_in(
                f"SELECT brief_id FROM {t['briefsource']} WHERE source_id = {{row}}.id",
                via_quote.format(column="source_id"),
                via_deal_row(t["dealfigure"], "source_id"),
            ),
        ),
    ]


def brief_freshness_rules(apps, t):
    """The brief-freshness rules whose SQL changes: the two above, a brief's and a deal link's."""
    briefdeal, related = t["briefdeal"], t["related"]
    deal_of = f"SELECT brief_id FROM {briefdeal} WHERE deal_id = {{row}}.deal_id"
    linking = f"SELECT from_brief_id FROM {related} WHERE to_brief_id = {{row}}.id"
    same_deal = f"SELECT o.brief_id FROM {briefdeal} s JOIN {briefdeal} o ON o.deal_id = s.deal_id WHERE s.brief_id = {{row}}.id"
    return [
        *page_parts_rules(t),
        (t["brief"], _brief_events(apps), id_in("SELECT {row}.id", linking, same_deal)),
        (briefdeal, OPERATIONS, id_in("SELECT {row}.brief_id", deal_of)),
    ]


def party_freshness_rules(apps, t):
    """Every party-freshness rule (each names the parties near the written row)."""
    party, briefparty, briefdeal = t["party"], t["briefparty"], t["briefdeal"]
    participant, briefquote, quote = t["dealparticipant"], t["briefquote"], t["quote"]

    def near(ids, *also):
        return id_in(
            ids,
            f"SELECT id FROM {party} WHERE parent_id IN ({ids})",
            f"SELECT id FROM {party} WHERE affiliation_id IN ({ids})",
            f"SELECT parent_id FROM {party} WHERE id IN ({ids})",
            f"SELECT affiliation_id FROM {party} WHERE id IN ({ids})",
            *also,
        )

    def of_brief(brief_id):
        return (
            f"SELECT party_id FROM {briefparty} WHERE brief_id = {brief_id} "
            f"UNION SELECT dp.party_id FROM {briefdeal} bd JOIN {participant} dp ON dp.deal_id = bd.deal_id "
            f"WHERE bd.brief_id = {brief_id} "
            f"UNION SELECT q.speaker_id FROM {briefquote} bq JOIN {quote} q ON q.id = bq.quote_id "
            f"WHERE bq.brief_id = {brief_id}"
        )

    def of_deal(deal_id):
        return (
            f"SELECT party_id FROM {participant} WHERE deal_id = {deal_id} "
            f"UNION SELECT bp.party_id FROM {briefdeal} bd JOIN {briefparty} bp ON bp.brief_id = bd.brief_id "
            f"WHERE bd.deal_id = {deal_id}"
        )

    named_with = (
        f"SELECT o.party_id FROM {participant} s JOIN {participant} o ON o.deal_id = s.deal_id "
        "WHERE s.party_id = {row}.id "
        f"UNION SELECT bp.party_id FROM {participant} s JOIN {briefdeal} bd ON bd.deal_id = s.deal_id "
        f"JOIN {briefparty} bp ON bp.brief_id = bd.brief_id WHERE s.party_id = {{row}}.id"
    )
    return [
        (t["brief"], _brief_events(apps), near(of_brief("{row}.id"))),
        (briefparty, OPERATIONS, near("SELECT {row}.party_id")),
        (briefquote, OPERATIONS, near(f"SELECT speaker_id FROM {quote} WHERE id = {{row}}.quote_id")),
        (
            briefdeal,
            OPERATIONS,
            near(
                f"{of_deal('{row}.deal_id')} UNION SELECT party_id FROM {briefparty} WHERE brief_id = {{row}}.brief_id"
            ),
        ),
        (t["deal"], ("UPDATE", "DELETE"), near(of_deal("{row}.id"))),
        (participant, OPERATIONS, near(f"SELECT {{row}}.party_id UNION {of_deal('{row}.deal_id')}")),
        *[(t[name], OPERATIONS, near(of_deal("{row}.deal_id"))) for name in ("dealstage", "dealfigure")],
        (
            party,
            OPERATIONS,
            near("SELECT {row}.id UNION SELECT {row}.parent_id UNION SELECT {row}.affiliation_id", named_with),
        ),
        (quote, OPERATIONS, near("SELECT {row}.speaker_id")),
        (t["source"], ("UPDATE",), near(f"SELECT speaker_id FROM {quote} WHERE source_id = {{row}}.id")),
    ]


def _rows(operation):
    return {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[operation]


def trigger_sets(apps):
    """(trigger-name prefix, rules, the statement a firing runs for `where` and a row)."""
    t = tables(apps)

    def forget(where, row):
        return f"UPDATE {t['brief']} SET page_parts = '' WHERE page_parts <> '' AND ({where.format(row=row)})"

    def bump(scope):
        counter, column, model, _ = COUNTERS[scope]
        fresh = apps.get_model("briefs", counter)._meta.db_table
        target = apps.get_model("briefs", model)._meta.db_table
        return lambda where, row: (
            f"INSERT INTO {fresh} ({column}, counter) SELECT id, 1 FROM {target} WHERE ({where.format(row=row)}) "
            f"ON CONFLICT ({column}) DO UPDATE SET counter = {fresh}.counter + 1"
        )

    return [
        ("dealsite_pp", page_parts_rules(t), forget),
        (COUNTERS["brief"][3], brief_freshness_rules(apps, t), bump("brief")),
        (COUNTERS["party"][3], party_freshness_rules(apps, t), bump("party")),
    ]


def sqlite_statements(apps):
    statements = []
    for prefix, rules, action in trigger_sets(apps):
        for table, events, where in rules:
            for event in events:
                name = f"{prefix}_{table}_{event.split()[0].lower()}"
                body = " ".join(f"{action(where, row)};" for row in _rows(event.split()[0]))
                statements += [
                    f"DROP TRIGGER IF EXISTS {name}",
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} BEGIN {body} END",
                ]
    return statements


def postgresql_statements(apps):
    statements = []
    for prefix, rules, action in trigger_sets(apps):
        for table, _, where in rules:
            steps = " ".join(
                f"IF TG_OP <> '{'DELETE' if row == 'NEW' else 'INSERT'}' THEN {action(where, row)}; END IF;"
                for row in ("OLD", "NEW")
            )
            statements.append(
                f"CREATE OR REPLACE FUNCTION {prefix}_{table}() RETURNS trigger AS $$ BEGIN {steps} RETURN NULL; END; "
                "$$ LANGUAGE plpgsql"
            )
    return statements


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    for statement in sqlite_statements(apps) if vendor == "sqlite" else postgresql_statements(apps):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("briefs", "0012_api_parts")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop, elidable=False)]
