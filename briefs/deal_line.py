"""Who a deal line puts on which side: acting → receiving, or the partners when neither side is set.

List items, search hits and the fact box all read a brief's parties through deal_sides(), so they
cannot disagree about who invested in whom.
"""

from typing import NamedTuple

from .models.choices import ACTING_ROLES, RECEIVING_ROLES, PartyRole


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
