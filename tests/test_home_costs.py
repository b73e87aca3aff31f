"""The home chart reads as much however long the schedule is.

Apart from the chart's other tests, which run first on PostgreSQL: measuring a plan ANALYZEs the
database, and the row counts PostgreSQL writes in place outlive a test's transaction (see
tests/test_keyset_costs.py)."""

import datetime

import pytest
from django.utils import timezone

from briefs.charts import deal_volume
from briefs.models import Brief, BriefDeal, Deal
from tests.deal_builders import brief_about, deal_with
from tests.query_plans import statements_of, work_of

pytestmark = pytest.mark.django_db


def schedule(count, first):
    """`count` briefs scheduled from ten years ahead, each about a deal of its own."""
    later = timezone.now() + datetime.timedelta(days=3650)
    briefs = Brief.objects.bulk_create(
        Brief(
            title=f"Later {n}", slug=f"later-{n}", status="scheduled", published_at=later + datetime.timedelta(hours=n)
        )
        for n in range(first, first + count)
    )
    deals = Deal.objects.bulk_create(
        Deal(name=f"Later deal {n}", slug=f"later-deal-{n}", announced_on=datetime.date(2024, 6, 1))
        for n in range(first, first + count)
    )
    BriefDeal.objects.bulk_create(BriefDeal(brief=brief, deal=deal) for brief, deal in zip(briefs, deals, strict=True))


def test_the_volume_chart_reads_as_much_with_a_long_schedule_as_with_a_short_one():
    for n in range(3):
        brief_about(deal_with(amount="1000000", announced_on=datetime.date(2024, 1 + n, 5)))

    def work():
        statements = statements_of(deal_volume)
        return sum(work_of(*statement) for statement in statements), len(statements)

    schedule(10, first=0)
    short = work()
    schedule(1500, first=10)
    # Subtracting every deal awaiting publication would read the whole schedule on every home page.
    assert work() <= short
    assert [(month.start.month, month.deals) for month in deal_volume()] == [(1, 1), (2, 1), (3, 1)]
