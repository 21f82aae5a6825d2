"""Default API pagination: ?page=N&page_size=M (max 200), both read through common.numbers.parse_page."""

from django.core.paginator import Paginator
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from common.numbers import PAGE_MESSAGE, parse_page


class StandardPagination(PageNumberPagination):
    """DRF's page-number pagination, except that a page or page size that is not a number in ASCII digits (DRF read
    "٣" as 3, and ignored a bad page_size) is a 400 naming the parameter; a page past the last stays a 404 and a page
    size over max_page_size is cut to it, as DRF does."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request: Request, paginator: Paginator) -> int:
        raw = request.query_params.get(self.page_query_param, "")
        if raw == "":
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        return self._parsed(raw, self.page_query_param)

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        return min(self._parsed(raw, self.page_size_query_param), self.max_page_size)

    @staticmethod
    def _parsed(raw: str, name: str) -> int:
        number = parse_page(raw)
        if number is None:
            raise ValidationError({name: [PAGE_MESSAGE]})
        return number
