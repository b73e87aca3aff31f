"""Word banks for synthetic briefs. Plain letters only, so Markdown and the sanitizer pass them through."""

NAME_HEADS = [
    "Acme", "Alder", "Altis", "Amber", "Apex", "Arbor", "Argent", "Aster", "Atlas", "Aurora", "Banyan", "Beacon",
    "Birch", "Bluewater", "Boreal", "Brightline", "Cascade", "Cedar", "Celest", "Cinder", "Cobalt", "Comet",
    "Copperleaf", "Corvid", "Crescent", "Crown", "Delta", "Drift", "Ember", "Equinox", "Falcon", "Fathom",
    "Fernway", "Firefly", "Fjord", "Flint", "Foxglove", "Galena", "Garnet", "Glacier", "Granite", "Halcyon",
    "Harbor", "Helio", "Heron", "Horizon", "Indigo", "Iris", "Ironwood", "Jasper", "Juniper", "Kestrel",
    "Keystone", "Lantern", "Larkspur", "Lumen", "Lynx", "Magnolia", "Maple", "Meridian", "Mesa", "Monarch",
    "Nimbus", "Northwind", "Oakridge", "Obsidian", "Onyx", "Orbit", "Orchid", "Osprey", "Pelican", "Peregrine",
    "Pinnacle", "Polaris", "Prairie", "Quarry", "Quill", "Radiant", "Raven", "Redwood", "Ridgeway", "Sable",
    "Saffron", "Sequoia", "Sierra", "Silverline", "Solstice", "Sparrow", "Spruce", "Summit", "Tamarack",
    "Tempest", "Terra", "Thistle", "Tidal", "Topaz", "Trillium", "Tundra", "Umber", "Vale", "Vantage",
    "Verdant", "Vesper", "Willow", "Wren", "Zephyr", "Zinnia",
]
NAME_TAILS = [
    "Analytics", "Bio", "Biotech", "Capital", "Cloud", "Dynamics", "Energy", "Foods", "Fund", "Genomics",
    "Health", "Holdings", "Industries", "Labs", "Logistics", "Materials", "Media", "Mobility", "Motors",
    "Networks", "Partners", "Payments", "Pharma", "Power", "Robotics", "Semiconductor", "Software", "Solar",
    "Systems", "Therapeutics", "Ventures", "Water",
]
FIRST_NAMES = [
    "Ada", "Alan", "Amara", "Anika", "Ben", "Carla", "Chen", "Dario", "Elena", "Farah", "Felix", "Grace",
    "Hana", "Ibrahim", "Ines", "Jonas", "Kofi", "Lena", "Luis", "Maya", "Mei", "Nadia", "Omar", "Priya",
    "Rafael", "Sara", "Tomas", "Uma", "Viktor", "Yara", "Zoe",
]
LAST_NAMES = [
    "Abbott", "Bauer", "Castillo", "Demir", "Eriksen", "Fischer", "Garcia", "Hughes", "Ito", "Jensen", "Kowalski",
    "Larsen", "Moreau", "Nakamura", "Okafor", "Patel", "Quinn", "Rossi", "Santos", "Tanaka", "Ueda", "Varga",
    "Walsh", "Xu", "Yilmaz", "Zhang",
]
TITLES = ["chief executive", "chief financial officer", "founder", "managing partner", "chair", "head of strategy"]
PUBLISHERS = [
    "Market Ledger", "Deal Wire", "Capital Chronicle", "The Finance Desk", "Business Courier", "Trade Gazette",
    "Industry Monitor", "Venture Journal", "Sector Review", "Global Markets Daily", "Regulatory Filings Service",
    "Company Announcements",
]
SECTORS = [
    "battery", "biotech", "cloud", "cybersecurity", "drone", "fintech", "gaming", "geothermal", "hydrogen",
    "insurance", "lithium", "logistics", "medtech", "payments", "robotics", "satellite", "semiconductor",
    "shipping", "software", "solar", "telecom", "water", "wind",
]
CITIES = [
    "London", "New York", "Singapore", "Berlin", "Paris", "Tokyo", "Toronto", "Sydney", "Mumbai", "Zurich",
    "Stockholm", "Austin", "Boston", "Seoul", "Madrid", "Dublin",
]
SUBJECTS = [
    "The company", "The buyer", "The board", "Management", "The target", "Its founders", "Analysts",
    "Regulators", "Shareholders", "The lenders", "Rivals", "Investors",
]
VERBS = [
    "expects", "plans", "intends", "hopes", "aims", "promised", "declined", "agreed", "wants", "is preparing",
]
OBJECTS = [
    "to expand into new markets", "to hire more engineers", "to open a factory", "to cut costs",
    "to build a larger sales team", "to double production capacity", "to comment on the valuation",
    "to close the transaction next quarter", "to seek regulatory approval", "to integrate the two teams",
    "to invest in research", "to list its shares within two years", "to refinance existing debt",
    "to keep the brand", "to grow recurring revenue", "to enter the Asian market",
]
CLOSERS = [
    "the deal is subject to customary closing conditions",
    "terms beyond the headline figure were not disclosed",
    "the market reacted calmly to the news",
    "competition in the sector has intensified this year",
    "the companies had worked together for several years",
    "advisers on both sides were not named",
    "the transaction still needs shareholder approval",
    "demand for the product has grown quickly",
]
QUOTE_OPENERS = [
    "This partnership lets us move faster", "We are delighted to welcome", "Our customers will benefit",
    "This is a milestone for the whole team", "We see enormous potential", "The combination makes strategic sense",
    "We have long admired their work", "This funding accelerates our roadmap",
]
QUOTE_ENDINGS = [
    "and we intend to invest for the long term.", "across every market we serve.",
    "while keeping our focus on customers.", "and the next few years will show why.",
    "as demand keeps growing.", "with discipline and patience.",
]
