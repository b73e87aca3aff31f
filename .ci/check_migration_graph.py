"""Fail unless each of the project's apps has one straight line of migrations.

Two leaves mean two branches written in parallel and never reconciled (`migrate` refuses them); a
merge migration (one that depends on two migrations of its own app) reconciles them, but leaves two
orders in which the branches may have been applied, so a fresh database and an upgraded one can
differ. Either way the fix is to renumber or squash the branch onto the line, not to merge it.
Third-party apps are not checked: their history is not ours to rewrite.

    .venv/bin/python .ci/check_migration_graph.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def problems():
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)  # from the files alone, no database
    graph = loader.graph
    found = []
    for app in apps.get_app_configs():
        if not Path(app.path).resolve().is_relative_to(ROOT):
            continue
        leaves = graph.leaf_nodes(app.label)
        if len(leaves) > 1:
            found.append(f"{app.label}: {len(leaves)} leaf migrations: {', '.join(name for _, name in leaves)}")
        for key, node in sorted(graph.node_map.items()):
            if key[0] != app.label:
                continue
            own_parents = sorted(name for label, name in (parent.key for parent in node.parents) if label == app.label)
            if len(own_parents) > 1:
                found.append(f"{app.label}.{key[1]} is a merge migration: it depends on {', '.join(own_parents)}")
    return found


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
    import django

    django.setup()
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        sys.exit("The migration history forks: renumber or squash the branch into one line.")
    print("Migrations: one line per app, no merge migrations.")


if __name__ == "__main__":
    main()
