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
