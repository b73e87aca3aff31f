"""US-dollar equivalents of amounts, at the ECB reference rate of the amount's own date.

The rates are the ECB's daily euro reference rates since 1999, shipped offline by the
``currencyconverter`` package (its bundled ``eurofxref-hist.zip``): nothing is fetched at run time.
The ECB publishes rates on its working days only, so a weekend or holiday takes the latest rate
published before it, at most a week earlier, and says which date that was. An amount whose currency
the ECB does not publish, or whose date is outside the published range, gets no equivalent and a
reason instead; a rate is never invented. Amounts stay Decimal: the converter's cross rate (a
float) is read to ten significant digits, more than the ECB's rates carry (five or six).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

CENT = Decimal("0.01")
MAX_STALENESS = datetime.timedelta(days=7)


@dataclass(frozen=True)
class UsdEquivalent:
    amount: Decimal | None  # None when there is no rate
    rate: Decimal | None  # US dollars per unit of the currency
    rate_on: datetime.date | None  # the ECB date the rate is from
    unavailable: str = ""  # why there is no equivalent

    @property
    def available(self):
        return self.amount is not None


@cache
def _converter():
    from currency_converter import CurrencyConverter

    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def published_currencies():
    """The currencies the ECB publishes a reference rate for (and the euro itself)."""
    return frozenset(_converter().currencies)


def rate_bounds(currency):
    bounds = _converter().bounds.get(currency)
    return (bounds.first_date, bounds.last_date) if bounds else (None, None)


RATE_DIGITS = 10


def _significant(value):
    return value.quantize(Decimal(1).scaleb(value.adjusted() - RATE_DIGITS + 1), rounding=ROUND_HALF_EVEN)


def usd_rate(currency, on):
    """(rate, rate date) for one unit of `currency` in USD on date `on`, or (None, reason)."""
    if currency == "USD":
        return Decimal(1), on
    converter = _converter()
    if currency not in converter.currencies:
        return None, f"The ECB publishes no reference rate for {currency}."
    first = max(rate_bounds(currency)[0], rate_bounds("USD")[0])
    last = min(rate_bounds(currency)[1], rate_bounds("USD")[1])
    if on < first:
        return None, f"ECB rates for {currency} begin on {first:%-d %B %Y}, after this date."
    if on > last + MAX_STALENESS:
        return None, f"The shipped ECB rates end on {last:%-d %B %Y}, before this date."
    from currency_converter import RateNotFoundError

    day = min(on, last)
    while day >= on - MAX_STALENESS and day >= first:
        try:
            rate = converter.convert(1, currency, "USD", date=day)
        except RateNotFoundError:
            day -= datetime.timedelta(days=1)
            continue
        return _significant(Decimal(repr(rate))), day
    return None, f"The ECB published no {currency} rate in the week before {on:%-d %B %Y}."


def usd_equivalent(amount, currency, on):
    """The USD equivalent of `amount` in `currency` at the ECB rate of date `on`."""
    if amount is None or not currency:
        return UsdEquivalent(None, None, None, "")
    if on is None:
        return UsdEquivalent(None, None, None, "No date to take the exchange rate from.")
    rate, rate_on = usd_rate(currency, on)
    if rate is None:
        return UsdEquivalent(None, None, None, rate_on)
    return UsdEquivalent((Decimal(amount) * rate).quantize(CENT, rounding=ROUND_HALF_EVEN), rate, rate_on)
