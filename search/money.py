"""Money-aware search: "$4 billion", "$4B", "4bn" and "US$4,000,000,000" are one amount.

Documents and queries go through the core's recogniser (briefs.markup.money), the same one the
citation check uses. Each amount found becomes one canonical token, ``amount4000000000`` (whole
units, no currency), indexed beside the text; a money term in a query matches that token, so every
way of writing a figure finds the others.
"""

from decimal import Decimal, InvalidOperation

from briefs.markup.money import money_figures

TOKEN_PREFIX = "amount"


def money_token(value):
    return f"{TOKEN_PREFIX}{int(value)}"


def amounts_in(text):
    """Every amount written in `text`, in order (duplicates kept)."""
    return [figure.amount for figure in money_figures(text) if figure.amount is not None]


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
