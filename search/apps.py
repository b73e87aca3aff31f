from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    """Full-text search of published briefs. Depends on the core (briefs) and reacts to its events;
    the core never imports it."""

    name = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (keeps the index in step with the core's events)
        from .schema import ensure_sqlite_triggers

        post_migrate.connect(ensure_sqlite_triggers, sender=self, dispatch_uid="search_ensure_sqlite_triggers")
