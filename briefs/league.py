"""League tables: the parties most active in the public deals, by number of deals or by volume in
US dollars, for any set of deals (a year, a deal type: the deals table's own filters).

A party's volume follows its party page (briefs.party_deals.PARTY_USD): its own committed amount
where the deal records one, else the deal's headline, so in a round of several investors each is
credited with the round unless its own share is known. Amounts without a USD equivalent and
undisclosed deals are never guessed: they count as deals, and apart in the volume. Leading a round
is counted apart from taking part in it: `deals` counts every deal in the role, `led` those it led.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from .models import DealParticipant
from .models.briefs import MONEY
from .models.choices import ParticipantRole
from .party_deals import HAS_AMOUNT, PARTY_USD, UNCONVERTED

LEAGUE_ROLES = ((ParticipantRole.INVESTOR, "Investors"), (ParticipantRole.ACQUIRER, "Acquirers"))
LEAGUE_SIZE = 20
# What a table ranks by, and the order that breaks its ties (then the party's name, then its id).
RANKINGS = {
    "deals": ("Number of deals", ("-deals", "-usd", "-led")),
    "usd": ("Volume in US dollars", ("-usd", "-deals", "-led")),
    "led": ("Deals led", ("-led", "-deals", "-usd")),
}


@dataclass
class LeagueRow:
    rank: int
    party_name: str
    party_slug: str
    deals: int
    led: int
    usd: Decimal
    unconverted: int  # deals with an amount that has no USD equivalent
    undisclosed: int

    @property
    def counted_apart(self):
        return self.unconverted + self.undisclosed


def league_table(deals, role, by="deals", size=LEAGUE_SIZE):
    """The `size` most active parties in `role` among `deals` (public deals, filtered), ranked by
    `by` (a RANKINGS key): one aggregate query. Tied parties share a rank ("1, 2, 2, 4")."""
    ordering = RANKINGS[by][1]
    rows = (
        DealParticipant.objects.filter(deal__in=deals.order_by().values("pk"), role=role)
        .order_by()
        .values("party_id", "party__name", "party__slug")
        .annotate(
            deals=Count("deal", distinct=True),
            led=Count("deal", filter=Q(is_lead=True), distinct=True),
            usd=Coalesce(Sum(PARTY_USD), Value(Decimal(0)), output_field=DecimalField(**MONEY)),
            unconverted=Count("pk", filter=UNCONVERTED),
            undisclosed=Count("pk", filter=~HAS_AMOUNT),
        )
        .order_by(*ordering, "party__name", "party_id")[:size]
    )
    table, previous, rank = [], None, 0
    key = ordering[0].lstrip("-")
    for position, row in enumerate(rows, start=1):
        if row[key] != previous:
            rank, previous = position, row[key]
        table.append(
            LeagueRow(
                rank=rank,
                party_name=row["party__name"],
                party_slug=row["party__slug"],
                deals=row["deals"],
                led=row["led"],
                usd=Decimal(row["usd"]),
                unconverted=row["unconverted"],
                undisclosed=row["undisclosed"],
            )
        )
    return table
