"""Lists whose cost does not grow with the archive: keyset pages stable under inserts, the home
chart's monthly counts kept by triggers (publish, withdraw, raw SQL, the clock), list queries
that read no bodies and make a constant number of queries."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefs import keyset
from briefs.charts import deal_volume
from briefs.db_triggers import deal_volume_rebuild
from briefs.models import Brief, Deal, DealVolumeMonth
from briefs.services.workflow import finalise_scheduled
from tests.api.conftest import token_client
from tests.deal_builders import brief_about, deal_with
from tests.factories import make_brief, make_party

pytestmark = pytest.mark.django_db


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


# Keyset pages ----------------------------------------------------------------------------------


def test_a_brief_published_between_page_fetches_is_neither_repeated_nor_skipped(client):
    now = timezone.now()
    made = [make_brief(slug=f"k-{n:02d}", published_at=now - datetime.timedelta(hours=n)) for n in range(9)]
    first = client.get("/api/v1/briefs/?page_size=4").json()
    assert [item["slug"] for item in first["results"]] == ["k-00", "k-01", "k-02", "k-03"]
    # Published between the fetches: one newer than everything, one among the pages still to come.
    make_brief(slug="k-newest", published_at=now + datetime.timedelta(seconds=-1))
    make_brief(slug="k-between", published_at=now - datetime.timedelta(hours=5, minutes=30))
    seen, url = [item["slug"] for item in first["results"]], first["next"]
    while url:
        page = client.get(url).json()
        seen += [item["slug"] for item in page["results"]]
        url = page["next"]
    assert "k-newest" not in seen  # newer than the cursor: the next first page shows it
    assert seen == [b.slug for b in made[:6]] + ["k-between"] + [b.slug for b in made[6:]]


def test_keyset_pages_walk_any_ordering_with_nulls_and_ties_both_ways(client, editor):
    for n in range(7):
        make_brief(slug=f"t-{n}", title=f"Same title {n % 2}")
    for n in range(3):
        make_brief(slug=f"d-{n}", published=False)  # staff see drafts, whose published_at is null
    api = token_client(editor)
    for ordering in ("title", "-title", "published_at", "-published_at"):
        expected = [
            item["slug"] for item in api.get(f"/api/v1/briefs/?ordering={ordering}&page_size=100").json()["results"]
        ]
        forward, url, pages = [], f"/api/v1/briefs/?ordering={ordering}&page_size=3", []
        while url:
            page = api.get(url).json()
            pages.append(page)
            forward += [item["slug"] for item in page["results"]]
            url = page["next"]
        assert forward == expected and len(expected) == 10
        backward, url = [], pages[-1]["previous"]
        while url:
            page = api.get(url).json()
            backward = [item["slug"] for item in page["results"]] + backward
            url = page["previous"]
        assert backward + [item["slug"] for item in pages[-1]["results"]] == expected


def test_a_cursor_of_one_ordering_is_refused_for_another(client):
    for n in range(3):
        make_brief(slug=f"c-{n}")
    following = client.get("/api/v1/briefs/?page_size=1").json()["next"]
    cursor = following.split("cursor=")[1]
    refused = client.get(f"/api/v1/briefs/?ordering=title&page_size=1&cursor={cursor}")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "cursor"
    with pytest.raises(keyset.InvalidCursor):
        keyset.page(Brief.objects.order_by("title", "pk"), size=1, cursor=cursor)


def test_the_list_page_reads_its_rows_off_the_live_index_without_bodies():
    make_brief(slug="indexed")
    queryset = Brief.objects.published().latest_first().for_listing()[:20]
    with CaptureQueriesContext(connection) as queries:
        list(queryset)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert '"body"' not in sql and '"page_parts"' not in sql and '"body_html"' not in sql
    if connection.vendor == "sqlite":
        assert "brief_live_latest_idx" in queryset.explain()


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_counts_do_not_grow(client, count, django_assert_max_num_queries):
    party = make_party(slug="busy")
    for n in range(count):
        brief_about(deal_with(participants=[(party, "investor"), (make_party(), "target")]), slug=f"q-{n}")
    for url, most in (
        ("/api/v1/briefs/", 12),
        ("/api/v1/briefs/?page=2&page_size=2", 12),
        ("/api/v1/briefs/sync/", 12),
        ("/", 9),
        ("/feed/rss/", 10),
        ("/sitemap.xml", 12),  # each of four sections: its last change, its first and last public keys
        ("/sitemap-briefs.xml", 4),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


# The home chart's monthly counts -------------------------------------------------------------


def scanned_months():
    """The chart's rule computed the slow way, from every public deal."""
    month = TruncMonth(Coalesce("announced_on", "rumoured_on", output_field=DateField()))
    rows = (
        Deal.objects.public()
        .filter(Q(announced_on__isnull=False) | Q(rumoured_on__isnull=False))
        .annotate(month=month)
        .values("month")
        .annotate(deals=Count("pk"), usd=Sum("headline_usd"))
        .order_by("month")
    )
    return [(row["month"], row["deals"], row["usd"] or 0) for row in rows]


def charted():
    return [(m.start, m.deals, m.usd) for m in deal_volume() if m.deals]


def stored():
    return sorted(DealVolumeMonth.objects.filter(deals__gt=0).values_list("month", "deals", "usd"))


def test_the_monthly_counts_follow_publish_withdraw_and_deal_edits(db):
    day = datetime.date(2024, 3, 10)
    one = brief_about(deal_with(amount="1000000", announced_on=day))
    two = brief_about(deal_with(amount="3000000", announced_on=day), published=False)
    assert charted() == scanned_months() == [(datetime.date(2024, 3, 1), 1, 1000000)]
    two.status, two.published_at = "published", timezone.now()
    two.save()
    assert charted() == scanned_months() == [(datetime.date(2024, 3, 1), 2, 4000000)]
    one.status = "withdrawn"
    one.save()
    assert charted() == scanned_months() == [(datetime.date(2024, 3, 1), 1, 3000000)]
    deal = two.deal_link.deal
    Deal.objects.filter(pk=deal.pk).update(announced_on=datetime.date(2023, 12, 1))
    assert charted() == scanned_months() == [(datetime.date(2023, 12, 1), 1, 3000000)]
    two.deal_links.all().delete()
    assert charted() == scanned_months() == []


def test_the_monthly_counts_stay_right_under_raw_sql(db):
    day = datetime.date(2024, 5, 2)
    briefs = [brief_about(deal_with(amount=f"{n + 1}000000", announced_on=day)) for n in range(3)]
    table = Brief._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET status = 'withdrawn' WHERE id = %s", [briefs[0].pk])
        cursor.execute(
            f"UPDATE {Deal._meta.db_table} SET headline_usd = NULL WHERE id = %s", [briefs[1].deal_link.deal_id]
        )
    assert charted() == scanned_months() == [(datetime.date(2024, 5, 1), 2, 3000000)]
    before = stored()
    with connection.cursor() as cursor:
        for statement in deal_volume_rebuild(apps, connection.vendor):
            cursor.execute(statement)
    assert stored() == before


def test_a_deal_whose_only_brief_is_scheduled_is_charted_when_it_goes_live_by_the_clock(db):
    later = timezone.now() + datetime.timedelta(hours=2)
    brief_about(deal_with(amount="1000000", announced_on=datetime.date(2024, 1, 5)))
    brief_about(
        deal_with(amount="2000000", announced_on=datetime.date(2024, 2, 5)), status="scheduled", published_at=later
    )
    assert stored() == [(datetime.date(2024, 1, 1), 1, 1000000)]  # counted once the task marks it published
    assert charted() == scanned_months() == [(datetime.date(2024, 1, 1), 1, 1000000)]
    after = later + datetime.timedelta(minutes=1)
    assert [(m.start, m.deals) for m in deal_volume(now=after)] == [
        (datetime.date(2024, 1, 1), 1),
        (datetime.date(2024, 2, 1), 1),
    ]
    # Once the publication task marks it published, the counts hold it and no correction is needed.
    assert finalise_scheduled(now=after)
    assert stored() == [(datetime.date(2024, 1, 1), 1, 1000000), (datetime.date(2024, 2, 1), 1, 2000000)]
    assert [(m.start, m.deals) for m in deal_volume(now=after)] == [
        (datetime.date(2024, 1, 1), 1),
        (datetime.date(2024, 2, 1), 1),
    ]


def test_a_brief_marked_published_but_dated_later_is_charted_only_from_its_date(db):
    later = timezone.now() + datetime.timedelta(days=1)
    one = brief_about(deal_with(amount="1000000", announced_on=datetime.date(2024, 1, 5)))
    Brief.objects.filter(pk=one.pk).update(published_at=later)  # a bulk update: still marked published
    assert stored() == [(datetime.date(2024, 1, 1), 1, 1000000)]
    assert charted() == scanned_months() == []
    assert [(m.start, m.deals, m.usd) for m in deal_volume(now=later)] == [(datetime.date(2024, 1, 1), 1, 1000000)]
    # A second brief about the deal that is due makes it public again: taken away once, added back by neither.
    brief_about(one.deal_link.deal, title="Due now")
    assert charted() == scanned_months() == [(datetime.date(2024, 1, 1), 1, 1000000)]
