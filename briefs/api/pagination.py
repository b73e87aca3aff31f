from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from dealsite.site_url import absolute_url


def canonical_request_url(request):
    """The URL asked for, on SITE_URL: page links are canonical like every other link of the API."""
    return absolute_url(request.get_full_path())


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(
            canonical_request_url(self.request), self.page_query_param, self.page.next_page_number()
        )

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        url = canonical_request_url(self.request)
        number = self.page.previous_page_number()
        return (
            remove_query_param(url, self.page_query_param)
            if number == 1
            else replace_query_param(url, self.page_query_param, number)
        )


class SyncCursorPagination(CursorPagination):
    """For sync clients: oldest change first, stable under concurrent writes; pair with updated_since."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("updated_at", "id")

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        self.base_url = canonical_request_url(request)
        return page
