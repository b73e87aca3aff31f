from django.core.management.base import BaseCommand

from briefs.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo brief (Amazon's up-to-$4 billion investment in Anthropic). Safe to run again."

    def handle(self, *args, **options):
        brief, changes = load_demo()
        if changes:
            self.stdout.write(self.style.SUCCESS(f"Demo brief loaded: {brief.get_absolute_url()} ({changes} changes)"))
        else:
            self.stdout.write(f"Demo brief already up to date: {brief.get_absolute_url()}")
