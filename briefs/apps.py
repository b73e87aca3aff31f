from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Deal briefs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (connects re-render on party/source/quote change)
        from .caching import connect_signals

        connect_signals()  # every change to what a page shows invalidates the page cache
