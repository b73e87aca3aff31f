"""Reader-facing wording of a sum of money: "$1.25 billion", "€450 million", "CHF 12,500".

A deal's size in words, honest about what is not known, is briefs.deal_wording.describe_size."""

from decimal import Decimal

from babel.numbers import get_currency_symbol

_SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
# Symbols readers recognise unambiguously; other currencies are written with their code.
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def currency_symbol(currency):
    return _SYMBOLS.get(currency) or (get_currency_symbol(currency, locale="en") if currency else "")


def format_money(amount, currency):
    """$1.25 billion, €450 million, CHF 12,500. None gives ''."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    for scale, word in _SCALES:  # noqa: B007 (word is read after the loop)
        if abs(amount) >= scale:
            number = _trim(amount / scale)
            break
    else:
        number, word = f"{amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount:,}", ""
    symbol = _SYMBOLS.get(currency)
    figure = f"{symbol}{number}" if symbol else f"{currency} {number}".strip()
    return f"{figure} {word}".strip()


def _trim(value):
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
