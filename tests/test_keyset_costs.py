"""Keyset pages of the public list cost one index seek however deep they are.

Kept apart from the API's list tests, which run first on PostgreSQL: measuring a plan ANALYZEs the
database, and the row counts PostgreSQL writes in place outlive a test's transaction, so counts taken
of empty tables there would have the bulk writes of later tests planned as one-row tables."""

import datetime

import pytest
from django.utils import timezone

from briefs import keyset
from briefs.models import Brief
from tests.factories import make_brief
from tests.query_plans import statements_of, work_of

pytestmark = pytest.mark.django_db


def test_a_deep_public_page_reads_as_much_however_many_briefs_come_before_it():
    old = timezone.now() - datetime.timedelta(days=30)
    Brief.objects.bulk_create(
        Brief(title=f"Old {n}", slug=f"old-{n}", status="published", published_at=old - datetime.timedelta(hours=n))
        for n in range(6)
    )
    listing = Brief.objects.published().latest_first()
    deep = keyset.page(listing, size=2, offset=2).next_cursor

    def work():
        (statement,) = statements_of(lambda: keyset.page(Brief.objects.published().latest_first(), size=2, cursor=deep))
        return work_of(*statement)

    few = work()
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Brief.objects.bulk_create(
        Brief(title=f"New {n}", slug=f"new-{n}", status="published", published_at=hour_ago) for n in range(3000)
    )
    # The visibility rule rules NULL out, so the boundary asks for none: `OR published_at IS NULL`
    # would have the database walk all 3,000 newer briefs to reach the page.
    assert work() <= few
    page = keyset.page(Brief.objects.published().latest_first(), size=2, cursor=deep)
    assert [brief.slug for brief in page.items] == ["old-4", "old-5"]


def test_a_list_whose_column_may_hold_null_still_pages_past_the_nulls():
    for n in range(2):
        make_brief(slug=f"p-{n}")
    for n in range(2):
        make_brief(slug=f"n-{n}", published=False)
    every = Brief.objects.order_by("-published_at", "-pk")
    seen, cursor = [], None
    while True:
        page = keyset.page(every, size=1, cursor=cursor)
        seen += [brief.slug for brief in page.items]
        if not (cursor := page.next_cursor):
            break
    assert seen == [brief.slug for brief in every] and len(seen) == 4
