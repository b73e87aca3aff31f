"""What counts as a money figure in text: "$4 billion", "4bn", "SGD 40 million", "1,250,000 USD".

This is the one definition: search indexes and queries the figures it finds, and the citation check
requires each of them to be cited, so a figure search treats as money can never slip past the check.
A number is money when a currency is written before or after it, or a scale word ("bn", "million")
follows it; "2023" and "40 staff" are not.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

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
_CODES = "USD|EUR|GBP|JPY|CHF|CNY|INR|CAD|AUD|HKD|SGD|SEK|NOK|DKK|KRW|BRL"
_SYMBOLS = r"US\$|C\$|A\$|HK\$|S\$|NZ\$|R\$|\$|€|£|¥|₹"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Largest amount treated as a value; longer digit runs are still money, just not a searchable amount.
_MAX_AMOUNT = 10**16

MONEY_RE = re.compile(
    rf"""(?<![\w.])
    (?P<currency>(?:{_SYMBOLS})\s?|(?:{_CODES})\b\s?)?
    (?P<number>{_NUMBER})
    (?:
        \s?(?P<long>{_LONG_SCALES})\b
      | (?P<short>[kmbt])\b
    )?
    (?P<unit>\s(?:dollars|euros|pounds|yen|{_CODES})\b)?""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class MoneyFigure:
    start: int
    end: int
    text: str
    amount: int | None  # whole units; None when the figure is too large (or zero) to stand for a value


def money_figures(text):
    """Every money figure in `text`, in order, with its offsets."""
    found = []
    for match in MONEY_RE.finditer(text or ""):
        scale_word = (match.group("long") or match.group("short") or "").lower()
        if not (scale_word or match.group("currency") or match.group("unit")):
            continue
        found.append(
            MoneyFigure(match.start(), match.end(), match.group(0), _amount(match.group("number"), scale_word))
        )
    return found


def _amount(number, scale_word):
    try:
        value = Decimal(number.replace(",", "")) * _SCALE_WORDS.get(scale_word, 1)
    except InvalidOperation:
        return None
    if value <= 0 or value >= _MAX_AMOUNT:
        return None
    return int(value.to_integral_value())
