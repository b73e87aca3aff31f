"""Keep briefs in step with the parties, sources and quotes they show.

A renamed slug or key is rewritten in the bodies that reference it (so no anchor breaks); every
brief that shows a changed item loses its stored page parts at once, in the same transaction (its
page is then rendered in full, so it never shows the old item), and is re-rendered in the background.
"""
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .models import Brief, BriefParty, BriefQuote, BriefSource, Note, Party, Quote, Source
from .services.page_parts import forget_parts, forget_parts_showing
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
    forget_parts_showing(kind, instance.pk)
    schedule_rerender_for(kind, instance.pk)


# ------------------------------------------------- page parts: links, notes, authors and related
# The stored page parts show the brief's links and notes, name its authors and list its related
# briefs: a change to any of them empties the parts of the brief concerned (render_brief makes
# them again; until then the page is rendered in full). Editing flows call render_brief after
# saving, so this matters for writes that do not (the shell, a script, a data migration).


def _brief_row_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _forget_parts_of([instance.brief_id])


for _model in (BriefParty, BriefSource, BriefQuote, Note):
    post_save.connect(_brief_row_changed, sender=_model, dispatch_uid=f"page-parts-{_model.__name__}-saved")
    post_delete.connect(_brief_row_changed, sender=_model, dispatch_uid=f"page-parts-{_model.__name__}-deleted")


def _forget_parts_of(ids):
    if ids:
        forget_parts(Brief.objects.filter(pk__in=ids))


def _brief_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """brief.authors / brief.related changed, from either side (user.briefs, brief.related_from)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        _forget_parts_of([instance.pk])
    elif action == "pre_clear":  # before the rows go: the briefs that had this user / related brief
        field = "authors" if sender is Brief.authors.through else "related"
        forget_parts(Brief.objects.filter(**{field: instance.pk}))
    else:
        _forget_parts_of(pk_set)


m2m_changed.connect(_brief_m2m_changed, sender=Brief.authors.through, dispatch_uid="page-parts-authors")
m2m_changed.connect(_brief_m2m_changed, sender=Brief.related.through, dispatch_uid="page-parts-related")


def _author_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= {"last_login", "password"}):
        return  # logging in or a new password changes no byline
    forget_parts(Brief.objects.filter(authors=instance.pk))


post_save.connect(_author_changed, sender=get_user_model(), dispatch_uid="page-parts-author-saved")
pre_delete.connect(_author_changed, sender=get_user_model(), dispatch_uid="page-parts-author-deleted")
