from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    """Corrections and updates of published briefs, in public. Points at briefs and adds to its
    pages through briefs.extensions; the core never imports it."""

    name = "corrections"
    verbose_name = "Corrections and updates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from briefs import db_triggers, extensions

        from .extension import CorrectionsExtension

        extensions.register(CorrectionsExtension())
        # A correction changes the brief's page, feeds and API: its table bumps the content version
        # (migration 0002 installs the triggers; briefs re-creates them on SQLite after migrations).
        db_triggers.watch("corrections", "Correction")
        # ... and the freshness of the brief it corrects, whose page and API detail show it (0004).
        db_triggers.scope_to_brief("corrections", "Correction")
