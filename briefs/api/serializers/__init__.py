from .briefs import BriefDetailSerializer, BriefListSerializer, DealSerializer
from .catalogue import PartyDetailSerializer, PartySerializer, QuoteSerializer, SourceDetailSerializer, SourceSerializer
from .writes import BriefWriteSerializer

__all__ = [
    "BriefDetailSerializer",
    "BriefListSerializer",
    "BriefWriteSerializer",
    "DealSerializer",
    "PartyDetailSerializer",
    "PartySerializer",
    "QuoteSerializer",
    "SourceDetailSerializer",
    "SourceSerializer",
]
