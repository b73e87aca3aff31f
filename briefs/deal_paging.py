"""Pages of the deals table: the API's paging for its deals (page numbers, `page_size` up to the
API's maximum), kept in this one module so the table follows whatever paging the API uses.

Both read the same public deals in the same order (the shared DealFilter), so page N of the table
holds the deals of page N of the API at the same page size.
"""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

from .api.pagination import StandardPagination

TABLE_PAGE_SIZE = 50  # a table reads more rows at a glance than an API client needs by default
PARAMS = ("page", "page_size")


def page_size_of(params):
    """The page size asked for, within the API's limit; the table's own default otherwise."""
    raw = params.get(StandardPagination.page_size_query_param, "")
    if raw.isdigit() and int(raw) > 0:
        return min(int(raw), StandardPagination.max_page_size)
    return TABLE_PAGE_SIZE


def table_page(deals, params):
    """One page of `deals` (ordered); a page that does not exist is a 404, as in the API."""
    paginator = Paginator(deals, page_size_of(params))
    try:
        return paginator.page(params.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page of deals.") from None
