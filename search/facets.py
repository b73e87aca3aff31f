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


def _status(value):
    return f"zst{value}0"


def _series(value):
    return f"zsr{value.replace('_', '')}0"


def _lead(slug):
    return f"zld{slug.encode().hex()}0"


def facet_tokens(deal_types, currencies, years, party_slugs, *, statuses=(), series=(), leads=()):
    """Every value of every deal the brief is about is a token: a brief about two deals is found
    by either's type, status, series, lead, currency or year."""
    tokens = [_deal_type(value) for value in dict.fromkeys(deal_types)]
    tokens += [_currency(value) for value in dict.fromkeys(currencies)]
    tokens += [_year(value) for value in dict.fromkeys(years)]
    tokens += [_status(value) for value in dict.fromkeys(statuses)]
    tokens += [_series(value) for value in dict.fromkeys(series)]
    tokens += [_lead(slug) for slug in dict.fromkeys(leads)]
    tokens += [_party(slug) for slug in dict.fromkeys(party_slugs)]
    return " ".join(tokens)


_FILTER_TOKENS = {
    "deal_type": _deal_type,
    "currency": _currency,
    "year": _year,
    "party": _party,
    "status": _status,
    "series": _series,
    "lead": _lead,
}


def filter_tokens(filters):
    """The tokens a search with these (cleaned) filters must match."""
    return [token(filters[name]) for name, token in _FILTER_TOKENS.items() if filters.get(name)]
