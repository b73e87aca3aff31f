from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Deal briefs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (connects re-render on party/source/quote change)
        from .api import webhooks  # noqa: F401  (webhook signals and delivery task)
        from .db_triggers import ensure_sqlite_triggers
        from .search import signals as search_signals  # noqa: F401  (keeps the search index in step)

        post_migrate.connect(ensure_sqlite_triggers, sender=self, dispatch_uid="ensure_sqlite_triggers")
        from .freshness.state import connect_signals

        connect_signals()  # every change to what a page shows invalidates the page cache
