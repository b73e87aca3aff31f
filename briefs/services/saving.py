"""The one way to save a brief with its links, for the admin, the API and the loaders alike.

``save_brief`` does, in one transaction: take the brief's next content version (claimed against the
version the editor opened, when there is one, so a concurrent save is refused instead of lost), save
the brief, save its links, render it (markup checked against the saved links; an invalid body rolls
everything back), record the revision, and send the domain events (sent once the transaction
commits); last, the request's write deadline is checked, so a save too slow for its client commits
nothing. Callers differ only in how they describe the links: the API and loaders give the lists
that replace the brief's own (``Links``); the admin hands over a function that saves its inline
formsets.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from dealsite import write_deadline

from .. import events
from ..models import Brief, BriefDeal, BriefParty, BriefQuote, BriefSource, Note
from .locking import claim_version
from .rendering import render_brief
from .revisions import record_revision


@dataclass(frozen=True)
class Links:
    """Link lists that replace the brief's own; a list left as None keeps the saved one.

    parties: [(Party, role)], sources: [Source], quotes: [Quote], notes: [(key, text)],
    deals: [(Deal, DealStage or None)] (the deals it is about, and the stage it reports), all in order.
    """

    parties: list | None = None
    sources: list | None = None
    quotes: list | None = None
    notes: list | None = None
    deals: list | None = None

    def save(self, brief):
        if self.parties is not None:
            BriefParty.objects.filter(brief=brief).delete()
            BriefParty.objects.bulk_create(
                BriefParty(brief=brief, party=party, role=role, position=i)
                for i, (party, role) in enumerate(self.parties)
            )
        if self.sources is not None:
            BriefSource.objects.filter(brief=brief).delete()
            BriefSource.objects.bulk_create(
                BriefSource(brief=brief, source=s, position=i) for i, s in enumerate(self.sources)
            )
        if self.quotes is not None:
            BriefQuote.objects.filter(brief=brief).delete()
            BriefQuote.objects.bulk_create(
                BriefQuote(brief=brief, quote=q, position=i) for i, q in enumerate(self.quotes)
            )
        if self.notes is not None:
            _replace_notes(brief, self.notes)
        if self.deals is not None:
            BriefDeal.objects.filter(brief=brief).delete()
            BriefDeal.objects.bulk_create(
                BriefDeal(brief=brief, deal=deal, stage=stage, position=i) for i, (deal, stage) in enumerate(self.deals)
            )


def _replace_notes(brief, notes):
    """Keep notes whose key survives, so their annotations keep their ids and creation times."""
    existing = {note.key: note for note in Note.objects.filter(brief=brief)}
    Note.objects.filter(brief=brief).exclude(key__in=[key for key, _ in notes]).delete()
    for position, (key, text) in enumerate(notes):
        note = existing.get(key)
        if note is None:
            Note.objects.create(brief=brief, key=key, text=text, position=position)
        elif (note.text, note.position) != (text, position):
            note.text, note.position = text, position
            note.save(update_fields=["text", "position"])


def next_version(brief_pk, opened_version=None):
    """The content version a save of this brief takes, claimed atomically in the row itself.

    With `opened_version` (the editor's form, an If-Match write) the claim fails with EditConflict
    unless that is still the saved version; without it the increment is made by the database, so
    two saves can never take the same number.
    """
    if opened_version is not None:
        return claim_version(brief_pk, opened_version)
    Brief.objects.filter(pk=brief_pk).update(version=F("version") + 1)
    return Brief.objects.filter(pk=brief_pk).values_list("version", flat=True).get()


@transaction.atomic
def save_brief(brief, *, links=None, user=None, opened_version=None, authors=None, comment="Saved.", checked_body=None):
    """Save `brief` and its links, render, record the revision and send the events; returns the brief
    as saved.

    links: a Links, or a function of the saved brief that saves the links itself (the admin's
    formsets), or None to keep them. authors: users to add; a new brief that ends up with no author
    gets `user` when that is a staff member. comment: the revision's comment, or a function giving
    it once the links are saved. checked_body: the CheckedBody of the caller's validation of this
    body (rendering.validate_markup), stored instead of rendering again when the saved body and
    links are the ones it checked. Raises BriefMarkupInvalid, and saves nothing, when the body does
    not render against the links; EditConflict when `opened_version` is no longer the saved
    version; WriteDeadlineExceeded, saving nothing, when the request's write deadline has passed.
    """
    created = brief.pk is None
    was_live = not created and Brief.objects.filter(pk=brief.pk).published().exists()
    if not created:
        brief.version = next_version(brief.pk, opened_version)
    brief.save()
    if isinstance(links, Links):
        links.save(brief)
    elif links is not None:
        links(brief)
    if authors:
        brief.authors.add(*authors)
    if created and user is not None and user.is_staff and not brief.authors.exists():
        brief.authors.add(user)
    render_brief(brief, checked=checked_body)
    brief.refresh_from_db()
    record_revision(brief, user, comment() if callable(comment) else comment)
    events.send_saved(brief, was_live=was_live, user=user)
    write_deadline.check()
    return brief
