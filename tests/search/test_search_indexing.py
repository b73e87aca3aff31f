"""A plain search that finds briefs is indexable under one canonical address (on SITE_URL); its
filtered, sorted, paged and empty variants say noindex."""

import pytest

pytestmark = pytest.mark.django_db

NOINDEX = '<meta name="robots" content="noindex">'


def test_a_plain_query_with_results_is_indexable_under_its_canonical_address(client, demo_brief):
    html = client.get("/search/", {"q": "amazon", "utm_source": "x"}).content.decode()
    assert NOINDEX not in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/search/?q=amazon">' in html


@pytest.mark.parametrize(
    "query",
    [
        {"q": "amazon", "sort": "newest"},
        {"q": "amazon", "year": "2023"},
        {"q": "zzzznothing"},
        {},
        {"q": "amazon", "page": "2"},
    ],
)
def test_variants_and_empty_searches_are_not_indexed(client, demo_brief, query):
    html = client.get("/search/", query).content.decode()
    assert NOINDEX in html and 'rel="canonical"' not in html


def test_a_rebuild_leaves_exact_planner_statistics(db):
    """SQLite's sampled ANALYZE misjudges the partial index on the live statuses (it counted it larger
    than the table), after which every query on the live statuses read the whole table. PostgreSQL
    analyses the entries it loaded without triggers."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from briefs.models import Brief
    from search import indexer

    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Brief.objects.bulk_create(
        Brief(title=f"Brief {n}", slug=f"brief-{n}", status="published" if n % 4 else "draft", published_at=hour_ago)
        for n in range(3000)
    )
    assert indexer.rebuild() == 2250
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'brief_live_latest_idx'")
        else:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'briefs_searchentry'")
        rows = int(str(cursor.fetchone()[0]).split()[0])
    assert rows == 2250  # the live briefs, every one indexed
