"""The deal tables join the triggers of migration 0002: every write to a deal, its participants,
stages and figures, or a brief's deal links bumps the content version, and empties the stored page
parts of the briefs about that deal. A party's or a source's update now also reaches the briefs
whose deals name it (as a participant, as a figure's source).

The SQL is frozen here as written; table names come from the historical models' metadata.
"""

from django.db import migrations

OPERATIONS = ("INSERT", "UPDATE", "DELETE")
DEAL_TABLES = ("Deal", "DealParticipant", "DealStage", "DealFigure", "BriefDeal")


def _t(apps):
    names = {
        name.lower(): apps.get_model("briefs", name)._meta.db_table
        for name in ("Brief", "BriefParty", "BriefQuote", "BriefSource", "Party", "Quote", "Source", "ContentVersion")
        + DEAL_TABLES
    }
    return names


def _rules(t, with_deals=True):
    """(table, operations, where on the brief table with {row}); with_deals=False: 0002's party and
    source rules, for going back."""
    via_quote = (
        f"SELECT bq.brief_id FROM {t['briefquote']} bq JOIN {t['quote']} q ON q.id = bq.quote_id "
        "WHERE q.{column} = {{row}}.id"
    )

    def via_deal(column):
        return f"SELECT brief_id FROM {t['briefdeal']} WHERE deal_id = {{row}}.{column}"

    def via_deal_row(table, column):
        return (
            f"SELECT bd.brief_id FROM {t['briefdeal']} bd JOIN {table} r ON r.deal_id = bd.deal_id "
            f"WHERE r.{column} = {{row}}.id"
        )

    party = (
        f"id IN (SELECT brief_id FROM {t['briefparty']} WHERE party_id = {{row}}.id) OR id IN ("
        + via_quote.format(column="speaker_id")
        + ")"
    )
    source = (
        f"id IN (SELECT brief_id FROM {t['briefsource']} WHERE source_id = {{row}}.id) OR id IN ("
        + via_quote.format(column="source_id")
        + ")"
    )
    if not with_deals:
        return [(t["party"], ("UPDATE",), party), (t["source"], ("UPDATE",), source)]
    return [
        (t["briefdeal"], OPERATIONS, "id = {row}.brief_id"),
        (t["deal"], ("UPDATE",), f"id IN ({via_deal('id')})"),
        *[
            (t[name], OPERATIONS, f"id IN ({via_deal('deal_id')})")
            for name in ("dealparticipant", "dealstage", "dealfigure")
        ],
        (t["party"], ("UPDATE",), party + f" OR id IN ({via_deal_row(t['dealparticipant'], 'party_id')})"),
        (t["source"], ("UPDATE",), source + f" OR id IN ({via_deal_row(t['dealfigure'], 'source_id')})"),
    ]


def _forget(t, where, row):
    return f"UPDATE {t['brief']} SET page_parts = '' WHERE page_parts <> '' AND ({where.format(row=row)})"


def _rows(operation):
    return {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[operation]


def _page_parts_sqlite(t, rules):
    statements = []
    for table, operations, where in rules:
        for operation in operations:
            name = f"dealsite_pp_{table}_{operation.lower()}"
            body = " ".join(f"{_forget(t, where, row)};" for row in _rows(operation))
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} BEGIN {body} END",
            ]
    return statements


def _page_parts_postgresql(t, rules):
    statements = []
    for table, operations, where in rules:
        name = f"dealsite_pp_{table}"
        steps = " ".join(
            f"IF TG_OP <> '{'DELETE' if row == 'NEW' else 'INSERT'}' THEN {_forget(t, where, row)}; END IF;"
            for row in ("OLD", "NEW")
        )
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {steps} RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {' OR '.join(operations)} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    return statements


def _content_version(t, vendor):
    statements = []
    for model in DEAL_TABLES:
        table = t[model.lower()]
        for operation in OPERATIONS:
            name = f"dealsite_cv_{table}_{operation.lower()}"
            if vendor == "sqlite":
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {operation} ON {table} "
                    f"BEGIN UPDATE {t['contentversion']} SET counter = counter + 1 WHERE id = 1; END"
                )
            else:
                statements += [
                    f"DROP TRIGGER IF EXISTS {name} ON {table}",
                    f"CREATE TRIGGER {name} AFTER {operation} ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION dealsite_bump_content_version()",
                ]
    return statements


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    t = _t(apps)
    page_parts = _page_parts_sqlite if vendor == "sqlite" else _page_parts_postgresql
    for statement in _content_version(t, vendor) + page_parts(t, _rules(t)):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    t = _t(apps)
    statements = []
    for table, operations, _ in _rules(t)[:-2]:  # the deal tables' own page-parts triggers
        if vendor == "sqlite":
            statements += [f"DROP TRIGGER IF EXISTS dealsite_pp_{table}_{op.lower()}" for op in operations]
        else:
            statements += [
                f"DROP TRIGGER IF EXISTS dealsite_pp_{table} ON {table}",
                f"DROP FUNCTION IF EXISTS dealsite_pp_{table}()",
            ]
    for model in DEAL_TABLES:
        table = t[model.lower()]
        for operation in OPERATIONS:
            name = f"dealsite_cv_{table}_{operation.lower()}"
            statements.append(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if vendor == "postgresql" else ""))
    page_parts = _page_parts_sqlite if vendor == "sqlite" else _page_parts_postgresql
    statements += page_parts(t, _rules(t, with_deals=False))
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("briefs", "0005_deals_from_briefs")]
    operations = [migrations.RunPython(install, uninstall, elidable=False)]
