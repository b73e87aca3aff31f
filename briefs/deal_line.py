"""Who a deal line puts on which side: acting → receiving, or the partners when neither side is set.

List items, search hits and the fact box all read a deal's parties through deal_sides(), so they
cannot disagree about who invested in whom. ``deal_lines(brief)`` is what a list item shows for
each deal a brief is about: its participants by side (the lead marked), its size in words, its
status when it is not simply announced, and its announcement date.
"""

from dataclasses import dataclass
from typing import NamedTuple

from .deal_wording import date_text, describe_size, kind_text
from .models.choices import ACTING_ROLES, RECEIVING_ROLES, DealStatus, PartyRole


class DealSides(NamedTuple):
    acting: list
    receiving: list
    partners: list  # empty unless the deal has neither an acting nor a receiving side


def deal_sides(roles_and_parties):
    """`roles_and_parties`: (role, party) pairs in link order; the parties come back as given."""
    pairs = list(roles_and_parties)
    acting = [party for role, party in pairs if role in ACTING_ROLES]
    receiving = [party for role, party in pairs if role in RECEIVING_ROLES]
    partners = [] if acting or receiving else [party for role, party in pairs if role == PartyRole.PARTNER]
    return DealSides(acting, receiving, partners)


@dataclass(frozen=True)
class DealLine:
    deal: object
    acting: list  # DealParticipant rows (their .party and .is_lead), partners when no side is set
    receiving: list
    kind: str  # "Funding round (Series B)"
    size: str  # describe_size(): honest about undisclosed amounts
    status: str  # "" when announced: the usual case says nothing
    date_label: str
    date: str
    date_iso: str


def deal_line(deal):
    """One deal's line (its participants, stages and figures prefetched: Brief.objects.with_deals())."""
    sides = deal_sides((p.role, p) for p in deal.participants.all())
    if deal.announced_on:
        label, day, precision = "Announced", deal.announced_on, deal.announced_precision
    elif deal.status == DealStatus.RUMOURED and deal.rumoured_on:
        label, day, precision = "Reported", deal.rumoured_on, "day"
    else:
        label, day, precision = "", None, "day"
    return DealLine(
        deal=deal,
        acting=sides.acting or sides.partners,
        receiving=sides.receiving,
        kind=kind_text(deal),
        size=describe_size(deal),
        status="" if deal.status == DealStatus.ANNOUNCED else deal.get_status_display(),
        date_label=label,
        date=date_text(day, precision),
        date_iso=day.isoformat() if day else "",
    )


def deal_lines(brief):
    """The lines of every deal the brief is about, in the brief's order."""
    return [deal_line(link.deal) for link in brief.deal_links.all()]
