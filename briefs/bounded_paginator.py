"""Page numbers whose cost follows the page asked for, not the size of the archive.

A numbered list shows "Page N of M" only while M is cheap to know: rows are counted no further than
a few pages past the one asked for (a LIMIT under the COUNT), so the first pages of a list of a
million rows count a few hundred. Past that window the page says only "Page N", with its next and
previous links; the total is known again near the end of the list.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGES_AHEAD = 5


class BoundedCountPaginator(Paginator):
    """A Paginator over a queryset whose count stops a few pages past the page asked for.
    ``more`` is True when rows go on beyond what was counted (``num_pages`` is then a lower bound)."""

    more = False

    def __init__(self, object_list, per_page, pages_ahead=PAGES_AHEAD, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.pages_ahead = pages_ahead
        self._limit = None

    def get_page(self, number):
        try:
            wanted = max(1, int(number))
        except (TypeError, ValueError):
            wanted = 1
        self._limit = (wanted + self.pages_ahead) * self.per_page + 1
        return super().get_page(wanted)

    @cached_property
    def count(self):
        if self._limit is None:
            return super().count
        counted = self.object_list.order_by()[: self._limit].count()
        self.more = counted == self._limit
        return counted
