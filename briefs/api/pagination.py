"""Pagination that refuses what it cannot honour: a malformed or out-of-range `page_size`, a `page`
that is not a page number, a `cursor` not made by this API are 400s naming the parameter (never
silently replaced by a default). A page number past the last page stays a 404."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from dealsite.site_url import absolute_url

from .. import keyset


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


def canonical_request_url(request):
    """The URL asked for, on SITE_URL: page links are canonical like every other link of the API."""
    return absolute_url(request.get_full_path())


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


class KeysetPagination(BasePagination):
    """Cursor pages (briefs.keyset) in the list's own order: `next` and `previous` links carry a
    cursor, and a page costs the same however deep it is. The first few pages may also be asked for
    by number (`page`, an OFFSET that stays cheap that near the start); deeper, follow the cursors.
    No total count: counting is the one cost that grows with the archive."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"
    page_query_param = "page"
    max_page_number = 10
    ordering = None  # fixed order (e.g. sync); else the queryset's (the ordering filter's or the model's)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self._size(request)
        if self.ordering:
            queryset = queryset.order_by(*self.ordering)
        cursor = request.query_params.get(self.cursor_query_param)
        number = self._number(request) if cursor is None else 1
        try:
            self.page = keyset.page(queryset, size=size, cursor=cursor, offset=(number - 1) * size)
        except keyset.InvalidCursor as invalid:
            raise ValidationError({self.cursor_query_param: [str(invalid)]}) from None
        if number > 1 and not self.page.items:
            raise NotFound(_("Invalid page."))
        self.number = number
        return self.page.items

    def _size(self, request):
        return _whole_number(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def _number(self, request):
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationError({self.page_query_param: [f"A whole number from 1 to {self.max_page_number}."]})
        if int(raw) > self.max_page_number:
            raise ValidationError(
                {
                    self.page_query_param: [
                        f"Pages are numbered up to {self.max_page_number}; beyond, follow `next` (a cursor)."
                    ]
                }
            )
        return int(raw)

    def _link(self, cursor):
        if cursor is None:
            return None
        url = remove_query_param(canonical_request_url(self.request), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_next_link(self):
        return self._link(self.page.next_cursor)

    def get_previous_link(self):
        if self.number > 1 and self.page.previous_cursor is not None and self.number == 2:
            url = remove_query_param(canonical_request_url(self.request), self.page_query_param)
            return remove_query_param(url, self.cursor_query_param)
        return self._link(self.page.previous_cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "example": "http://api.example.org/accounts/?cursor=eyJvIjoi..."},
                "previous": {**link, "example": None},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The cursor from a page's `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": f"A page number, 1 to {self.max_page_number} (deeper: follow `next`).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_number},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class SyncPagination(KeysetPagination):
    """For sync clients: oldest change first, stable under concurrent writes; pair with updated_since.
    Cursors only (no page numbers)."""

    page_size = 100
    max_page_size = 500
    max_page_number = 1
    ordering = ("updated_at", "id")
