"""Migration 0005 benchmark: N old-style briefs (deal facts on the brief), timed migrating forward.

    # SQLite (a fresh file under /tmp)
    .venv/bin/python benchmarks/migration_benchmark.py --count 10000
    # PostgreSQL (a throwaway server; or set DATABASE_URL to an empty database yourself)
    bin/with-postgres .venv/bin/python benchmarks/migration_benchmark.py --count 10000

The database is migrated to briefs 0004 (the deal tables, no deals), filled through the models as
they were then (briefs of every disclosure shape, four party links each), and migration 0005 is
run as `migrate` runs it. The goal is under a minute for 10,000 briefs.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEFORE = [("briefs", "0004_deals")]
AFTER = [("briefs", "0005_deals_from_briefs")]
ROLES = ["investor", "target", "acquirer", "seller", "advisor", "lender", "partner", "competitor", "mentioned"]
CURRENCIES = ["USD", "EUR", "GBP", "JPY", "INR", "KRW", "SGD", "CHF"]


def configure(count):
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / f"dealsite-migration-bench-{count}.sqlite3"
        if path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dealsite.settings",
            "SECRET_KEY": "benchmark-only-not-a-secret",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_MANIFEST": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def old_facts(rng, i):
    amount = Decimal(rng.randrange(1, 9999)) * Decimal(10) ** rng.randrange(5, 9)
    facts = {
        "deal_type": rng.choice(["investment", "funding_round", "acquisition", "merger", "debt"]),
        "announced_on": datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(4000)),
        "amount_disclosure": "disclosed",
        "amount": amount,
        "currency": rng.choice(CURRENCIES),
        "stake_description": rng.choice(["", "Minority stake"]),
    }
    if i % 5 == 1:
        facts["amount_up_to"] = amount * 4
    if i % 5 == 2:
        facts.update(valuation=amount * 10, stake_percent=Decimal("12.50"))
    if i % 5 == 3:
        facts.update(amount_disclosure="undisclosed", amount=None)
    if i % 5 == 4:
        facts.update(amount_disclosure="not_applicable", amount=None, currency="")
    return facts


def fill(apps, count):
    Brief, Party, BriefParty = (apps.get_model("briefs", name) for name in ("Brief", "Party", "BriefParty"))
    rng = random.Random(1)
    parties = Party.objects.bulk_create(Party(name=f"Party {n}", slug=f"party-{n}") for n in range(500))
    briefs = Brief.objects.bulk_create(
        (Brief(title=f"Brief {i}", slug=f"brief-{i}", dek="d", body="b", **old_facts(rng, i)) for i in range(count)),
        batch_size=1000,
    )
    links = [
        BriefParty(brief_id=brief.pk, party=party, role=role, position=position)
        for brief in briefs
        for position, (party, role) in enumerate(zip(rng.sample(parties, 4), rng.sample(ROLES, 4), strict=True))
    ]
    BriefParty.objects.bulk_create(links, batch_size=2000)
    return len(links)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10000)
    args = parser.parse_args()
    configure(args.count)

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    if apps.get_model("briefs", "Brief").objects.exists():
        sys.exit("The database already has briefs: give an empty one.")
    started = time.perf_counter()
    links = fill(apps, args.count)
    print(
        f"{connection.vendor}: built {args.count} old-style briefs, {links} party links in "
        f"{time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    MigrationExecutor(connection).migrate(AFTER)
    elapsed = time.perf_counter() - started
    Deal = MigrationExecutor(connection).loader.project_state(AFTER).apps.get_model("briefs", "Deal")
    print(
        f"{connection.vendor}: migration 0005 forward: {elapsed:.1f} s for {Deal.objects.count()} deals (goal: < 60 s)"
    )


if __name__ == "__main__":
    main()
