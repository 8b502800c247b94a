"""Page-number pagination with a bounded, validated page size and a `Link` header."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

MAX_PAGE_SIZE = 100


def _whole_number(raw):
    """The positive whole number in `raw`, or None: '07' is 7, but '7.0', '-1' and 'x' are not."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 9:
        number = int(raw)
        return number if number > 0 else None
    return None


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (1–100, default 20).

    DRF quietly falls back to the default for a page size it cannot use; a program asking for
    `page_size=500` should learn that it gets at most 100, so bad values are a 400 instead.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _whole_number(raw)
        if size is None or size > self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Choose a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and _whole_number(raw) is None:
            raise ValidationError(
                {self.page_query_param: ["Choose a page number: a whole number from 1."]}
            )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        """The page, with RFC 8288 links to its neighbours in `Link` (as GitHub sends them)
        besides `next` and `previous` in the body."""
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{relation}"'
            for url, relation in (
                (self.get_next_link(), "next"),
                (self.get_previous_link(), "prev"),
            )
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last one is a 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {MAX_PAGE_SIZE} "
                f"(default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
