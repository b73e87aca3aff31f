from rest_framework.pagination import CursorPagination, PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class SyncCursorPagination(CursorPagination):
    """For sync clients: oldest change first, stable under concurrent writes; pair with updated_since."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("updated_at", "id")
