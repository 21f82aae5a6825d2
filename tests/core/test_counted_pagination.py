"""CountedPageQueryPaginator: the same pages, counts and errors as Django's Paginator, in one query a page."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api.pagination import CountedPageQueryPaginator
from core.models import City

pytestmark = pytest.mark.django_db


def _outcome(paginator: Paginator, number: object) -> tuple:
    try:
        page = paginator.page(number)
    except (EmptyPage, PageNotAnInteger) as exc:
        return (type(exc).__name__, str(exc))
    return ([city.code for city in page], page.number, paginator.count, paginator.num_pages, page.has_next())


@pytest.mark.parametrize("per_page", [1, 3, 5, 100])
def test_every_page_and_error_is_the_same_as_djangos(per_page):
    # given: the seeded cities (more than one page for the smaller page sizes)
    cities = City.objects.order_by("code")
    assert cities.count() > 5
    numbers = [1, 2, 3, 4, 5, 6, 17, 18, 19, 100, 0, -1, "2", "x", 1.5, 2.0, None]
    # when / then: each page number answers exactly as Django's Paginator does, each on a fresh paginator
    for number in numbers:
        expected = _outcome(Paginator(cities, per_page), number)
        assert _outcome(CountedPageQueryPaginator(cities, per_page), number) == expected, number


def test_an_empty_list_has_an_empty_first_page_and_no_second():
    # given
    none = City.objects.filter(code="0000").order_by("code")
    # when / then
    for number in (1, 2):
        assert _outcome(CountedPageQueryPaginator(none, 20), number) == _outcome(Paginator(none, 20), number)
    assert _outcome(CountedPageQueryPaginator(none, 20), 1) == ([], 1, 0, 1, False)


def test_a_page_and_its_count_take_one_query():
    # given
    cities = City.objects.order_by("code")
    paginator = CountedPageQueryPaginator(cities, 3)
    # when
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(2)
        count, pages = paginator.count, paginator.num_pages
    # then
    assert len(queries) == 1
    assert [c.code for c in page] == list(cities.values_list("code", flat=True)[3:6])
    assert (count, pages) == (cities.count(), -(-cities.count() // 3))
