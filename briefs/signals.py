"""Re-render the briefs that show a party, source or quote when it changes."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Party, Quote, Source
from .tasks import schedule_rerender_for


@receiver(post_save, sender=Party, dispatch_uid="rerender_on_party_save")
def party_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        schedule_rerender_for("party", instance.pk)


@receiver(post_save, sender=Source, dispatch_uid="rerender_on_source_save")
def source_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        schedule_rerender_for("source", instance.pk)


@receiver(post_save, sender=Quote, dispatch_uid="rerender_on_quote_save")
def quote_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        schedule_rerender_for("quote", instance.pk)
