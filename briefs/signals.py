"""Keep briefs in step with the parties, sources and quotes they show, and announce deletions.

A renamed slug or key is rewritten in the bodies that reference it (so no anchor breaks), and every
brief that links a changed item is re-rendered in the background. A deleted brief (the admin's
delete, a cascade) is announced as the brief_deleted event.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from . import events
from .models import Brief, Party, Quote, Source
from .services.references import rewrite_references
from .tasks import schedule_rerender_for

_KEY_FIELD = {Party: ("party", "slug"), Source: ("source", "key"), Quote: ("quote", "key")}


@receiver(pre_save, dispatch_uid="remember_reference_key")
def remember_previous_key(sender, instance, raw=False, **kwargs):
    if sender not in _KEY_FIELD or raw or instance.pk is None:
        return
    _, field = _KEY_FIELD[sender]
    instance._previous_key = sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()


@receiver(post_save, dispatch_uid="rerender_on_linked_change")
def linked_item_saved(sender, instance, created, raw=False, **kwargs):
    if sender not in _KEY_FIELD or raw or created:
        return
    kind, field = _KEY_FIELD[sender]
    previous, current = getattr(instance, "_previous_key", None), getattr(instance, field)
    if previous and previous != current:
        rewrite_references(kind, instance.pk, previous, current)
    schedule_rerender_for(kind, instance.pk)


@receiver(post_delete, sender=Brief, dispatch_uid="announce_brief_deleted")
def brief_deleted(sender, instance, **kwargs):
    events.send_deleted(instance.pk, instance.slug, was_public=instance.is_live)
