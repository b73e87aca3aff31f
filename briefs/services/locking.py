"""Optimistic locking of a brief's content on Brief.version.

An editor's form carries the version it was opened at. Saving claims the next version with
UPDATE … SET version=version+1 WHERE pk=… AND version=<opened>: if someone saved in between, the
claim fails and the save is refused with who changed the brief and what (from the revisions), and
the editor's own text stays in the form. The API's If-Match writes use the same claim.
"""

import re

from django.db import connection
from django.db.models import F

from ..models import Brief, BriefRevision
from . import revisions
from .presence import display_name


class EditConflict(Exception):
    def __init__(self, brief_pk, opened_version, current_version, editors, changes, changed_at=None):
        self.brief_pk = brief_pk
        self.changed_at = changed_at  # when the latest of those saves was made, if known
        self.opened_version = opened_version
        self.current_version = current_version
        self.editors = editors  # names of who saved since
        self.changes = changes  # revisions.Diff from the opened version to now, or None if unknown
        super().__init__(self.message())

    def message(self):
        who = ", ".join(self.editors) or "someone else"
        what = self.changes.summary() if self.changes is not None else "the brief"
        return (
            f"{who} saved this brief while you were editing it (your copy is version {self.opened_version}, "
            f"the saved one is version {self.current_version}); they changed: {what}. Your text is kept "
            "below: merge their changes into it and save again."
        )


def lock_and_read_version(pk):
    """The brief's saved version, locked until the admin's transaction ends, so that no other save
    slips in between this check and the write: a row lock on PostgreSQL, and on SQLite (no row
    locks) a no-op UPDATE that takes the database's write lock."""
    brief_rows = Brief.objects.filter(pk=pk)
    if connection.features.has_select_for_update:
        return brief_rows.select_for_update().values_list("version", flat=True).first()
    brief_rows.update(version=F("version"))
    return brief_rows.values_list("version", flat=True).first()


def claim_version(brief_pk, opened_version):
    """Take the next version for a save based on `opened_version`; raise EditConflict if stale."""
    if Brief.objects.filter(pk=brief_pk, version=opened_version).update(version=F("version") + 1):
        return opened_version + 1
    raise conflict_for(brief_pk, opened_version)


def conflict_for(brief_pk, opened_version):
    current = Brief.objects.filter(pk=brief_pk).values_list("version", flat=True).first()
    later = list(
        BriefRevision.objects.filter(brief_id=brief_pk, brief_version__gt=opened_version)
        .select_related("revision__user")
        .order_by("pk")
    )
    editors = []
    for meta in later:
        user = meta.revision.user
        name = display_name(user) if user else "someone (not signed in)"
        if name not in editors:
            editors.append(name)
    base = (
        BriefRevision.objects.filter(brief_id=brief_pk, brief_version__lte=opened_version)
        .select_related("revision")
        .order_by("-brief_version", "-pk")
        .first()
    )
    changes = None
    if base is not None:
        changes = revisions.diff(revisions.snapshot_of_revision(base), revisions.snapshot_of_brief(Brief(pk=brief_pk)))
    changed_at = later[-1].revision.date_created if later else None
    return EditConflict(brief_pk, opened_version, current, editors, changes, changed_at)


def etag_for(brief, digest=None):
    """The ETag of a brief's current content version, for the API's If-Match.

    With `digest` (of a rendered representation) it is the brief detail's read ETag too:
    "brief-<pk>-v<version>-<digest>" changes with every change to what a reader gets (for 304s),
    and its version part is what If-Match checks (for writes).
    """
    suffix = f"-{digest}" if digest else ""
    return f'"brief-{brief.pk}-v{brief.version}{suffix}"'


_TAG = re.compile(r'"brief-(\d+)-v(\d+)(?:-[0-9a-f]+)?"')


def version_from_if_match(header_value, brief_pk):
    """The version number in an If-Match header made by etag_for, or None if it is not ours."""
    value = (header_value or "").strip()
    if value.startswith("W/"):
        value = value[2:]
    match = _TAG.fullmatch(value)
    if match and int(match.group(1)) == brief_pk:
        return int(match.group(2))
    return None
