from .annotations import Annotation
from .briefs import Brief, BriefParty, BriefQuote, BriefSource, Note
from .choices import AmountDisclosure, AnnotationKind, BriefStatus, DealType, PartyKind, PartyRole, SourceKind
from .content_version import BriefFreshness, ContentVersion, PartyFreshness
from .deal_volume import DealVolumeMonth
from .deals import BriefDeal, Deal, DealFigure, DealParticipant, DealStage
from .parties import Party, PartyPageParts
from .quotes import Quote
from .sources import Source
from .workflow import BriefRevision, BrokenSource, Transition

__all__ = [
    "AmountDisclosure",
    "Annotation",
    "AnnotationKind",
    "Brief",
    "BriefParty",
    "BriefQuote",
    "BriefSource",
    "BriefStatus",
    "BriefDeal",
    "Deal",
    "DealFigure",
    "DealParticipant",
    "DealStage",
    "DealVolumeMonth",
    "BriefFreshness",
    "PartyFreshness",
    "ContentVersion",
    "DealType",
    "Note",
    "Party",
    "PartyKind",
    "PartyPageParts",
    "PartyRole",
    "Quote",
    "Source",
    "SourceKind",
    "BriefRevision",
    "BrokenSource",
    "Transition",
]
