"""Choice lists shared by models, forms, the API and templates."""

from functools import cache

from babel.numbers import get_currency_name, list_currencies
from django.db import models


class PartyKind(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    PERSON = "person", "Person"
    FUND = "fund", "Fund"


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", "News article"
    PRESS_RELEASE = "press_release", "Press release"
    FILING = "filing", "Regulatory filing"
    INVESTOR_DECK = "investor_deck", "Investor deck"
    DATASET = "dataset", "Dataset"
    IMAGE_DATA = "image_data", "Image / data"
    STATEMENT = "statement", "Statement"
    INTERVIEW = "interview", "Interview or event"
    OTHER = "other", "Other"


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "OK"
    REDIRECTED = "redirected", "Redirected"
    BROKEN = "broken", "Broken"


class BriefStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DealType(models.TextChoices):
    INVESTMENT = "investment", "Investment"
    FUNDING_ROUND = "funding_round", "Funding round"
    ACQUISITION = "acquisition", "Acquisition"
    MERGER = "merger", "Merger"
    PARTNERSHIP = "partnership", "Partnership"
    JOINT_VENTURE = "joint_venture", "Joint venture"
    DIVESTITURE = "divestiture", "Divestiture"
    IPO = "ipo", "IPO"
    DEBT = "debt", "Debt financing"
    OTHER = "other", "Other"


class AmountDisclosure(models.TextChoices):
    DISCLOSED = "disclosed", "Disclosed"
    UNDISCLOSED = "undisclosed", "Undisclosed"
    NOT_APPLICABLE = "not_applicable", "No amount (e.g. a partnership)"


class PartyRole(models.TextChoices):
    INVESTOR = "investor", "Investor"
    TARGET = "target", "Target"
    ACQUIRER = "acquirer", "Acquirer"
    SELLER = "seller", "Seller"
    ADVISOR = "advisor", "Advisor"
    PARTNER = "partner", "Partner"
    LENDER = "lender", "Lender"
    COMPETITOR = "competitor", "Competitor"
    MENTIONED = "mentioned", "Mentioned"


# Roles that are the "who did what to whom" of a deal line: buyer side → receiving side.
ACTING_ROLES = (PartyRole.INVESTOR, PartyRole.ACQUIRER, PartyRole.LENDER)
RECEIVING_ROLES = (PartyRole.TARGET, PartyRole.SELLER)


class AnnotationKind(models.TextChoices):
    PARTY = "party", "Party"
    SOURCE = "source", "Source citation"
    QUOTE = "quote", "Quote"
    NOTE = "note", "Editorial note"


# Currencies still in circulation (ISO 4217): babel's list minus withdrawn/fund codes.
_NOT_TENDER = {
    "ADP",
    "AFA",
    "ALK",
    "AOK",
    "AON",
    "AOR",
    "ARA",
    "ARL",
    "ARM",
    "ARP",
    "ATS",
    "AZM",
    "BAD",
    "BAN",
    "BEC",
    "BEF",
    "BEL",
    "BGL",
    "BGM",
    "BGO",
    "BOL",
    "BOP",
    "BOV",
    "BRB",
    "BRC",
    "BRE",
    "BRN",
    "BRR",
    "BRZ",
    "BUK",
    "BYB",
    "BYR",
    "CHE",
    "CHW",
    "CLE",
    "CLF",
    "CNH",
    "CNX",
    "COU",
    "CSD",
    "CSK",
    "CUC",
    "CYP",
    "DDM",
    "DEM",
    "ECS",
    "ECV",
    "EEK",
    "ESA",
    "ESB",
    "ESP",
    "FIM",
    "FRF",
    "GEK",
    "GHC",
    "GNS",
    "GQE",
    "GRD",
    "GWE",
    "GWP",
    "HRD",
    "IEP",
    "ILP",
    "ILR",
    "ISJ",
    "ITL",
    "KRH",
    "KRO",
    "LTL",
    "LTT",
    "LUC",
    "LUF",
    "LUL",
    "LVL",
    "LVR",
    "MAF",
    "MCF",
    "MDC",
    "MGF",
    "MKN",
    "MLF",
    "MRO",
    "MTL",
    "MTP",
    "MVP",
    "MXP",
    "MXV",
    "MZE",
    "MZM",
    "NIC",
    "NLG",
    "PEI",
    "PES",
    "PLZ",
    "PTE",
    "RHD",
    "ROL",
    "RUR",
    "SDD",
    "SDP",
    "SIT",
    "SKK",
    "SLL",
    "SRG",
    "STD",
    "SUR",
    "TJR",
    "TMM",
    "TPE",
    "TRL",
    "UAK",
    "UGS",
    "USN",
    "USS",
    "UYI",
    "UYP",
    "UYW",
    "VEB",
    "VEF",
    "VNN",
    "XAG",
    "XAU",
    "XBA",
    "XBB",
    "XBC",
    "XBD",
    "XDR",
    "XEU",
    "XFO",
    "XFU",
    "XPD",
    "XPT",
    "XRE",
    "XSU",
    "XTS",
    "XUA",
    "XXX",
    "YDD",
    "YUD",
    "YUM",
    "YUN",
    "YUR",
    "ZAL",
    "ZMK",
    "ZRN",
    "ZRZ",
    "ZWD",
    "ZWL",
    "ZWR",
}


@cache
def currency_choices():
    codes = sorted(code for code in list_currencies() if code not in _NOT_TENDER)
    return [(code, f"{code} — {get_currency_name(code, locale='en')}") for code in codes]


@cache
def currency_codes():
    return frozenset(code for code, _ in currency_choices())
