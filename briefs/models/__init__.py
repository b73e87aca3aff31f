from .annotations import Annotation
from .briefs import Brief, BriefParty, BriefQuote, BriefSource, Note
from .content_version import ContentVersion
from .choices import AmountDisclosure, AnnotationKind, BriefStatus, DealType, PartyKind, PartyRole, SourceKind
from .parties import Party
from .quotes import Quote
from .sources import Source
from .webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "AmountDisclosure", "Annotation", "ContentVersion", "AnnotationKind", "Brief", "BriefParty", "BriefQuote", "BriefSource",
    "BriefStatus", "DealType", "Note", "Party", "PartyKind", "PartyRole", "Quote", "Source", "SourceKind",
    "WebhookDelivery", "WebhookSubscription",
]
