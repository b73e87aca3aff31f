"""The party page's stored parts: what on it grows with the party.

A busy party is in thousands of deals and briefs. Its deals by role with their totals, the deals
chart, its co-investors and how many published briefs link it are aggregates over all of them, whose
cost grows with the party while the rest of the page's does not, so they are made once and stored
(briefs.models.PartyPageParts): the deals section as HTML, the brief count, and the ids of the first
pages of its briefs. A reader's request then renders the
header, the page of briefs it shows, the quotes and the related parties around them.

Never stale:
- the parts are keyed by the party's freshness counter (briefs.models.PartyFreshness), which the
  database triggers bump in the writing transaction on every write to anything the party page
  shows, whoever wrote it (briefs.db_triggers.party_freshness_rules); the counter is read before
  the parts are made, so parts can only be newer than their key, never older;
- the clock's part of the visibility rule: the parts carry the publication time of the first
  scheduled brief that would change them (one that links the party or is about a deal it takes
  part in) and are not used from then on;
- and the release (briefs.freshness.state.RELEASE), so parts made by other templates or code (the
  deals' wording, the charts, this module) are not used.

Parts missing or not current are made from the database by the same code (parts_for) and stored
for the next request; after an app save, a background task makes again the parts readers had
(refresh_stale_parts), a batch at a time, so they are mostly ready before the next reader asks.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from .. import db_triggers
from ..charts import party_timeline
from ..co_investors import co_investors
from ..freshness.state import RELEASE
from ..models import Brief, BriefDeal, BriefParty, DealParticipant, Party, PartyFreshness, PartyPageParts
from ..models.briefs import live_statuses_sql, published_q
from ..party_deals import party_deals

TEMPLATE = "briefs/_party_deals.html"
# The pages of briefs whose ids are stored: readers rarely go further; a deeper page reads its ids.
STORED_BRIEF_PAGES = 5
# Stale parts one background run makes again (the rest are made by the requests that find them).
REFRESH_BATCH = 100
REFRESH_LOCK = "party-parts-refresh"


def parts_key():
    """What the parts were made with besides what the freshness counter follows: this release."""
    return hashlib.sha256(f"party parts {RELEASE}".encode()).hexdigest()[:16]


def _counter(party_id):
    """The party's freshness counter as it is now (no row reads as 0)."""
    return PartyFreshness.objects.filter(party_id=party_id).values_list("counter", flat=True).first() or 0


def briefs_linking(party):
    """The party's links in published briefs (several per brief when it plays several roles)."""
    return BriefParty.objects.filter(published_q("brief__"), party=party)


def brief_count(party):
    """How many published briefs link the party."""
    return briefs_linking(party).values("brief_id").distinct().count()


def brief_ids(party, offset, limit):
    """The ids of published briefs linking the party, newest first (then by id), from `offset`."""
    rows = (
        briefs_linking(party)
        .values("brief_id")
        .annotate(published_at=Max("brief__published_at"))
        .order_by("-published_at", "brief_id")
        .values_list("brief_id", flat=True)
    )
    return list(rows[offset : offset + limit])


def _changes_at(party, now):
    """When the first brief scheduled after `now` that would change the parts goes live (None if
    none): one that links the party, or one about a deal it takes part in (its first published
    brief makes the deal public). Read from the party's own links, not the whole schedule."""
    linking = BriefParty.objects.filter(party=party).order_by().values("brief_id")
    its_deals = DealParticipant.objects.filter(party=party).order_by().values("deal_id")
    about = BriefDeal.objects.filter(deal_id__in=its_deals).order_by().values("brief_id")
    upcoming = Brief.objects.filter(status__in=live_statuses_sql(), published_at__gt=now)
    return (
        upcoming.filter(pk__in=linking.union(about))
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def build_parts(party):
    """{"deals_html", "brief_count", "brief_ids"} made from the database, with the counter and the
    go-live time they hold until: (counter, until, parts)."""
    counter = _counter(party.pk)  # first: what is read after it is at least as new
    now = timezone.now()
    deals = party_deals(party)
    context = {
        "party": party,
        "deal_roles": deals["roles"],
        "deal_count": deals["count"],
        # The latest deals (a busy party has thousands): drawn from the rows above.
        "timeline": party_timeline(deals["participations"]),
        "co_investors": co_investors(party),
    }
    stored = settings.DEALSITE["PARTY_PAGE_SIZE"] * STORED_BRIEF_PAGES
    parts = {
        "deals_html": render_to_string(TEMPLATE, context),
        "brief_count": brief_count(party),
        "brief_ids": brief_ids(party, 0, stored),
    }
    return counter, _changes_at(party, now), parts


def store_parts(party):
    """Make and store the party's parts; returns them."""
    counter, until, parts = build_parts(party)
    _store(party, counter, until, parts)
    return parts


def _store(party, counter, until, parts):
    """Only where the freshness triggers exist: elsewhere nothing would move the key."""
    if not db_triggers.installed_on(connection):
        return
    row = PartyPageParts(party_id=party.pk, counter=counter, until=until, key=parts_key(), parts=parts)
    with transaction.atomic():
        PartyPageParts.objects.bulk_create(
            [row], update_conflicts=True, unique_fields=["party_id"], update_fields=["counter", "until", "key", "parts"]
        )


def current(rows):
    """The PartyPageParts `rows` that are current: made at the party's freshness counter as it is
    now, by this release's template and code, and before their go-live time."""
    fresh = PartyFreshness.objects.filter(party_id=OuterRef("party_id")).values("counter")
    return (
        rows.annotate(counter_now=Coalesce(Subquery(fresh), Value(0)))
        .filter(counter=F("counter_now"), key=parts_key())
        .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))
    )


def current_parts(party):
    """The party's stored parts when current, else None: one query."""
    return current(PartyPageParts.objects.filter(party_id=party.pk)).values_list("parts", flat=True).first()


def parts_for(party):
    """The party's parts: stored when current, else made now and stored for the next request. A
    write the database refuses (a read-only replica, say) costs the next request the same work,
    nothing else."""
    parts = current_parts(party)
    if parts is None:
        counter, until, parts = build_parts(party)
        try:
            _store(party, counter, until, parts)
        except DatabaseError:
            pass
    return parts


def stale_parts():
    """Stored parts no longer current: of parties readers asked for, and will again."""
    return PartyPageParts.objects.exclude(pk__in=current(PartyPageParts.objects.all()).values("pk"))


def parties_without_current_parts():
    """The public parties whose pages would make their parts at the next request."""
    return Party.objects.public().exclude(pk__in=current(PartyPageParts.objects.all()).values("party_id"))


def refresh_stale_parts(limit=REFRESH_BATCH):
    """Make again up to `limit` stored parts that are no longer current, and drop those of parties
    no longer public or deleted (no page shows them). One run at a time: a run finding another under
    way leaves the work to it. Returns how many were made."""
    if not cache.add(REFRESH_LOCK, True, timeout=300):
        return 0
    try:
        ids = list(stale_parts().order_by("party_id").values_list("party_id", flat=True)[:limit])
        public = list(Party.objects.public().filter(pk__in=ids))
        for party in public:
            store_parts(party)
        PartyPageParts.objects.filter(party_id__in=set(ids) - {party.pk for party in public}).delete()
        return len(public)
    finally:
        cache.delete(REFRESH_LOCK)


def schedule_refresh():
    """Queue refresh_stale_parts once the writing transaction commits; a broker that is down costs
    the refresh, never the save (the requests make the parts then)."""
    from ..tasks import refresh_party_parts

    transaction.on_commit(refresh_party_parts.delay, robust=True)
