"""How much a query reads, for tests of constant cost: a query whose work does not grow as unrelated
rows are added costs the same however large the archive grows (the plan and the rows read, not a
timing, are what a test can hold)."""

import json

from django.db import connection


def _plan(explain, params):
    """A PostgreSQL plan with sequential scans, hash and merge joins off and work_mem at its least:
    the plan an index can drive, not the one the planner picks for a test's few rows (it reads small
    tables whole, and hashes a whole subquery's result when it fits in memory, as an archive's
    does not)."""
    settings = [f"enable_{method}" for method in ("seqscan", "hashjoin", "mergejoin")]
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET {setting} = off")
        cursor.execute("SET work_mem = '64kB'")
        try:
            cursor.execute(explain, params)
            plan = cursor.fetchone()[0]
        finally:
            for setting in [*settings, "work_mem"]:
                cursor.execute(f"RESET {setting}")
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def unindexed_reads(sql, params=()):
    """The tables SQLite's plan for `sql` reads whole (its SCAN steps). PostgreSQL's plan for a test's
    few rows is the planner's choice, not the query's, so no such check is made there."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[-1] for row in cursor.fetchall()]
    return [step for step in steps if step.startswith("SCAN ") and step != "SCAN CONSTANT ROW"]


def statements_of(run):
    """The (sql, params) of every statement `run()` sends."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    return sent


def work_of(sql, params=()):
    """How much reading `sql` takes, in a unit that counts rows, not time: SQLite's virtual-machine
    steps while it runs; on PostgreSQL the rows its scans read (EXPLAIN ANALYZE of the plan an index
    can drive), kept or filtered."""
    if connection.vendor == "sqlite":
        steps = [0]

        def count():
            steps[0] += 1
            return 0

        connection.ensure_connection()
        connection.connection.set_progress_handler(count, 1)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
        finally:
            connection.connection.set_progress_handler(None, 1)
        return steps[0]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's row counts from the tables as they are now
    plan = _plan(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)

    def rows(node):
        read = 0
        if "Relation Name" in node:
            kept = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
            read = (kept + node.get("Rows Removed by Index Recheck", 0)) * node.get("Actual Loops", 1)
        return read + sum(rows(child) for child in node.get("Plans", []))

    return rows(plan)
