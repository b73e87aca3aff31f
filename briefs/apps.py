from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Deal briefs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (re-renders on party/source/quote change, announces deletions)
        from .db_triggers import ensure_content_version_row, ensure_sqlite_triggers
        from .freshness.state import connect_signals

        post_migrate.connect(ensure_sqlite_triggers, sender=self, dispatch_uid="ensure_sqlite_triggers")
        post_migrate.connect(ensure_content_version_row, sender=self, dispatch_uid="ensure_content_version_row")
        connect_signals()  # the byline's authors and names, which no trigger watches, bump the content version
