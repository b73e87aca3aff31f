"""A party's deals as its page shows them: by role, with totals per role in US dollars, and the
points of its deals chart.

Only public deals count (Deal.objects.public(): a published brief about them). Roles come from the
deal's participants, so a party a brief merely names (a competitor, a mention) has no deal here.

What a party "put into" a deal, in US dollars: its own committed amount where the deal records one,
else the deal's headline. The party's own amount is truer wherever it is known — in a round of
many investors the round's size is not what one of them invested —, and where none is recorded the
headline is the one figure the deal has (and for an acquirer, a target, a seller or a sole investor
it is the deal's size). Amounts with no USD equivalent (a currency or a date the ECB rates do not
cover) are never guessed: they are counted apart, as are deals whose size nobody disclosed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, Sum, Value, When, prefetch_related_objects
from django.db.models.functions import Coalesce

from .deal_wording import count_text, date_text, party_deal_sentence
from .models import Deal, DealParticipant, DealStage
from .models.choices import ACTING_ROLES, RECEIVING_ROLES, ParticipantRole
from .money import format_money

# The order of a party page's role sections: leading a round first, advising last.
ROLE_SECTIONS = (
    ("lead", "Lead investor"),
    (ParticipantRole.INVESTOR, "Investor"),
    (ParticipantRole.ACQUIRER, "Acquirer"),
    (ParticipantRole.TARGET, "Target"),
    (ParticipantRole.SELLER, "Seller"),
    (ParticipantRole.LENDER, "Lender"),
    (ParticipantRole.PARTNER, "Partner"),
    (ParticipantRole.ADVISOR, "Advisor"),
)

# The party's amount in USD: its own commitment when recorded, else the deal's headline.
PARTY_USD = Case(When(amount__isnull=False, then=F("amount_usd")), default=F("deal__headline_usd"))
HAS_AMOUNT = Q(amount__isnull=False) | Q(deal__headline_amount__isnull=False)
UNCONVERTED = Q(amount__isnull=False, amount_usd__isnull=True) | Q(
    amount__isnull=True, deal__headline_amount__isnull=False, deal__headline_usd__isnull=True
)


def section_of(participant):
    return "lead" if participant.is_lead else participant.role


def _plural(count, word):
    """ "one deal", "12 deals": numbers under eleven in words, as elsewhere in the site's wording."""
    return f"{count_text(count)} {word}{'' if count == 1 else 's'}"


@dataclass
class PartyDeal:
    participant: DealParticipant
    sentence: str  # "$4 billion invested in Anthropic in two stages"
    usd: Decimal | None

    @property
    def deal(self):
        return self.participant.deal

    @property
    def date(self):
        deal = self.deal
        if deal.announced_on:
            return date_text(deal.announced_on, deal.announced_precision)
        return date_text(deal.rumoured_on, "day")


@dataclass
class RoleDeals:
    role: str
    label: str
    deals: int = 0  # every public deal in this role, shown or not
    usd: Decimal = Decimal(0)
    unconverted: int = 0
    undisclosed: int = 0
    items: list = field(default_factory=list)  # the latest deals (PARTY_TIMELINE_SIZE in all roles)

    @property
    def total_text(self):
        """ "$4 billion in one deal" (counted apart: without a USD equivalent, undisclosed)."""
        converted = self.deals - self.unconverted - self.undisclosed
        parts = [f"{format_money(self.usd, 'USD')} in {_plural(converted, 'deal')}" if converted else ""]
        if self.unconverted:
            parts.append(f"{_plural(self.unconverted, 'deal')} without a USD equivalent")
        if self.undisclosed:
            parts.append(f"{count_text(self.undisclosed)} undisclosed")
        return "; ".join(part for part in parts if part)


def _others(participant):
    """Names on the other side of the deal from this participant (participants prefetched)."""
    everyone = [p for p in participant.deal.participants.all() if p.party_id != participant.party_id]
    if participant.role in ACTING_ROLES:
        side = [p for p in everyone if p.role in RECEIVING_ROLES]
    elif participant.role in RECEIVING_ROLES:
        side = [p for p in everyone if p.role in ACTING_ROLES]
    else:
        side = [p for p in everyone if p.role in (*ACTING_ROLES, *RECEIVING_ROLES)]
    return list(dict.fromkeys(p.party.name for p in side))


def _size(participant):
    if participant.amount is not None:
        return format_money(participant.amount, participant.currency)
    deal = participant.deal
    return format_money(deal.headline_amount, deal.headline_currency) if deal.headline_amount is not None else ""


def party_deals(party):
    """{"roles": [RoleDeals], "participations": the latest rows (with .deal), "count": its public
    deals}: three queries however many deals the party has (four past PARTY_TIMELINE_SIZE rows)."""
    mine = DealParticipant.objects.filter(Deal.objects.public().exists_for("deal_id"), party=party)
    totals = (
        mine.order_by()
        .values("role", "is_lead")
        .annotate(
            deals=Count("deal", distinct=True),
            usd=Sum(PARTY_USD),
            unconverted=Count("pk", filter=UNCONVERTED),
            undisclosed=Count("pk", filter=~HAS_AMOUNT),
        )
    )
    sections = {role: RoleDeals(role, label) for role, label in ROLE_SECTIONS}
    for row in totals:
        section = sections["lead" if row["is_lead"] else row["role"]]
        section.deals += row["deals"]
        section.usd += Decimal(row["usd"] or 0)
        section.unconverted += row["unconverted"]
        section.undisclosed += row["undisclosed"]
    stage_count = (
        DealStage.objects.filter(deal=OuterRef("deal")).order_by().values("deal").annotate(n=Count("pk")).values("n")
    )
    latest = list(
        mine.select_related("deal")
        .annotate(stage_count=Coalesce(Subquery(stage_count), Value(0)), party_usd=PARTY_USD)
        .order_by(F("deal__announced_on").desc(nulls_last=True), "-deal_id", "position")[
            : settings.DEALSITE["PARTY_TIMELINE_SIZE"]
        ]
    )
    prefetch_related_objects(
        [row.deal for row in latest],
        Prefetch("participants", queryset=DealParticipant.objects.select_related("party")),
    )
    for row in latest:
        sentence = party_deal_sentence(_size(row), row.role, _others(row), row.stage_count)
        sections[section_of(row)].items.append(PartyDeal(row, sentence, row.party_usd))
    shown = len({row.deal_id for row in latest})
    capped = len(latest) == settings.DEALSITE["PARTY_TIMELINE_SIZE"]
    count = mine.aggregate(n=Count("deal", distinct=True))["n"] if capped else shown  # a query only when capped
    return {"roles": [s for s in sections.values() if s.deals], "participations": latest, "count": count}
