"""The API tests' shorthand for deals, on the shared builders (tests/factories.py make_deal and
tests/deal_builders.py): `amount("1250000000")` is a money figure given value first, `about(brief,
*deals, stages=…)` links an existing brief."""

from tests.deal_builders import brief_about, money
from tests.factories import make_deal

__all__ = ["about", "amount", "make_deal"]


def amount(value, currency="USD", kind="amount", **extra):
    return money(kind, value, currency, **extra)


def about(brief, *deals, stages=None):
    """Make `brief` about `deals` (stages: the stage each reports, or None), through the save path."""
    from briefs.models import Brief

    stages = stages or [None] * len(deals)
    return brief_about(*zip(deals, stages, strict=True), brief=Brief.objects.get(pk=brief.pk))
