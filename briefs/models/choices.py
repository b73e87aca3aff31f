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


class DealStatus(models.TextChoices):
    """Where a deal stands: rumoured → announced → completed, or it ended without completing."""

    RUMOURED = "rumoured", "Rumoured"
    ANNOUNCED = "announced", "Announced"
    COMPLETED = "completed", "Completed"
    TERMINATED = "terminated", "Terminated"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Statuses that end a deal; each needs the date it ended.
ENDED_STATUSES = (DealStatus.TERMINATED, DealStatus.WITHDRAWN)


class DatePrecision(models.TextChoices):
    """How much of a date is known: a deal "announced in March 2024" is stored as 2024-03-01."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class FundingSeries(models.TextChoices):
    PRE_SEED = "pre_seed", "Pre-seed"
    SEED = "seed", "Seed"
    SERIES_A = "series_a", "Series A"
    SERIES_B = "series_b", "Series B"
    SERIES_C = "series_c", "Series C"
    SERIES_D = "series_d", "Series D"
    SERIES_E = "series_e", "Series E"
    SERIES_F = "series_f", "Series F"
    SERIES_G = "series_g", "Series G"
    SERIES_H = "series_h", "Series H"
    GROWTH = "growth", "Growth"
    BRIDGE = "bridge", "Bridge"
    OTHER = "other", "Other"


class ParticipantRole(models.TextChoices):
    """What a party does in the deal itself (a brief may also mention competitors and others)."""

    INVESTOR = "investor", "Investor"
    TARGET = "target", "Target"
    ACQUIRER = "acquirer", "Acquirer"
    SELLER = "seller", "Seller"
    ADVISOR = "advisor", "Advisor"
    LENDER = "lender", "Lender"
    PARTNER = "partner", "Partner"


# The parties a deal is about: a party's deal chart and totals count only these roles.
PRINCIPAL_ROLES = (
    ParticipantRole.INVESTOR,
    ParticipantRole.ACQUIRER,
    ParticipantRole.TARGET,
    ParticipantRole.SELLER,
    ParticipantRole.LENDER,
)


class FigureKind(models.TextChoices):
    AMOUNT = "amount", "Amount"
    UP_TO = "up_to", "Up to (maximum)"
    TOTAL_TO_DATE = "total_to_date", "Total to date"
    VALUATION_PRE = "valuation_pre", "Valuation, pre-money"
    VALUATION_POST = "valuation_post", "Valuation, post-money"
    VALUATION = "valuation", "Valuation (pre or post not stated)"
    STAKE = "stake", "Stake (%)"


# Figures that are sums of money (a stake is a percentage).
MONEY_FIGURES = tuple(kind for kind in FigureKind if kind != FigureKind.STAKE)
# Figures that measure the deal's size, from which its headline amount is taken.
SIZE_FIGURES = (FigureKind.AMOUNT, FigureKind.UP_TO, FigureKind.TOTAL_TO_DATE)


class FigureBasis(models.TextChoices):
    """How a figure is known: said by the parties, reported by others, or estimated."""

    OFFICIAL = "official", "Official"
    REPORTED = "reported", "Reported"
    ESTIMATED = "estimated", "Estimated"


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
