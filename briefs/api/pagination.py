"""Pagination that refuses what it cannot honour: a malformed or out-of-range `page_size`, a `page`
that is not a page number, a `cursor` not made by this API are 400s naming the parameter (never
silently replaced by a default). A page number past the last page stays a 404."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination


def _whole_number(request, name, maximum):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationError({name: [f"A whole number from 1 to {maximum}."]})
    return int(raw)


def _documented_bounds(parameters, name, maximum):
    for parameter in parameters:
        if parameter["name"] == name:
            parameter["schema"] = {**parameter["schema"], "minimum": 1, "maximum": maximum}
    return parameters


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    max_page = 1_000_000

    def get_page_size(self, request):
        return _whole_number(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return super().get_page_number(request, paginator)
        return _whole_number(request, self.page_query_param, self.max_page) or 1

    def get_schema_operation_parameters(self, view):
        parameters = _documented_bounds(super().get_schema_operation_parameters(view), "page", self.max_page)
        return _documented_bounds(parameters, self.page_size_query_param, self.max_page_size)


class SyncCursorPagination(CursorPagination):
    """For sync clients: oldest change first, stable under concurrent writes; pair with updated_since."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("updated_at", "id")

    def get_page_size(self, request):
        return _whole_number(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: ["Not a cursor of this API: follow `next`."]}) from None

    def get_schema_operation_parameters(self, view):
        return _documented_bounds(
            super().get_schema_operation_parameters(view), self.page_size_query_param, self.max_page_size
        )
