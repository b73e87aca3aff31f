"""Restoring a revision: the brief gets back exactly the content and links it had then.

The restored state is saved through the one save path (briefs.services.saving), so it takes the
next content version, is rendered, becomes a revision of its own and is announced like any save.
The brief's status and publication time are left alone: restoring is an edit, not a transition.
"""

from django.db import IntegrityError, transaction

from ..models import Brief
from ..models.workflow import BRIEF_REVISION_FIELDS
from .revisions import LINK_MODELS, M2M_FIELDS
from .saving import save_brief


class RestoreFailed(Exception):
    pass


def restore_revision(brief, brief_revision, user=None):
    """Give the brief back exactly the content and links of `brief_revision`; record a new revision.

    All or nothing: if the revision cannot be restored as it was (its slug is now another brief's,
    a party, source, quote, deal or stage it linked was deleted), nothing changes and RestoreFailed says why.
    """
    try:
        return _restore(brief, brief_revision, user)
    except IntegrityError as clash:
        raise RestoreFailed(
            "the revision clashes with the data as it is now (its slug may belong to another brief, or a "
            f"party, source, quote, deal or stage it linked was deleted): {clash}"
        ) from clash


@transaction.atomic
def _restore(brief, brief_revision, user):
    if brief_revision.brief_id != brief.pk:
        raise RestoreFailed("That revision belongs to another brief.")
    versions = list(brief_revision.revision.version_set.all())
    brief_version = next((v for v in versions if v._model is Brief and v.object_id == str(brief.pk)), None)
    if brief_version is None:
        raise RestoreFailed("That revision holds no copy of this brief.")
    saved = brief_version._object_version
    current = Brief.objects.select_for_update().get(pk=brief.pk)
    for name in BRIEF_REVISION_FIELDS:
        model_field = Brief._meta.get_field(name)
        if name in M2M_FIELDS or model_field.primary_key or name == "version":
            continue
        setattr(current, model_field.attname, getattr(saved.object, model_field.attname))

    def put_back_links(restored):
        for name in M2M_FIELDS:
            getattr(restored, name).set([int(pk) for pk in saved.m2m_data.get(name, [])])
        for model in LINK_MODELS:
            model.objects.filter(brief=restored).delete()
        for version in versions:
            if version._model in LINK_MODELS:
                row = version._object_version.object
                if row.brief_id == restored.pk:
                    row.save(force_insert=True)

    when = brief_revision.revision.date_created
    return save_brief(
        current,
        links=put_back_links,
        user=user,
        comment=f"Restored the revision of {when:%Y-%m-%d %H:%M} UTC (version {brief_revision.brief_version}).",
    )
