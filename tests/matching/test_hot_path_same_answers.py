"""The hot paths made cheaper for issue 23 answer exactly as before: the recommendation list's one-query pages
(core.api.pagination.CountedPagePagination) against DRF's count-then-page, and the search cache's key of the visible
set (matching.reading.search._visible_set_key)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.api.pagination import StandardPagination
from matching.api.views import RecommendationListApi
from matching.reading.search import _visible_set_key
from patents.selectors import patents_pooled_visible_to

pytestmark = pytest.mark.django_db


def _answers(client, params_list: list[dict]) -> list[tuple[int, object]]:
    url = reverse("matching-api:recommendations")
    return [(r.status_code, r.json()) for r in (client.get(url, params) for params in params_list)]


def test_recommendation_pages_are_the_same_as_with_a_count_query(
    client_for, make_user, matching_enterprises, run, pooled_patents, monkeypatch
):
    # given: an enterprise with recommendations, and every kind of page: first, middle, last, "last", past the last,
    # invalid, a filter that leaves few or none
    member = make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    client = client_for(member)
    params_list = [
        {},
        {"page_size": 3},
        {"page_size": 3, "page": 2},
        {"page_size": 7, "page": "last"},
        {"page_size": 100},
        {"page": 99},
        {"page": 0},
        {"page": "x"},
        {"mode": "licence", "page_size": 1},
        {"page_size": 1, "page": 2},
        {"city": "4299"},
        {"city": "4299", "page": 2},
    ]
    # when: the list as it is, and with DRF's pagination (a COUNT, then the page)
    counted = _answers(client, params_list)
    monkeypatch.setattr(RecommendationListApi, "pagination_class", StandardPagination)
    before = _answers(client, params_list)
    # then: the same statuses and bodies, and the cases above are not trivial
    assert counted == before
    statuses = [status for status, _ in counted]
    assert statuses == [200, 200, 200, 200, 200, 404, 400, 400, 200, 200, 200, 404]
    assert counted[1][1]["count"] == counted[4][1]["count"] == len(counted[4][1]["results"]) > 3
    assert len(counted[2][1]["results"]) == counted[1][1]["count"] - 3
    assert counted[9][1]["previous"]
    assert counted[9][1]["next"]
    assert len(counted[9][1]["results"]) == 1
    assert counted[10][1] == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_recommendation_page_takes_one_query_fewer(client_for, make_user, matching_enterprises, run, monkeypatch):
    # given
    member = make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    client = client_for(member)
    url = reverse("matching-api:recommendations")
    client.get(url)  # the current run read and cached
    # when
    with CaptureQueriesContext(connection) as counted:
        assert client.get(url).status_code == 200
    monkeypatch.setattr(RecommendationListApi, "pagination_class", StandardPagination)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    # then
    assert len(counted) == len(before) - 1
    assert not any("COUNT(*) AS" in q["sql"] for q in counted.captured_queries)


def test_the_visible_set_key_follows_visibility_and_filters(officer, other_officer, enterprise_member, bureau):
    # given: the bases a search reads through (patent_search: the caller's pool, then its filters)
    def key(user, **filters) -> str:
        return _visible_set_key(patents_pooled_visible_to(user=user).filter(**filters))

    # when / then: the same caller and filters, the same key; another scope or filter, another key
    assert key(officer) == key(officer)
    assert key(officer, patent_type="invention") == key(officer, patent_type="invention")
    keys = {
        key(officer),
        key(other_officer),
        key(enterprise_member),
        key(bureau),
        key(officer, patent_type="invention"),
        key(officer, patent_type="utility"),
        key(officer, institution__city_id="4201"),
        key(officer, transfer_modes__icontains='"licence"'),
    }
    assert len(keys) == 8
    # a value that reads like SQL is a quoted parameter, not part of the statement
    assert "'x OR 1=1'" in key(officer, patent_type="x OR 1=1")
    assert key(officer, patent_type="x OR 1=1") != key(officer, patent_type="x")
