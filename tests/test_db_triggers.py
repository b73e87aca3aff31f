"""The database triggers that caches and search rely on stay in place and fire on any write."""

import re

import pytest
from django.apps import apps
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from briefs.db_triggers import OPERATIONS, content_version_trigger_name, ensure_sqlite_triggers, watched_tables
from briefs.models import ContentVersion, Party
from tests.query_plans import unindexed_reads

pytestmark = pytest.mark.django_db


def _trigger_names():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return {row[0] for row in cursor.fetchall()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def test_every_content_table_has_its_version_triggers_after_migrate():
    expected = {content_version_trigger_name(t, op) for t in watched_tables(apps) for op in OPERATIONS}
    assert expected <= _trigger_names()


def test_a_bulk_update_bumps_the_content_version():
    party = Party.objects.create(name="Acme", slug="acme")
    before = ContentVersion.objects.get(pk=1).counter
    Party.objects.filter(pk=party.pk).update(name="Acme Corp")  # no signals: only the trigger can see it
    assert ContentVersion.objects.get(pk=1).counter > before


def test_triggers_dropped_by_a_table_rebuild_come_back_after_migrate():
    if connection.vendor != "sqlite":  # PostgreSQL keeps triggers when it alters a table
        before = _trigger_names()
        ensure_sqlite_triggers(using="default")
        assert _trigger_names() == before
        return
    lost = [content_version_trigger_name("briefs_party", "UPDATE"), "briefs_searchentry_ai"]
    with connection.cursor() as cursor:
        for name in lost:
            cursor.execute(f"DROP TRIGGER {name}")
    assert not set(lost) & _trigger_names()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what every migrate ends with
    assert set(lost) <= _trigger_names()


def _page_parts_trigger_names():
    from django.apps import apps

    from briefs.db_triggers import page_parts_rules, page_parts_trigger_name

    rules = page_parts_rules(apps)
    if connection.vendor == "sqlite":
        return {page_parts_trigger_name(table, op) for table, ops, *_ in rules for op in ops}
    return {page_parts_trigger_name(table) for table, *_ in rules}


def test_every_table_a_brief_page_shows_has_its_page_parts_trigger_after_migrate():
    assert _page_parts_trigger_names() <= _trigger_names()


def test_page_parts_triggers_dropped_by_a_table_rebuild_come_back_after_migrate():
    if connection.vendor != "sqlite":
        return  # PostgreSQL keeps triggers when it alters a table
    from briefs.db_triggers import page_parts_trigger_name

    lost = page_parts_trigger_name("briefs_party", "UPDATE")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {lost}")
    ensure_sqlite_triggers(using="default")
    assert lost in _trigger_names()


@pytest.mark.django_db(transaction=True)
def test_the_content_version_row_comes_back_after_a_flush():
    """A flush (every transactional test's teardown, `manage.py flush`) empties the table; without
    row 1 the triggers bump nothing and the caches store nothing."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert ContentVersion.objects.filter(pk=1).exists()


def _live_rules():
    """(the table the firing writes through, rule) for every page-parts and freshness rule."""
    from briefs import db_triggers

    brief, party = db_triggers.tables(apps)["brief"], db_triggers.tables(apps)["party"]
    rules = [(brief, rule) for rule in db_triggers.page_parts_rules(apps)]
    rules += [(brief, rule) for rule in db_triggers.freshness_rules(apps, "brief")]
    return rules + [(party, rule) for rule in db_triggers.freshness_rules(apps, "party")]


def _one_semi_join(where):
    """`id = {row}.x`, or one `id IN (…)` whose parenthesis closes at the very end: nothing ORed."""
    if re.fullmatch(r"id = \{row\}\.\w+", where):
        return True
    if not where.startswith("id IN ("):
        return False
    depth = 0
    for position, character in enumerate(where):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and position > len("id IN "):
            return position == len(where) - 1
    return False


def test_every_trigger_rule_selects_its_rows_as_one_semi_join():
    """`id IN (a UNION b)`, never `id IN (a) OR id IN (b)`: PostgreSQL cannot drive an OR of
    subqueries from an index, so such a rule reads the whole table on every firing (and, with the
    statistics of a near-empty table, runs the subqueries again for each row it reads)."""
    for _, (table, _, where, _) in _live_rules():
        assert _one_semi_join(where), (table, where)


def test_every_trigger_firing_reads_each_table_through_an_index_on_sqlite():
    """A firing's cost must not grow with the archive. SQLite's plan for each rule, with a written row's
    ids as constants, searches every table by an index. (PostgreSQL's plan for tables this small is
    the planner's choice, not the rule's: the test above holds its form.)"""
    if connection.vendor != "sqlite":
        return
    for target, (table, _, where, _) in _live_rules():
        condition = re.sub(r"\{row\}\.\w+", "1", where)  # a written row's ids, as a constant
        unindexed = unindexed_reads(f"SELECT id FROM {target} WHERE {condition}")
        assert not unindexed, (table, where, unindexed)


def test_the_installed_trigger_bodies_are_the_live_definition():
    """The migrations' frozen SQL and briefs/db_triggers.py agree, body for body."""
    from briefs import db_triggers

    if connection.vendor == "sqlite":
        expected = db_triggers.sqlite_page_parts_triggers(apps)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            installed = dict(cursor.fetchall())
        for statement in expected:
            name = statement.split()[5]
            assert installed[name] == statement.replace("CREATE TRIGGER IF NOT EXISTS", "CREATE TRIGGER"), name
        return
    statements = db_triggers.postgresql_page_parts_triggers(apps)
    for scope in db_triggers.SCOPES:
        statements += db_triggers.postgresql_freshness_triggers(apps, scope)
    functions = [s for s in statements if s.startswith("CREATE OR REPLACE FUNCTION")]
    assert functions
    for statement in functions:
        name = statement.split()[4].removesuffix("()")
        body = statement.split("$$")[1]
        with connection.cursor() as cursor:
            cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [name])
            assert cursor.fetchone()[0] == body, name
