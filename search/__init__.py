"""Full-text search of published briefs: one interface, two engines (SQLite FTS5, PostgreSQL).

The function the site and the JSON API call::

    from search import search

    results = search(
        query="",               # the reader's text, any string (see search.query for the language)
        *,
        deal_type=None,         # a DealType value, e.g. "acquisition"
        party=None,             # a party slug, e.g. "anthropic" (linked by the brief or in its deals)
        year=None,              # the year a deal was announced (or rumoured), e.g. 2023
        currency=None,          # ISO 4217, e.g. "USD": a deal's currency
        status=None,            # a DealStatus value, e.g. "completed"
        series=None,            # a FundingSeries value, e.g. "series_b"
        lead=None,              # the slug of a deal's lead investor
        sort="relevance",       # "relevance" | "newest" | "amount" | "amount_reported"
        page=1, per_page=20,    # per_page at most 50; pages within the window (below)
        before=None,            # a window of older matches: SearchResults.older of the window before
        now=None,               # visibility clock (default: timezone.now())
    ) -> SearchResults

It never raises on reader input; bad filter values are ignored. SearchResults has ``hits`` (Hit:
``brief`` – a Brief with title, slug, dek; ``title_html`` and ``snippet_html`` – escaped, with
<mark> around matches; ``deal_line`` – [[name, slug, role, party id], …] of its deals' participants;
``acting`` / ``receiving`` – [(name, slug)]; ``deals`` – each deal's kind, size, status and date
as the site's lists word them; ``score``), ``total`` (every match, counted up to COUNT_LIMIT) and
``total_is_capped`` (True means "more than total"), ``ranked`` (the matches of this window: ranking,
pages and facets cover the newest CANDIDATE_CAP matches, older than ``before`` if given) and
``older`` (``before`` for the next window, None when this one holds the oldest match), ``facets``
({"deal_type"|"status"|"series"|"lead"|"party"|"year"|"currency": [FacetValue(value, label,
count, selected)]}), ``suggestion`` (a corrected query, or None), ``messages`` (for the reader),
``page``, ``per_page``, ``num_pages``, ``sort``, ``filters``.

Deal facts come from the deals a brief is about (search.documents). Amounts sort in US dollars (each
deal's official headline at the ECB rate of its date), so deals in different currencies sort
together; "amount" puts undisclosed deals last, "amount_reported" places them by the largest amount
reported of them.

Only briefs that ``Brief.objects.published()`` shows are found: the index holds live and scheduled
briefs (see indexer.py), every search applies the publication clock, and the shown page is loaded
through ``Brief.objects.published()`` itself.

Cost: at most four SQL queries (candidates with scores and facet data; the count, only when there
are more matches than a window; the page's highlights on SQLite; the page's briefs through
published()), two when nothing matches (the second looks for "did you mean"). Ranking and the
facets cover one window of CANDIDATE_CAP matches; a window of older matches costs the same.
"""

__all__ = ["CANDIDATE_CAP", "COUNT_LIMIT", "FacetValue", "Hit", "SearchResults", "search"]


def __getattr__(name):
    # This package is also the Django app: importing it must not import models before the app
    # registry is ready, so the public names are loaded from the service on first use.
    if name in __all__:
        from . import service

        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
