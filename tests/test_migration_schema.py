"""The migrations build the database frozen in tests/schema/old_chain.<vendor>.txt, through a simple graph.

The reference dumps were made from the migration chain as it was before the squash:

    .venv/bin/python -m tests.schema.dump_schema tests/schema/old_chain.sqlite.txt
    bash bin/with-postgres .venv/bin/python -m tests.schema.dump_schema tests/schema/old_chain.postgresql.txt

A squashed or reorganised set of migrations must give a fresh database the same tables, columns,
indexes, constraints, triggers, functions, permissions and groups, except for the differences
listed in ACCEPTED_DIFFERENCES, each with its reason. Any other difference fails with a diff.
"""

import dataclasses
import difflib
import re
import sys
import sysconfig
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate

from tests.schema.dump_schema import dump

REFERENCE_DIR = Path(__file__).parent / "schema"
VENDORS = ("sqlite", "postgresql")


@dataclasses.dataclass(frozen=True)
class AcceptedDifference:
    """A line of the reference dump the migrations may now build differently, or not at all, or a new line.

    `expected` is the line as the reference dump has it (None: a line only the new migrations make);
    `actual` is the line the migrations make now (None: the line is gone). `vendor` limits the
    entry to one database ("sqlite" or "postgresql"); None means both. Each entry must still match
    (a stale entry fails), so the list always says exactly how the new set differs from the old.
    """

    reason: str
    expected: str | None = None
    actual: str | None = None
    vendor: str | None = None


# Differences between the old chain's database and the one the current migrations build, on
# purpose. Copy lines from the test's diff ("-" lines are `expected`, "+" lines are `actual`), e.g.
#   AcceptedDifference(
#       reason="SearchEntry moved to the search app: its permissions' content type follows it",
#       expected="permission briefs.searchentry add_searchentry: Can add search index entry",
#       actual="permission search.searchentry add_searchentry: Can add search index entry",
#   ),
_MOVED = "{model} moved to the {app} app (its table keeps its name): its permissions' content type follows it"
ACCEPTED_DIFFERENCES: list[AcceptedDifference] = [
    AcceptedDifference(
        reason=_MOVED.format(model="searchentry", app="search"),
        expected="permission briefs.searchentry add_searchentry: Can add search index entry",
        actual="permission search.searchentry add_searchentry: Can add search index entry",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="searchentry", app="search"),
        expected="permission briefs.searchentry change_searchentry: Can change search index entry",
        actual="permission search.searchentry change_searchentry: Can change search index entry",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="searchentry", app="search"),
        expected="permission briefs.searchentry delete_searchentry: Can delete search index entry",
        actual="permission search.searchentry delete_searchentry: Can delete search index entry",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="searchentry", app="search"),
        expected="permission briefs.searchentry view_searchentry: Can view search index entry",
        actual="permission search.searchentry view_searchentry: Can view search index entry",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="webhookdelivery", app="webhooks"),
        expected="permission briefs.webhookdelivery add_webhookdelivery: Can add webhook delivery",
        actual="permission webhooks.webhookdelivery add_webhookdelivery: Can add webhook delivery",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="webhookdelivery", app="webhooks"),
        expected="permission briefs.webhookdelivery change_webhookdelivery: Can change webhook delivery",
        actual="permission webhooks.webhookdelivery change_webhookdelivery: Can change webhook delivery",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="webhookdelivery", app="webhooks"),
        expected="permission briefs.webhookdelivery delete_webhookdelivery: Can delete webhook delivery",
        actual="permission webhooks.webhookdelivery delete_webhookdelivery: Can delete webhook delivery",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="webhookdelivery", app="webhooks"),
        expected="permission briefs.webhookdelivery view_webhookdelivery: Can view webhook delivery",
        actual="permission webhooks.webhookdelivery view_webhookdelivery: Can view webhook delivery",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="webhooksubscription", app="webhooks"),
        expected="permission briefs.webhooksubscription add_webhooksubscription: Can add webhook subscription",
        actual="permission webhooks.webhooksubscription add_webhooksubscription: Can add webhook subscription",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="webhooksubscription", app="webhooks"),
        expected="permission briefs.webhooksubscription change_webhooksubscription: Can change webhook subscription",
        actual="permission webhooks.webhooksubscription change_webhooksubscription: Can change webhook subscription",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="webhooksubscription", app="webhooks"),
        expected="permission briefs.webhooksubscription delete_webhooksubscription: Can delete webhook subscription",
        actual="permission webhooks.webhooksubscription delete_webhooksubscription: Can delete webhook subscription",
    ),
    AcceptedDifference(
        reason=_MOVED.format(model="webhooksubscription", app="webhooks"),
        expected="permission briefs.webhooksubscription view_webhooksubscription: Can view webhook subscription",
        actual="permission webhooks.webhooksubscription view_webhooksubscription: Can view webhook subscription",
    ),
]


# ------------------------------------------------------------------ the database as migrate left it

_DUMPS_AFTER_MIGRATE = {}


def _last_app_with_models():
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def _dump_after_migrate(sender, using, plan=None, **kwargs):
    """Dump the test database the moment `migrate` has built it, before any test or fixture writes to it.

    Reading it in the test would depend on test order: pytest-django runs transactional tests
    last, and their flush deletes the groups the data migrations made (the flush's post_migrate
    recreates content types and permissions, not groups). The flush sends post_migrate without a
    plan; migrate always sends one. post_migrate goes out once per app with models, and for the
    last one every app's own handlers (permissions, SQLite triggers), connected when the apps
    became ready, have already run.
    """
    if plan is not None and sender is _last_app_with_models():
        try:
            _DUMPS_AFTER_MIGRATE[using] = _dump_at_squash(connections[using])
        except Exception as error:  # reported by the test that needs the dump, not by every test's setup
            _DUMPS_AFTER_MIGRATE[using] = error


# The last migration of each app in the squashed set: the reference is the old chain, so the
# comparison is of the database those build. Later migrations add to it on purpose; going back
# to here and forward again also proves that they reverse.
SQUASHED = {"briefs": "0003_workflow_groups", "search": "0002_engine_index", "webhooks": "0001_initial"}


def _dump_at_squash(connection):
    """Migrate back to the end of the squashed set, dump, and migrate forward again. Permissions of
    models that later migrations add stay in the auth tables (Django never removes content types),
    so they are left out of the dump."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets = list(SQUASHED.items())
    at_squash = executor.loader.project_state(targets).apps
    models_then = {(model._meta.app_label, model._meta.model_name) for model in at_squash.get_models()}
    executor.migrate(targets)
    try:
        text = dump(connection)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, app_label, model FROM django_content_type")
            later = {
                pk
                for pk, app, model in cursor.fetchall()
                if app in ADDED_APPS or (app in SQUASHED and (app, model) not in models_then)
            }
            cursor.execute("SELECT content_type_id FROM auth_permission")
            later_permissions = sum(1 for (content_type,) in cursor.fetchall() if content_type in later)
    finally:
        MigrationExecutor(connection).migrate(leaves)
    lines = []
    for line in text.splitlines():
        if _permission_of_later_model(line, models_then) or _added_app(line):
            continue
        if _sequence_rows(line):
            continue
        counted = re.fullmatch(r"(table (auth_permission|django_content_type): rows: )(\d+)", line)
        if counted:
            extra = later_permissions if counted.group(2) == "auth_permission" else len(later)
            line = f"{counted.group(1)}{int(counted.group(3)) - extra}"
        lines.append(line)
    return "\n".join(lines)


# Apps installed since the old chain was dumped, with the reason: their tables and permissions are
# theirs, not the squash's.
ADDED_APPS = {
    "axes": "django-axes, for sign-in lockouts (dealsite/lockout.py)",
    "corrections": "corrections and updates of published briefs, an app of its own",
}


def _sequence_rows(line):
    """SQLite's AUTOINCREMENT bookkeeping, not schema: a table rebuilt by an ALTER, or emptied by
    going back and forth, keeps a sqlite_sequence row; how many depends on that history."""
    return line.startswith("table sqlite_sequence: rows: ")


def _added_app(line):
    return any(
        line.startswith((f"table {app}_", f"permission {app}.", f"sequence {app}_", f"index {app}_"))
        for app in ADDED_APPS
    )


def _permission_of_later_model(line, models_then):
    match = re.match(r"permission (\w+)\.(\w+) ", line)
    return bool(match) and match.group(1) in SQUASHED and (match.group(1), match.group(2)) not in models_then


# Connected at import, i.e. during collection, before pytest-django creates the test database.
post_migrate.connect(_dump_after_migrate, dispatch_uid="tests.test_migration_schema")


# ------------------------------------------------------------------------------------ comparison


def _compare(reference, actual, vendor, accepted):
    """Problems (stale or malformed accepted entries) and a unified diff ('' when the dumps agree)."""
    expected = reference.splitlines()
    actual_lines = actual.splitlines()
    problems = []
    for entry in accepted:
        if not entry.reason.strip() or (entry.expected is None and entry.actual is None):
            problems.append(f"an accepted difference needs a reason and a line: {entry}")
            continue
        if entry.vendor not in (None, *VENDORS):
            problems.append(f"unknown vendor {entry.vendor!r} in {entry}")
            continue
        if entry.vendor not in (None, vendor):
            continue
        if entry.expected is not None:
            if entry.expected in expected:
                expected.remove(entry.expected)
            else:
                problems.append(f"stale accepted difference, the reference has no line {entry.expected!r}")
        if entry.actual is not None:
            if entry.actual in actual_lines:
                expected.append(entry.actual)
            else:
                problems.append(f"stale accepted difference, the migrations make no line {entry.actual!r}")
    diff = difflib.unified_diff(
        sorted(expected),
        sorted(actual_lines),
        fromfile=f"old chain ({vendor}), with the accepted differences",
        tofile=f"current migrations ({vendor})",
        lineterm="",
    )
    return problems, "\n".join(diff)


def test_an_unexplained_difference_fails_and_an_accepted_one_passes():
    reference = "# vendor sqlite\ntable a\ntable a: column x: TEXT, NOT NULL\n"
    actual = "# vendor sqlite\ntable a\ntable a: column y: TEXT, NOT NULL\n"

    problems, diff = _compare(reference, actual, "sqlite", [])
    assert not problems
    assert "-table a: column x: TEXT, NOT NULL" in diff
    assert "+table a: column y: TEXT, NOT NULL" in diff

    renamed = AcceptedDifference(
        reason="x renamed", expected="table a: column x: TEXT, NOT NULL", actual="table a: column y: TEXT, NOT NULL"
    )
    assert _compare(reference, actual, "sqlite", [renamed]) == ([], "")
    # Limited to the other vendor, the entry does not apply here.
    problems, diff = _compare(reference, actual, "sqlite", [dataclasses.replace(renamed, vendor="postgresql")])
    assert diff and not problems


def test_an_accepted_difference_that_no_longer_matches_is_reported():
    reference = "# vendor sqlite\ntable a\n"
    stale = AcceptedDifference(reason="gone", expected="table b")
    problems, diff = _compare(reference, reference, "sqlite", [stale])
    assert problems == ["stale accepted difference, the reference has no line 'table b'"]
    assert not diff
    problems, _ = _compare(reference, reference, "sqlite", [AcceptedDifference(reason=" ", expected="table a")])
    assert problems and "needs a reason" in problems[0]


@pytest.mark.django_db
def test_the_test_database_is_built_by_running_every_migration():
    loader = MigrationLoader(connection)
    local = {config.label for config in _local_app_configs()}
    with_migrations = {app for app, _ in loader.disk_migrations}
    assert local <= with_migrations, f"no migrations found for {sorted(local - with_migrations)} (--nomigrations?)"
    applied = set(MigrationRecorder(connection).applied_migrations())
    assert set(loader.graph.nodes) <= applied, f"not applied: {sorted(set(loader.graph.nodes) - applied)}"
    assert connection.alias in _DUMPS_AFTER_MIGRATE, "migrate ran before this module was imported"


@pytest.mark.django_db
def test_the_migrations_build_the_reference_schema():
    vendor = connection.vendor
    reference_file = REFERENCE_DIR / f"old_chain.{vendor}.txt"
    if not reference_file.exists():
        pytest.skip(f"no reference dump for {vendor}")
    assert connection.alias in _DUMPS_AFTER_MIGRATE, "migrate ran before this module was imported"
    actual = _DUMPS_AFTER_MIGRATE[connection.alias]
    if isinstance(actual, Exception):
        raise actual
    reference = "\n".join(line for line in reference_file.read_text().splitlines() if not _sequence_rows(line))
    problems, diff = _compare(reference, actual, vendor, ACCEPTED_DIFFERENCES)
    assert not problems, "\n".join(problems)
    assert not diff, (
        f"The migrations build a different database than {reference_file.name}; accept a difference on "
        f"purpose in ACCEPTED_DIFFERENCES with its reason.\n{diff}"
    )


@pytest.mark.django_db
def test_the_dump_shows_a_dropped_trigger_an_added_index_and_a_new_group():
    from django.contrib.auth.models import Group

    before = dump(connection).splitlines()
    trigger, table = "dealsite_cv_briefs_party_update", "briefs_party"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {trigger}" + (f" ON {table}" if connection.vendor == "postgresql" else ""))
        cursor.execute(f"CREATE INDEX schema_probe_idx ON {table} (website) WHERE website <> ''")
    Group.objects.create(name="Schema probe")
    after = dump(connection).splitlines()

    def changed(lines, without):
        return sorted(line for line in set(lines) - set(without) if ": rows: " not in line)

    assert [line.split(":")[0] for line in changed(before, after)] == [f"trigger {trigger} on {table}"]
    added = changed(after, before)
    assert [line.split(":")[0] for line in added] == ["group Schema probe", f"table {table}"]
    assert "index schema_probe_idx" in added[1] and "(website)" in added[1] and "partial where" in added[1]


# ----------------------------------------------------------------------------- migration graph


def _local_app_configs():
    """The project's own apps: under BASE_DIR, and not installed packages (the virtualenv may live there)."""
    base = Path(settings.BASE_DIR).resolve()
    installed = {
        Path(sys.prefix).resolve(),
        *(Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")),
    }
    local = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not any(path.is_relative_to(prefix) for prefix in installed):
            local.append(config)
    assert local, f"no app under {base}"
    return local


def _loader():
    return MigrationLoader(None, ignore_no_migrations=True)


def test_no_local_migration_is_a_merge_migration():
    loader = _loader()
    local = {config.label for config in _local_app_configs()}
    merges = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app not in local:
            continue
        per_app = Counter(dependency_app for dependency_app, _ in migration.dependencies)
        merged = sorted(dependency_app for dependency_app, count in per_app.items() if count > 1)
        if merged:
            merges.append(f"{app}.{name} depends on several migrations of {', '.join(merged)}")
    assert not merges, "\n".join(merges)


def test_each_local_apps_migrations_form_one_line():
    graph = _loader().graph
    problems = []
    for config in _local_app_configs():
        nodes = sorted(node for node in graph.nodes if node[0] == config.label)
        if not nodes:
            continue
        parents = {node: [p for p in graph.node_map[node].parents if p.key[0] == config.label] for node in nodes}
        children = {node: [c for c in graph.node_map[node].children if c.key[0] == config.label] for node in nodes}
        leaves = [node[1] for node in nodes if not children[node]]
        roots = [node[1] for node in nodes if not parents[node]]
        if len(leaves) != 1:
            problems.append(f"{config.label}: {len(leaves)} leaf migrations: {leaves}")
        if len(roots) != 1:
            problems.append(f"{config.label}: {len(roots)} first migrations: {roots}")
        for node in nodes:
            if len(children[node]) > 1:
                problems.append(f"{config.label}.{node[1]} has {len(children[node])} next migrations")
            if len(parents[node]) > 1:
                problems.append(f"{config.label}.{node[1]} has {len(parents[node])} previous migrations")
        numbers = Counter(re.match(r"\d*", name).group() for _, name in nodes)
        problems += [
            f"{config.label}: {count} migrations numbered {number!r}" for number, count in numbers.items() if count > 1
        ]
    assert not problems, "\n".join(problems)
