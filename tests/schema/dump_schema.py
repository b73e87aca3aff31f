"""A deterministic text picture of what `migrate` gives a fresh database, to compare migration sets.

`dump(connection)` reads the database's own catalogue (SQLite: sqlite_master and PRAGMAs;
PostgreSQL: pg_catalog), not Django's models, so it shows what the migrations really ran: tables
including FTS5 virtual tables and their shadow tables, columns, indexes, constraints, triggers and,
on PostgreSQL, extensions, functions and sequences. It adds the auth permissions and groups and
how many rows each table holds, because data migrations create those and a deployment gets them.

Every line stands on its own (it names its table) and the lines are sorted, so two dumps compare
line by line and a difference reads without context. SQL text is compared with whitespace collapsed.

    .venv/bin/python -m tests.schema.dump_schema OUT_FILE

migrates the database DATABASE_URL names (or a new temporary SQLite file when it is unset), which
must be empty, and writes its dump to OUT_FILE.
"""

import os
import re
import sys
import tempfile
from pathlib import Path

# Tables whose row counts are left out: django_migrations lists migration names, which a squash
# changes by design. Only tables holding rows get a count line.
EXCLUDED_ROW_COUNTS = {"django_migrations"}


def normalise_sql(sql):
    """SQL with every run of whitespace made one space."""
    return " ".join(sql.split())


def dump(connection):
    """The sorted text of the schema and migration-made auth data of `connection`'s database."""
    readers = {"sqlite": _sqlite_lines, "postgresql": _postgresql_lines}
    if connection.vendor not in readers:
        raise NotImplementedError(f"no schema reader for {connection.vendor}")
    with connection.cursor() as cursor:
        lines = readers[connection.vendor](cursor)
    lines += _auth_lines(connection)
    return "\n".join([f"# vendor {connection.vendor}", *sorted(set(lines))]) + "\n"


# --------------------------------------------------------------------------------------- SQLite


def _sqlite_lines(cursor):
    cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    objects = cursor.fetchall()
    tables = [(name, sql) for kind, name, _, sql in objects if kind == "table"]
    lines = []
    for name, sql in tables:
        lines += _sqlite_table_lines(cursor, name, sql or "")
    for kind, name, table, sql in objects:
        if kind == "trigger":
            lines.append(f"trigger {name} on {table}: {_sqlite_trigger_events(sql)}: {normalise_sql(sql)}")
        elif kind == "view":
            lines.append(f"view {name}: {normalise_sql(sql)}")
    return lines


def _sqlite_table_lines(cursor, table, sql):
    prefix = f"table {table}"
    quoted = _sqlite_quote(table)
    virtual = sql.upper().startswith("CREATE VIRTUAL TABLE")
    lines = [prefix + (": virtual" if virtual else "")]
    cursor.execute(f"PRAGMA table_xinfo({quoted})")
    columns = cursor.fetchall()  # cid, name, type, notnull, dflt_value, pk, hidden
    if virtual:
        # The whole statement: the module's arguments (tokenizer, prefix, external content) are the
        # schema, and FTS5 columns are positional (bm25 weights are given in column order).
        lines.append(f"{prefix}: sql: {normalise_sql(sql)}")
        names = ", ".join(name for _, name, *_ in sorted(columns))
        lines.append(f"{prefix}: columns in order: {names}")
    else:
        definitions, constraints, options = _sqlite_table_parts(sql)
        for _, name, type_, notnull, default, pk, hidden in columns:
            details = [type_ or "(no type)", "NOT NULL" if notnull else "NULL"]
            if default is not None:
                details.append(f"default {default}")
            if pk:
                details.append(f"primary key #{pk}")
            if hidden:
                details.append(
                    {1: "hidden", 2: "generated virtual", 3: "generated stored"}.get(hidden, f"hidden {hidden}")
                )
            definition = definitions.get(name.lower(), "")
            lines.append(f"{prefix}: column {name}: {', '.join(details)}; sql: {definition}")
        lines += [f"{prefix}: constraint: {constraint}" for constraint in constraints]
        if options:
            lines.append(f"{prefix}: options: {options}")
    lines += _sqlite_foreign_key_lines(cursor, prefix, quoted)
    lines += _sqlite_index_lines(cursor, prefix, quoted)
    count = _row_count(cursor, table, quoted)
    if count:
        lines.append(f"{prefix}: rows: {count}")
    return lines


def _sqlite_foreign_key_lines(cursor, prefix, quoted):
    cursor.execute(f"PRAGMA foreign_key_list({quoted})")
    keys = {}
    for key_id, _seq, target, source, to, on_update, on_delete, match in cursor.fetchall():
        key = keys.setdefault(key_id, {"target": target, "from": [], "to": [], "rules": (on_update, on_delete, match)})
        key["from"].append(source)
        key["to"].append(to or "(primary key)")
    lines = []
    for key in keys.values():
        on_update, on_delete, match = key["rules"]
        lines.append(
            f"{prefix}: foreign key ({', '.join(key['from'])}) -> {key['target']} ({', '.join(key['to'])})"
            f" on delete {on_delete}, on update {on_update}, match {match}"
        )
    return lines


def _sqlite_index_lines(cursor, prefix, quoted):
    cursor.execute(f"PRAGMA index_list({quoted})")
    lines = []
    for _seq, name, unique, origin, partial in cursor.fetchall():
        cursor.execute(f"PRAGMA index_xinfo({_sqlite_quote(name)})")
        keys = [row for row in cursor.fetchall() if row[5]]  # seqno, cid, name, desc, collation, key
        columns = ", ".join(
            (column if cid >= 0 else "(expression)" if cid == -2 else "(rowid)") + (" DESC" if desc else "")
            for _seqno, cid, column, desc, _collation, _key in keys
        )
        kind = {"c": "index", "u": "unique constraint", "pk": "primary key"}.get(origin, origin)
        details = f"{kind} ({columns}), unique={bool(unique)}"
        if origin == "c":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
            sql = normalise_sql(cursor.fetchone()[0])
            details += f", {_partial(_sqlite_index_condition(sql) if partial else None)}"
            lines.append(f"{prefix}: index {name}: {details}; sql: {sql}")
        else:
            # sqlite_autoindex_<table>_<n> numbers follow the order of the table's constraints, so
            # the name says nothing: the columns identify the index.
            lines.append(f"{prefix}: automatic index: {details}")
    return lines


def _sqlite_index_condition(sql):
    """The WHERE clause of a CREATE INDEX statement: whatever follows its column list."""
    start = _find_outside_quotes(sql, "(")
    rest = sql[_matching_parenthesis(sql, start) + 1 :].strip()
    return rest[len("WHERE") :].strip() if rest.upper().startswith("WHERE") else rest


def _partial(condition):
    return f"partial where {condition}" if condition else "partial=False"


_TRIGGER_HEAD = re.compile(
    r"^CREATE\s+TRIGGER\s+(?:\S+)\s+(BEFORE|AFTER|INSTEAD\s+OF)?\s*(DELETE|INSERT|UPDATE(?:\s+OF\s+.+?)?)\s+ON\s",
    re.IGNORECASE,
)


def _sqlite_trigger_events(sql):
    match = _TRIGGER_HEAD.match(normalise_sql(sql))
    if not match:
        return "(unparsed)"
    timing = (match.group(1) or "BEFORE").upper()  # SQLite's default timing
    return f"{timing} {match.group(2).upper()}"


def _sqlite_table_parts(sql):
    """Column definitions by lower-cased name, table constraints (sorted) and the table options."""
    start = _find_outside_quotes(sql, "(")
    if start < 0:
        return {}, [], ""
    end = _matching_parenthesis(sql, start)
    definitions, constraints = {}, []
    for element in _split_top_level(sql[start + 1 : end]):
        text = normalise_sql(element)
        if re.match(r"(CONSTRAINT|PRIMARY\s+KEY|UNIQUE|CHECK|FOREIGN\s+KEY)\b", text, re.IGNORECASE):
            constraints.append(text)
        else:
            definitions[_unquote(_first_token(text)).lower()] = text
    return definitions, sorted(constraints), normalise_sql(sql[end + 1 :])


_QUOTES = {'"': '"', "'": "'", "`": "`", "[": "]"}


def _scan(text):
    """(index, character, depth) for each character outside quotes; depth counts open parentheses."""
    depth, index, length = 0, 0, len(text)
    while index < length:
        char = text[index]
        if char in _QUOTES:
            close = _QUOTES[char]
            index += 1
            while index < length:
                if text[index] == close:
                    if close != "]" and index + 1 < length and text[index + 1] == close:  # doubled quote
                        index += 2
                        continue
                    break
                index += 1
        else:
            if char == ")":
                depth -= 1
            yield index, char, depth
            if char == "(":
                depth += 1
        index += 1


def _find_outside_quotes(text, wanted):
    return next((index for index, char, _ in _scan(text) if char == wanted), -1)


def _matching_parenthesis(text, start):
    for index, char, depth in _scan(text[start:]):
        if char == ")" and depth == 0:
            return start + index
    raise ValueError(f"unbalanced parentheses in {text!r}")


def _split_top_level(text):
    parts, begin = [], 0
    for index, char, depth in _scan(text):
        if char == "," and depth == 0:
            parts.append(text[begin:index])
            begin = index + 1
    parts.append(text[begin:])
    return [part for part in parts if part.strip()]


def _first_token(text):
    for index, char, _ in _scan(text):
        if char.isspace():
            return text[:index]
    return text


def _unquote(name):
    if name[:1] in _QUOTES and name[-1:] == _QUOTES[name[0]]:
        return name[1:-1]
    return name


def _sqlite_quote(name):
    return '"' + name.replace('"', '""') + '"'


def _row_count(cursor, table, quoted):
    from django.db import DatabaseError

    if table in EXCLUDED_ROW_COUNTS:
        return None
    try:
        cursor.execute(f"SELECT count(*) FROM {quoted}")
    except DatabaseError:  # a virtual table whose module this SQLite lacks cannot be read
        return None
    return cursor.fetchone()[0]


# ----------------------------------------------------------------------------------- PostgreSQL

_SCHEMAS = "n.nspname = ANY (current_schemas(false))"
# Objects an extension installs (pg_trgm's functions) belong to the extension, listed once by name.
_NOT_FROM_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.classid = {catalog}::regclass AND d.deptype = 'e')"
_RELATION_KINDS = {"r": "table", "p": "partitioned table", "v": "view", "m": "materialized view", "f": "foreign table"}
_CONSTRAINT_KINDS = {
    "c": "check",
    "f": "foreign key",
    "p": "primary key",
    "u": "unique",
    "x": "exclusion",
    "t": "trigger",
}
_TRIGGER_STATES = {"O": "enabled", "D": "disabled", "R": "enabled on replicas only", "A": "enabled always"}
_FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def _postgresql_lines(cursor):
    lines = []
    # Versions are left out: they follow the server's packages, not the migrations.
    cursor.execute("SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace")
    lines += [f"extension {name} in schema {schema}" for name, schema in cursor.fetchall()]
    cursor.execute(
        f"SELECT c.oid, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE {_SCHEMAS} AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
        f"AND {_NOT_FROM_EXTENSION.format(oid='c.oid', catalog=repr('pg_class'))}"
    )
    for oid, table, kind in cursor.fetchall():
        lines += _postgresql_table_lines(cursor, oid, table, kind)
    lines += _postgresql_sequence_lines(cursor)
    lines += _postgresql_function_lines(cursor)
    return lines


def _postgresql_table_lines(cursor, oid, table, kind):
    prefix = f"table {table}"
    lines = [prefix if kind == "r" else f"{prefix}: {_RELATION_KINDS[kind]}"]
    if kind in ("v", "m"):
        cursor.execute("SELECT pg_get_viewdef(%s::oid)", [oid])
        lines.append(f"{prefix}: definition: {normalise_sql(cursor.fetchone()[0])}")
    cursor.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, a.attgenerated, "
        "pg_get_expr(d.adbin, d.adrelid), co.collname "
        "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation "
        "WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped",
        [oid],
    )
    for name, type_, notnull, identity, generated, expression, collation in cursor.fetchall():
        details = [type_, "NOT NULL" if notnull else "NULL"]
        if identity:
            details.append({"a": "identity always", "d": "identity by default"}[identity])
        if generated:
            details.append(f"generated always as ({normalise_sql(expression)}) stored")
        elif expression is not None:
            details.append(f"default {normalise_sql(expression)}")
        if collation:
            details.append(f"collate {collation}")
        lines.append(f"{prefix}: column {name}: {', '.join(details)}")
    cursor.execute(
        "SELECT c.conname, c.contype, pg_get_constraintdef(c.oid), c.confdeltype, c.confupdtype, c.confrelid::regclass::text "
        "FROM pg_constraint c WHERE c.conrelid = %s",
        [oid],
    )
    for name, kind_, definition, on_delete, on_update, target in cursor.fetchall():
        line = f"{prefix}: constraint {name}: {_CONSTRAINT_KINDS.get(kind_, kind_)}: {normalise_sql(definition)}"
        if kind_ == "f":
            line += f"; target {target}, on delete {_FK_ACTIONS[on_delete]}, on update {_FK_ACTIONS[on_update]}"
        lines.append(line)
    cursor.execute(
        "SELECT i.relname, x.indisunique, x.indisprimary, pg_get_indexdef(x.indexrelid), "
        "pg_get_expr(x.indpred, x.indrelid) "
        "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s",
        [oid],
    )
    for name, unique, primary, definition, predicate in cursor.fetchall():
        details = f"unique={unique}, primary={primary}, {_partial(predicate and normalise_sql(predicate))}"
        lines.append(f"{prefix}: index {name}: {details}; sql: {normalise_sql(definition)}")
    cursor.execute(
        "SELECT t.tgname, t.tgtype, t.tgenabled, pg_get_triggerdef(t.oid) FROM pg_trigger t "
        "WHERE t.tgrelid = %s AND NOT t.tgisinternal",
        [oid],
    )
    for name, tgtype, enabled, definition in cursor.fetchall():
        lines.append(
            f"trigger {name} on {table}: {_postgresql_trigger_events(tgtype)}, {_TRIGGER_STATES[enabled]}: "
            f"{normalise_sql(definition)}"
        )
    if kind in ("r", "p") and table not in EXCLUDED_ROW_COUNTS:
        cursor.execute(f"SELECT count(*) FROM {_postgresql_quote(table)}")
        count = cursor.fetchone()[0]
        if count:
            lines.append(f"{prefix}: rows: {count}")
    return lines


def _postgresql_trigger_events(tgtype):
    # pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
    timing = "INSTEAD OF" if tgtype & 64 else "BEFORE" if tgtype & 2 else "AFTER"
    events = [event for bit, event in ((4, "INSERT"), (8, "DELETE"), (16, "UPDATE"), (32, "TRUNCATE")) if tgtype & bit]
    level = "FOR EACH ROW" if tgtype & 1 else "FOR EACH STATEMENT"
    return f"{timing} {' OR '.join(events)} {level}"


def _postgresql_sequence_lines(cursor):
    cursor.execute(
        "SELECT c.relname, format_type(s.seqtypid, NULL), s.seqincrement, owner.relname, a.attname "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid "
        "LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass "
        "AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
        "LEFT JOIN pg_class owner ON owner.oid = d.refobjid "
        "LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
        f"WHERE {_SCHEMAS} AND c.relkind = 'S'"
    )
    return [
        f"sequence {name}: {type_}, increment {increment}, owned by {f'{table}.{column}' if table else '(nothing)'}"
        for name, type_, increment, table, column in cursor.fetchall()
    ]


def _postgresql_function_lines(cursor):
    cursor.execute(
        "SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid), "
        "pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        f"WHERE {_SCHEMAS} AND p.prokind IN ('f', 'p') "
        f"AND {_NOT_FROM_EXTENSION.format(oid='p.oid', catalog=repr('pg_proc'))}"
    )
    return [
        f"function {name}({arguments}) returns {result}: {normalise_sql(definition)}"
        for name, arguments, result, definition in cursor.fetchall()
    ]


def _postgresql_quote(name):
    return '"' + name.replace('"', '""') + '"'


# ------------------------------------------------------------------------------------------ auth


def _auth_lines(connection):
    from django.contrib.auth.models import Group, Permission

    permissions = Permission.objects.using(connection.alias).select_related("content_type")
    lines = [
        f"permission {p.content_type.app_label}.{p.content_type.model} {p.codename}: {p.name}" for p in permissions
    ]
    for group in Group.objects.using(connection.alias).prefetch_related("permissions__content_type"):
        lines.append(f"group {group.name}")
        lines += [f"group {group.name}: {p.content_type.app_label}.{p.codename}" for p in group.permissions.all()]
    return lines


# ------------------------------------------------------------------------------------------- CLI


def _is_empty(connection):
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} OUT_FILE", file=sys.stderr)
        return 2
    out = Path(argv[1])
    with tempfile.TemporaryDirectory(prefix="dealsite-schema-") as scratch:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(scratch) / 'schema.sqlite3'}")
        # Settings insist on a key outside DEBUG; this process signs nothing.
        os.environ.setdefault("SECRET_KEY", "schema-dump-signs-nothing")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        if not _is_empty(connection):
            print(f"{connection.settings_dict['NAME']} already has tables: give an empty database", file=sys.stderr)
            return 1
        call_command("migrate", interactive=False, verbosity=0)
        text = dump(connection)
        connection.close()
    out.write_text(text)
    print(f"{out}: {len(text.splitlines())} lines ({connection.vendor})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
