from .annotations import Annotation
from .briefs import Brief, BriefParty, BriefQuote, BriefSource, Note
from .choices import AmountDisclosure, AnnotationKind, BriefStatus, DealType, PartyKind, PartyRole, SourceKind
from .content_version import ContentVersion
from .parties import Party
from .quotes import Quote
from .search import SearchEntry
from .sources import Source
from .webhooks import WebhookDelivery, WebhookSubscription
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
    "ContentVersion",
    "DealType",
    "Note",
    "Party",
    "PartyKind",
    "PartyRole",
    "Quote",
    "SearchEntry",
    "Source",
    "SourceKind",
    "WebhookDelivery",
    "WebhookSubscription",
    "BriefRevision",
    "BrokenSource",
    "Transition",
]
