import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.indexer import indexable, rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from scratch (published and scheduled briefs), with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (logs, CI).")

    def handle(self, *args, no_progress=False, **options):
        started = time.perf_counter()
        total = indexable().count()
        with tqdm(total=total, unit="brief", desc="Indexing", disable=no_progress, file=self.stderr._out) as bar:
            indexed = rebuild(progress=bar.update)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} briefs in {elapsed:.1f} s."))
