"""Database triggers the app relies on, and keeping them in place on SQLite.

Five sets: the content-version triggers (every write to a content table bumps ContentVersion, which
the response caches of lists key on), the freshness triggers (a write bumps the counter of every
brief and every party whose own page shows the row, see briefs.models.BriefFreshness), the
page-parts triggers (a write to anything a brief's stored page parts show empties them, see
briefs/services/page_parts.py), the API-parts trigger (the API list's stored parts go with the
page parts) and the deal-volume triggers (a write that can change the home chart recounts its
month, see briefs.models.DealVolumeMonth). The migrations that install them hold
a frozen copy of their SQL; this is the live definition. On SQLite, any later migration that alters
one of those tables rebuilds it and silently drops its triggers, so `ensure_sqlite_triggers` runs
after every `migrate` (post_migrate) with idempotent statements. PostgreSQL alters tables in place
and keeps its triggers.
"""

from django.db import connections

WATCHED = [
    ("briefs", "Brief"),
    ("briefs", "BriefParty"),
    ("briefs", "BriefSource"),
    ("briefs", "BriefQuote"),
    ("briefs", "Note"),
    ("briefs", "Annotation"),
    ("briefs", "Party"),
    ("briefs", "Source"),
    ("briefs", "Quote"),
    ("briefs", "Deal"),
    ("briefs", "DealParticipant"),
    ("briefs", "DealStage"),
    ("briefs", "DealFigure"),
    ("briefs", "BriefDeal"),
]
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
VENDORS = ("sqlite", "postgresql")


def installed_on(connection):
    """Whether the database has the triggers: stored parts are kept only where they empty or re-key them."""
    return connection.vendor in VENDORS


def watch(app_label, model_name):
    """A feature's table whose writes change what readers see joins the content-version triggers
    (its own migration installs them; this re-creates them on SQLite after later migrations)."""
    if (app_label, model_name) not in WATCHED:
        WATCHED.append((app_label, model_name))


def watched_tables(apps):
    """Tables whose writes change what readers see (historical or real app registry)."""
    tables = [
        apps.get_model(app, model)._meta.db_table for app, model in WATCHED if app == "briefs" or _has_app(apps, app)
    ]
    brief = apps.get_model("briefs", "Brief")
    tables.append(brief._meta.get_field("related").remote_field.through._meta.db_table)
    return tables


def _has_app(apps, app_label):
    try:
        apps.get_app_config(app_label)
    except LookupError:  # a historical registry from before the feature's first migration
        return False
    return True


def content_version_trigger_name(table, operation):
    return f"dealsite_cv_{table}_{operation.lower()}"


def sqlite_content_version_trigger(table, operation, version_table):
    return (
        f"CREATE TRIGGER IF NOT EXISTS {content_version_trigger_name(table, operation)} AFTER {operation} ON {table} "
        f"BEGIN UPDATE {version_table} SET counter = counter + 1 WHERE id = 1; END"
    )


# ------------------------------------------------------------------------------- page parts
# Which briefs' stored page parts a written row is shown in: (table, operations, WHERE clause on
# the brief table with {row} for NEW/OLD, optional WHEN condition). Row triggers, in the writing
# transaction, whatever wrote (ORM, QuerySet.update(), raw SQL, another process).


def tables(apps):
    """The tables the triggers name, from the models' own metadata (historical or real registry)."""
    from django.conf import settings

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


def id_in(*selects):
    """The rows whose id one of `selects` (SELECTs of one column) gives, as one semi-join. Never as
    `id IN (a) OR id IN (b)`: PostgreSQL cannot drive an OR of subqueries from an index, so each
    firing would read the whole table, and with statistics from a near-empty table it re-runs the
    subqueries for every row it reads (a bulk insert of 2,000 rows then takes minutes)."""
    return "id IN (" + " UNION ".join(selects) + ")"


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
            id_in(
                f"SELECT brief_id FROM {t['briefparty']} WHERE party_id = {{row}}.id",
                via_quote.format(column="speaker_id"),
                via_deal_row(t["dealparticipant"], "party_id"),
            ),
            None,
        ),
        (
            t["source"],
            ("UPDATE",),
            id_in(
                f"SELECT brief_id FROM {t['briefsource']} WHERE source_id = {{row}}.id",
                via_quote.format(column="source_id"),
                via_deal_row(t["dealfigure"], "source_id"),
            ),
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


def _forget(brief_table, where, row):
    return f"UPDATE {brief_table} SET page_parts = '' WHERE page_parts <> '' AND ({where.format(row=row)})"


def _rows(operation):
    """NEW for inserts, OLD for deletes, both for updates (a link may move to another brief)."""
    return {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[operation]


def page_parts_trigger_name(table, operation=None):
    return f"dealsite_pp_{table}" + (f"_{operation.lower()}" if operation else "")


def sqlite_page_parts_triggers(apps):
    brief_table = tables(apps)["brief"]
    statements = []
    for table, operations, where, when in page_parts_rules(apps):
        for operation in operations:
            body = " ".join(f"{_forget(brief_table, where, row)};" for row in _rows(operation))
            condition = f" WHEN {when}" if when else ""
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {page_parts_trigger_name(table, operation)} AFTER {operation} ON {table}"
                f"{condition} BEGIN {body} END"
            )
    return statements


def postgresql_page_parts_triggers(apps):
    brief_table = tables(apps)["brief"]
    statements = []
    for table, operations, where, when in page_parts_rules(apps):
        name = page_parts_trigger_name(table)
        steps = " ".join(
            f"IF TG_OP <> '{'DELETE' if row == 'NEW' else 'INSERT'}' THEN {_forget(brief_table, where, row)}; END IF;"
            for row in ("OLD", "NEW")
        )
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {steps} RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {' OR '.join(operations)} ON {table} FOR EACH ROW"
            + (f" WHEN ({when.replace(' IS NOT ', ' IS DISTINCT FROM ')})" if when else "")
            + f" EXECUTE FUNCTION {name}()",
        ]
    return statements


def drop_page_parts_triggers(apps, vendor):
    statements = []
    for table, operations, _, _ in page_parts_rules(apps):
        if vendor == "sqlite":
            statements += [f"DROP TRIGGER IF EXISTS {page_parts_trigger_name(table, op)}" for op in operations]
        elif vendor == "postgresql":
            name = page_parts_trigger_name(table)
            statements += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return statements


# ------------------------------------------------------------------------------- API parts
# The API's stored nested lists (Brief.api_parts, api_detail_parts) show part of what the page
# parts show, so they are emptied whenever the page parts are: one row trigger on the brief.

API_PARTS_TRIGGER = "dealsite_ap_brief"
_API_PARTS_STORED = "NEW.page_parts = '' AND (NEW.api_parts <> '' OR NEW.api_detail_parts <> '')"


def _forget_api_parts(brief_table):
    return f"UPDATE {brief_table} SET api_parts = '', api_detail_parts = '' WHERE id = NEW.id"


def sqlite_api_parts_trigger(apps):
    brief = tables(apps)["brief"]
    return (
        f"CREATE TRIGGER IF NOT EXISTS {API_PARTS_TRIGGER} AFTER UPDATE OF page_parts ON {brief} "
        f"WHEN {_API_PARTS_STORED} BEGIN {_forget_api_parts(brief)}; END"
    )


def postgresql_api_parts_triggers(apps):
    brief = tables(apps)["brief"]
    return [
        f"CREATE OR REPLACE FUNCTION {API_PARTS_TRIGGER}() RETURNS trigger AS $$ BEGIN "
        f"{_forget_api_parts(brief)}; RETURN NULL; END; $$ LANGUAGE plpgsql",
        f"DROP TRIGGER IF EXISTS {API_PARTS_TRIGGER} ON {brief}",
        f"CREATE TRIGGER {API_PARTS_TRIGGER} AFTER UPDATE OF page_parts ON {brief} FOR EACH ROW "
        f"WHEN ({_API_PARTS_STORED}) EXECUTE FUNCTION {API_PARTS_TRIGGER}()",
    ]


# ------------------------------------------------------------------------------- freshness
# Which briefs' and which parties' own pages a written row is shown on, so that a write bumps the
# freshness counter of exactly those (briefs.models.BriefFreshness, PartyFreshness). Per scope:
# (table, events, WHERE clause on the scope's table with {row} for NEW/OLD, optional WHEN condition).
# Showing too much is safe (a page is made again); showing too little would leave a page stale, so
# the rules follow everything the page's template and query show, visibility included.

# scope: (model whose rows are scoped, counter model, its id column, trigger-name prefix)
SCOPES = {
    "brief": ("Brief", "BriefFreshness", "brief_id", "dealsite_bf"),
    "party": ("Party", "PartyFreshness", "party_id", "dealsite_pf"),
}
BRIEF_SCOPED = []  # (app_label, model_name, column naming the brief) of features' tables


def scope_to_brief(app_label, model_name, column="brief_id"):
    """A feature's table whose rows are shown on one brief's page (named by `column`) bumps that
    brief's freshness (its own migration installs the triggers; this re-creates them on SQLite)."""
    if (app_label, model_name, column) not in BRIEF_SCOPED:
        BRIEF_SCOPED.append((app_label, model_name, column))


def brief_update_columns(apps):
    """The brief's columns whose change a reader can see: all but the stored parts, which the
    render writes back (that write must not move the page's own key). The triggers name them, so on
    PostgreSQL a migration that adds a column to Brief re-installs them
    (tests/test_brief_freshness.py compares the installed triggers with this definition)."""
    from .models.briefs import STORED_PARTS

    brief = apps.get_model("briefs", "Brief")
    return [field.column for field in brief._meta.concrete_fields if field.column not in STORED_PARTS]


def _brief_events(apps):
    return ("INSERT", "UPDATE OF " + ", ".join(brief_update_columns(apps)), "DELETE")


def brief_freshness_rules(apps):
    """Everything the stored page parts show (the page-parts rules), plus what a brief's page and
    API detail show besides them: its annotations, the other briefs it links or shares a deal with
    (a title, a status), and features' rows (scope_to_brief)."""
    t = tables(apps)
    briefdeal, related = t["briefdeal"], t["related"]
    deal_of = f"SELECT brief_id FROM {briefdeal} WHERE deal_id = {{row}}.deal_id"
    linking = f"SELECT from_brief_id FROM {related} WHERE to_brief_id = {{row}}.id"
    same_deal = f"SELECT o.brief_id FROM {briefdeal} s JOIN {briefdeal} o ON o.deal_id = s.deal_id WHERE s.brief_id = {{row}}.id"
    rules = [rule for rule in page_parts_rules(apps) if rule[0] != briefdeal]
    rules += [
        (t["brief"], _brief_events(apps), id_in("SELECT {row}.id", linking, same_deal), None),
        # A brief joining or leaving a deal shows on (or leaves) the pages of the deal's other briefs.
        (briefdeal, OPERATIONS, id_in("SELECT {row}.brief_id", deal_of), None),
        (apps.get_model("briefs", "Annotation")._meta.db_table, OPERATIONS, "id = {row}.brief_id", None),
    ]
    for app_label, model_name, column in BRIEF_SCOPED:
        if _has_app(apps, app_label):
            rules.append(
                (apps.get_model(app_label, model_name)._meta.db_table, OPERATIONS, f"id = {{row}}.{column}", None)
            )
    return rules


def party_freshness_rules(apps):
    """A party page shows the party (its parent, affiliation, subsidiaries and people when they are
    public), the published briefs that link it with their deal lines (every participant's name),
    its public deals with totals, timeline and co-investors, and its quotes with their source and
    brief. Whether a party is public turns on the briefs that link, quote or are about deals with
    it, so a brief's write reaches every party it touches and the parties next to them."""
    t = tables(apps)
    party, briefparty, briefdeal = t["party"], t["briefparty"], t["briefdeal"]
    participant, briefquote, quote = t["dealparticipant"], t["briefquote"], t["quote"]

    def near(ids, *also):  # the parties in `ids` (a SELECT), those whose page names them as related, and `also`
        return id_in(
            ids,
            f"SELECT id FROM {party} WHERE parent_id IN ({ids})",
            f"SELECT id FROM {party} WHERE affiliation_id IN ({ids})",
            f"SELECT parent_id FROM {party} WHERE id IN ({ids})",
            f"SELECT affiliation_id FROM {party} WHERE id IN ({ids})",
            *also,
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
            near("SELECT {row}.id UNION SELECT {row}.parent_id UNION SELECT {row}.affiliation_id", named_with),
            None,
        ),
        (quote, OPERATIONS, near("SELECT {row}.speaker_id"), None),
        (t["source"], ("UPDATE",), near(f"SELECT speaker_id FROM {quote} WHERE source_id = {{row}}.id"), None),
    ]


def freshness_rules(apps, scope):
    return brief_freshness_rules(apps) if scope == "brief" else party_freshness_rules(apps)


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


def sqlite_freshness_triggers(apps, scope, existing=None):
    """The SQLite triggers (only those on the `existing` tables, when given: a feature's table
    exists once its own migration has run)."""
    statements = []
    for table, events, where, when in freshness_rules(apps, scope):
        if existing is not None and table not in existing:
            continue
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
    for table, events, where, when in freshness_rules(apps, scope):
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
    for table, events, _, _ in freshness_rules(apps, scope):
        if vendor == "sqlite":
            statements += [f"DROP TRIGGER IF EXISTS {freshness_trigger_name(scope, table, event)}" for event in events]
        elif vendor == "postgresql":
            name = freshness_trigger_name(scope, table)
            statements += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return statements


# ------------------------------------------------------------------------------- deal volume
# The home chart's monthly counts (briefs.models.DealVolumeMonth): a write that can change a month's
# count recounts that month from the deals (one index range, deal_date_idx), in the writing
# transaction. (table, operations, months the written row touches as a SELECT of `m` with {row} for
# NEW/OLD, optional WHEN condition per operation.)

_DEAL_DATE = "COALESCE({deal}.announced_on, {deal}.rumoured_on)"


def _month_start(vendor, expression):
    return f"date({expression}, 'start of month')" if vendor == "sqlite" else f"date_trunc('month', {expression})::date"


def _next_month(vendor, expression):
    return f"date({expression}, '+1 month')" if vendor == "sqlite" else f"({expression} + interval '1 month')::date"


# Counted: deals with a brief marked published. The clock's part of the visibility rule (a
# scheduled brief due but not yet marked, a published one dated later) is the chart's to correct
# when it reads the counts (briefs.charts.deal_volume), from index ranges empty in normal use.
_COUNTED_STATUS = "'published'"


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
    counted = " OR ".join(
        f"OLD.{column} IS NOT NEW.{column}"
        for column in ("announced_on", "rumoured_on", "headline_usd", "headline_amount")
    )
    return [
        # A brief's status: only a move into or out of published changes what is counted.
        (t["brief"], {"UPDATE": f"(OLD.status = {_COUNTED_STATUS}) <> (NEW.status = {_COUNTED_STATUS})"}, of_brief),
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
        f"WHERE bd.deal_id = d.id AND b.status = {_COUNTED_STATUS}) "
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


def ensure_sqlite_triggers(using="default", **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    from django.apps import apps

    existing = set(connection.introspection.table_names(include_views=False))
    version_table = apps.get_model("briefs", "ContentVersion")._meta.db_table
    statements = []
    if version_table in existing:
        statements += [
            sqlite_content_version_trigger(table, operation, version_table)
            for table in watched_tables(apps)
            if table in existing
            for operation in OPERATIONS
        ]
    # A migrate back to before the page parts existed has no page_parts column.
    rules = page_parts_rules(apps)
    brief_table = tables(apps)["brief"]
    if {table for table, *_ in rules} <= existing and _has_column(connection, brief_table, "page_parts"):
        statements += sqlite_page_parts_triggers(apps)
    if brief_table in existing and _has_column(connection, brief_table, "api_parts"):
        statements.append(sqlite_api_parts_trigger(apps))
    if apps.get_model("briefs", "DealVolumeMonth")._meta.db_table in existing:
        statements += sqlite_deal_volume_triggers(apps)
    for scope, (_, counter_model, _, _) in SCOPES.items():
        if apps.get_model("briefs", counter_model)._meta.db_table in existing:
            # Dropped first: ADD COLUMN keeps a trigger, whose list of the brief's columns is then short.
            statements += drop_freshness_triggers(apps, scope, "sqlite")
            statements += sqlite_freshness_triggers(apps, scope, existing)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _has_column(connection, table, column):
    with connection.cursor() as cursor:
        return column in {info.name for info in connection.introspection.get_table_description(cursor, table)}


def ensure_content_version_row(using="default", **kwargs):
    """post_migrate (also sent after a flush): the triggers bump row 1, and the caches store nothing
    without it, so a flush that empties the table must not silently turn caching off."""
    from django.apps import apps

    model = apps.get_model("briefs", "ContentVersion")
    if model._meta.db_table in connections[using].introspection.table_names():
        model.objects.using(using).get_or_create(pk=1, defaults={"counter": 0})
