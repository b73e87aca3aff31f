from .briefs import BriefDetailSerializer, BriefListSerializer
from .catalogue import PartyDetailSerializer, PartySerializer, QuoteSerializer, SourceDetailSerializer, SourceSerializer
from .deals import DealInBriefSerializer, DealSerializer
from .writes import BriefWriteSerializer

__all__ = [
    "BriefDetailSerializer",
    "BriefListSerializer",
    "BriefWriteSerializer",
    "DealInBriefSerializer",
    "DealSerializer",
    "PartyDetailSerializer",
    "PartySerializer",
    "QuoteSerializer",
    "SourceDetailSerializer",
    "SourceSerializer",
]
