from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed HTTP notifications of the core's events to subscribers. Depends on the core (briefs)
    and reacts to its events; the core never imports it."""

    name = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (turns the core's events into deliveries)
