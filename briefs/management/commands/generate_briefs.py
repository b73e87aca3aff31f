import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from briefs import events
from briefs.management.collector import batch_done, fewer_collections
from briefs.models import Party
from briefs.synthetic.generator import Generator


class Command(BaseCommand):
    help = (
        "Create N realistic synthetic briefs (deterministic for a seed): parties from a pool, deal types, "
        "currencies, sources, quotes, notes and annotations from the real markup. Then announce the load, so "
        "features that derive data from briefs (the search index) rebuild it. "
        "Their page parts are stored as they go (--no-page-parts leaves them to render_page_parts), and the "
        "rate in briefs per second is reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-index", action="store_true", help="Do not announce the load (the search index is not rebuilt)."
        )
        parser.add_argument(
            "--no-page-parts",
            action="store_true",
            help="Do not store page parts (their pages render in full until render_page_parts stores them).",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, count, seed, no_index=False, no_page_parts=False, no_progress=False, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if Party.objects.filter(slug__startswith=f"g{seed}-").exists():
            raise CommandError(f"Briefs for seed {seed} already exist; use another --seed or a fresh database.")
        with fewer_collections():
            self.load(count, seed, no_index, no_page_parts, no_progress)

    def load(self, count, seed, no_index, no_page_parts, no_progress):
        started = time.perf_counter()
        generator = Generator(seed=seed, count=count)
        with tqdm(total=count, unit="brief", desc="Generating", disable=no_progress, file=self.stderr._out) as bar:
            made = generator.run(progress=batch_done(bar), page_parts=not no_page_parts)
        took = time.perf_counter() - started
        parts = "without" if no_page_parts else "with"
        self.stdout.write(
            f"Generated {made} briefs {parts} their page parts in {took:.1f} s ({made / took:.0f} briefs/s)."
        )
        # Planner statistics for the grown tables: without them SQLite reads every published brief
        # to find one brief's related briefs. (PostgreSQL's autovacuum would get there later.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if not no_index:
            started = time.perf_counter()
            # Receivers know how much they derive; the bar counts the briefs they report done.
            with tqdm(unit="brief", desc="Deriving data", disable=no_progress, file=self.stderr._out) as bar:
                events.send_loaded(progress=batch_done(bar))
            self.stdout.write(f"Announced the load; derived data rebuilt in {time.perf_counter() - started:.1f} s.")
