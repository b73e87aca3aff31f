import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from briefs.management.collector import batch_done, fewer_collections
from briefs.models import Brief, Party
from briefs.services import party_parts
from briefs.services.page_parts import all_parts_current, store_parts_in_bulk


class Command(BaseCommand):
    help = (
        "Store the page parts of briefs, and of parties, whose parts are missing or not current: after a "
        "deploy that changed their templates, or a bulk load. Until then their pages are rendered in "
        "full (correct, slower; a party page stores its parts itself). Safe to run while the site serves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Make every brief's and party's parts again, current or not."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, all=False, no_progress=False, **options):
        started = time.perf_counter()
        ids = list(Brief.objects.order_by("pk").values_list("pk", flat=True))
        stored = 0
        with (
            fewer_collections(),
            tqdm(total=len(ids), unit="brief", desc="Page parts", disable=no_progress, file=self.stderr._out) as bar,
        ):
            done = batch_done(bar)
            for start in range(0, len(ids), 500):
                batch = Brief.objects.filter(pk__in=ids[start : start + 500]).only(
                    "pk", "page_parts", "api_parts", "api_detail_parts"
                )
                stale = [brief.pk for brief in batch if all or not all_parts_current(brief)]
                stored += store_parts_in_bulk(stale) if stale else 0
                done(len(ids[start : start + 500]))
        self.stdout.write(
            f"Stored the page parts of {stored} of {len(ids)} briefs in {time.perf_counter() - started:.1f} s."
        )
        started = time.perf_counter()
        parties = Party.objects.public() if all else party_parts.parties_without_current_parts()
        parties = list(parties.order_by("pk"))
        with tqdm(
            total=len(parties), unit="party", desc="Party parts", disable=no_progress, file=self.stderr._out
        ) as bar:
            for party in parties:
                party_parts.store_parts(party)
                bar.update()
        self.stdout.write(f"Stored the page parts of {len(parties)} parties in {time.perf_counter() - started:.1f} s.")
