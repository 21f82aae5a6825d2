"""Default API pagination: ?page=N&page_size=M (max 200), both read through common.numbers.parse_page."""

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window
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


class CountedPageQueryPaginator(Paginator):
    """Django's Paginator, except that a queryset's page and its total come from ONE query: each row of the page
    carries COUNT(*) OVER () (the whole list's count, computed before LIMIT/OFFSET), instead of a COUNT query and then
    the page's query. Same pages, same counts, same errors: an empty page 1 means an empty list (count 0); only an
    empty later page asks for the count (to tell a page past the last, EmptyPage, as Django does). A queryset may carry
    `page_reader(bottom, size, total_name)` that reads the same rows another way (a statement compiled once:
    matching.reading.recommendations)."""

    TOTAL = "counted_page_total"

    def page(self, number: Any) -> Page:
        if not isinstance(self.object_list, QuerySet) or self.orphans or "count" in self.__dict__:
            return super().page(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        reader = getattr(self.object_list, "page_reader", None)  # the same page, by a query compiled once
        if reader is not None:
            rows = reader(bottom, self.per_page, self.TOTAL)
        else:
            rows = list(self.object_list.annotate(**{self.TOTAL: Window(Count("*"))})[bottom : bottom + self.per_page])
        if rows:
            self.__dict__["count"] = getattr(rows[0], self.TOTAL)  # the cached_property, as a COUNT would have set it
        elif number == 1 and self.allow_empty_first_page:
            self.__dict__["count"] = 0
        else:  # past the last page (or the list shrank): the count decides, as in Django's page()
            return super().page(number)
        return Page(rows, number, self)


class CountedPagePagination(StandardPagination):
    """StandardPagination reading each page and the total in one query (CountedPageQueryPaginator): for the hottest
    lists (an enterprise's recommendations)."""

    django_paginator_class = CountedPageQueryPaginator
