"""Saving a brief together with its links: one transaction, rendered before it commits.

Used by the API's nested writes; the admin keeps its own inline formsets but renders the same way.
"""

from django.db import transaction

from ..models import Brief, BriefParty, BriefQuote, BriefSource, Note
from .rendering import render_brief
from .revisions import record_revision


@transaction.atomic
def save_brief_with_links(
    brief, *, parties=None, sources=None, quotes=None, notes=None, authors=None, user=None, version=None
):
    """Save `brief`, replace each link list that is given (None keeps it), then render.

    parties: [(Party, role)], sources: [Source], quotes: [Quote], notes: [(key, text)].
    Raises BriefMarkupInvalid (and rolls everything back) if the body no longer renders.
    Editorial workflow: a change takes the next content version (an admin form opened before it is
    then refused instead of overwriting it) and is recorded as a revision by `user`. `version`: the
    one already claimed with locking.claim_version (an If-Match write), else the next is taken.
    """
    if version is not None:
        brief.version = version
    elif brief.pk is not None:
        brief.version = (Brief.objects.filter(pk=brief.pk).values_list("version", flat=True).first() or 0) + 1
    brief.save()
    if parties is not None:
        BriefParty.objects.filter(brief=brief).delete()
        BriefParty.objects.bulk_create(
            BriefParty(brief=brief, party=party, role=role, position=i) for i, (party, role) in enumerate(parties)
        )
    if sources is not None:
        BriefSource.objects.filter(brief=brief).delete()
        BriefSource.objects.bulk_create(BriefSource(brief=brief, source=s, position=i) for i, s in enumerate(sources))
    if quotes is not None:
        BriefQuote.objects.filter(brief=brief).delete()
        BriefQuote.objects.bulk_create(BriefQuote(brief=brief, quote=q, position=i) for i, q in enumerate(quotes))
    if notes is not None:
        # Keep notes whose key survives, so their annotations keep their ids and creation times.
        existing = {note.key: note for note in Note.objects.filter(brief=brief)}
        Note.objects.filter(brief=brief).exclude(key__in=[key for key, _ in notes]).delete()
        for position, (key, text) in enumerate(notes):
            note = existing.get(key)
            if note is None:
                Note.objects.create(brief=brief, key=key, text=text, position=position)
            elif (note.text, note.position) != (text, position):
                note.text, note.position = text, position
                note.save(update_fields=["text", "position"])
    if authors:
        brief.authors.add(*authors)
    render_brief(brief)
    brief.refresh_from_db()
    record_revision(brief, user, "Saved through the API.")
    return brief
