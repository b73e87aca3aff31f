"""A party's co-investors: the parties that invested in the same public deals as it did, with how
many deals they were in together. Investors only (a lead is an investor too): an acquirer or a
target has counterparties, not co-investors."""

from dataclasses import dataclass

from django.db.models import Count

from .models import Deal, DealParticipant
from .models.choices import ParticipantRole

CO_INVESTORS_SHOWN = 10


@dataclass
class CoInvestor:
    name: str
    slug: str
    deals: int  # deals both invested in


def co_investors(party, limit=CO_INVESTORS_SHOWN):
    """The `limit` parties with most public deals invested in alongside `party`, most first (then by
    name): one query however many deals."""
    its_deals = DealParticipant.objects.filter(
        Deal.objects.public().exists_for("deal_id"), party=party, role=ParticipantRole.INVESTOR
    ).values("deal_id")
    rows = (
        DealParticipant.objects.filter(deal_id__in=its_deals, role=ParticipantRole.INVESTOR)
        .exclude(party=party)
        .order_by()
        .values("party_id", "party__name", "party__slug")
        .annotate(deals=Count("deal", distinct=True))
        .order_by("-deals", "party__name", "party_id")[:limit]
    )
    return [CoInvestor(row["party__name"], row["party__slug"], row["deals"]) for row in rows]
