"""Facet filters as index tokens: a filter is one more AND term for the engine, so filtering costs an
index intersection (FTS5 doclists, GIN posting lists) rather than a row-by-row check.

Tokens are letters and digits ending in a digit, so neither porter (SQLite) nor the english
configuration (PostgreSQL treats them as numwords) alters them. Party slugs are hex-encoded.
"""


def _deal_type(value):
    return f"zdt{value.replace('_', '')}0"


def _currency(value):
    return f"zcur{value.lower()}0"


def _year(value):
    return f"zyr{int(value)}"


def _party(slug):
    return f"zpt{slug.encode().hex()}0"


def facet_tokens(deal_type, currency, year, party_slugs):
    tokens = [_deal_type(deal_type)]
    if currency:
        tokens.append(_currency(currency))
    if year:
        tokens.append(_year(year))
    tokens += [_party(slug) for slug in dict.fromkeys(party_slugs)]
    return " ".join(tokens)


def filter_tokens(filters):
    """The tokens a search with these (cleaned) filters must match."""
    tokens = []
    if filters.get("deal_type"):
        tokens.append(_deal_type(filters["deal_type"]))
    if filters.get("currency"):
        tokens.append(_currency(filters["currency"]))
    if filters.get("year"):
        tokens.append(_year(filters["year"]))
    if filters.get("party"):
        tokens.append(_party(filters["party"]))
    return tokens
