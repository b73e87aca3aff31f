"""Home's page numbers cost what the page asked for, not what the archive holds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefs.bounded_paginator import BoundedCountPaginator
from briefs.models import Brief
from tests.factories import make_brief

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty_briefs(settings):
    settings.DEALSITE = {**settings.DEALSITE, "HOME_PAGE_SIZE": 2}
    return [
        make_brief(title=f"Numbered brief {n}", published_at=timezone.now() - datetime.timedelta(days=n))
        for n in range(1, 31)
    ]


def test_home_counts_only_a_few_pages_ahead_and_says_no_total_beyond_them(client, thirty_briefs):
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/").content.decode()
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 13" in counts[0].upper()  # (1 + 5 pages ahead) × 2 + 1
    assert '<span class="page-of">Page 1</span>' in html and 'rel="next" href="?page=2"' in html
    assert thirty_briefs[0].title in html and thirty_briefs[2].title not in html


def test_near_the_end_the_total_is_known_again(client, thirty_briefs):
    html = client.get("/?page=12").content.decode()
    assert "Page 12 of 15" in html and 'rel="prev" href="?page=11"' in html
    last = client.get("/?page=15").content.decode()
    assert "Page 15 of 15" in last and thirty_briefs[-1].title in last and 'rel="next"' not in last


@pytest.mark.parametrize("asked", [None, "", "abc", "0", "-3", "2.5"])
def test_a_page_number_that_is_not_one_gives_the_first_page(thirty_briefs, asked):
    page = BoundedCountPaginator(Brief.objects.published().latest_first(), 2).get_page(asked)
    assert page.number == 1 and [b.pk for b in page.object_list] == [b.pk for b in thirty_briefs[:2]]


def test_a_page_past_the_end_gives_the_last_page(thirty_briefs):
    page = BoundedCountPaginator(Brief.objects.published().latest_first(), 2).get_page("99")
    assert page.number == 15 and not page.paginator.more
