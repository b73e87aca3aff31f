"""Money-aware search: "$4 billion", "$4B", "4bn" and "US$4,000,000,000" are one amount.

Documents and queries go through the same recogniser. Each amount found becomes one canonical
token, ``amount4000000000`` (whole units, no currency), indexed beside the text; a money term in a
query matches that token, so every way of writing a figure finds the others.
"""

import re
from decimal import Decimal, InvalidOperation

TOKEN_PREFIX = "amount"

_SCALE_WORDS = {
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
    "t": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "b": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "mio": 10**6,
    "m": 10**6,
    "thousand": 10**3,
    "k": 10**3,
}
# Single letters count as a scale only when written against the number ("4b", "$450m").
_LONG_SCALES = "trillion|billion|million|thousand|trn|tn|bn|bln|mn|mln|mio"
_CURRENCY = r"(?:US\$|C\$|A\$|HK\$|S\$|NZ\$|R\$|\$|€|£|¥|₹|(?:USD|EUR|GBP|JPY|CHF|CNY|INR|CAD|AUD|HKD|SGD|SEK|NOK|DKK|KRW|BRL)\b\s?)"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

MONEY_RE = re.compile(
    rf"""(?<![\w.])
    (?P<currency>{_CURRENCY})?
    (?P<number>{_NUMBER})
    (?:
        \s?(?P<long>{_LONG_SCALES})\b
      | (?P<short>[kmbt])\b
    )?""",
    re.IGNORECASE | re.VERBOSE,
)


def amount_of(match):
    """The whole-unit amount a MONEY_RE match stands for, or None if it is just a number."""
    scale_word = (match.group("long") or match.group("short") or "").lower()
    if not scale_word and not match.group("currency"):
        return None  # "2023", "40 staff": not money
    try:
        number = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:
        return None
    value = number * _SCALE_WORDS.get(scale_word, 1)
    if value <= 0 or value >= 10**16:
        return None
    return int(value.to_integral_value())


def money_token(value):
    return f"{TOKEN_PREFIX}{int(value)}"


def amounts_in(text):
    """Every amount written in `text`, in order (duplicates kept)."""
    found = []
    for match in MONEY_RE.finditer(text or ""):
        value = amount_of(match)
        if value is not None:
            found.append(value)
    return found


def money_tokens(texts, amounts=()):
    """Space-separated canonical tokens for the amounts written in `texts` and the given figures."""
    values = []
    for text in texts:
        values.extend(amounts_in(text))
    for amount in amounts:
        if amount is not None:
            try:
                value = int(Decimal(amount).to_integral_value())
            except (InvalidOperation, TypeError, ValueError):
                continue
            if value > 0:
                values.append(value)
    return " ".join(dict.fromkeys(money_token(value) for value in values))
