"""Hostile query strings on the API and the pages: an out-of-range year, a huge number or a NUL character is a
clear 400 or form error, never a 500."""

from datetime import date

import pytest
from django.urls import reverse

from patents.filters import APPLICATION_YEAR_MESSAGE
from patents.models import Patent

pytestmark = pytest.mark.django_db


# --- year and number query parameters ---------------------------------------------------------------------------


def test_application_year_message_names_the_range():
    assert APPLICATION_YEAR_MESSAGE == (
        "申请年份须为 1985–2100 之间的整数 / application year must be a whole number from 1985 to 2100"
    )


@pytest.mark.parametrize(
    "year", ["0", "10000", "-1", "1984", "2101", "1.5", "1e400", "二〇二二", "99999999999999999999"]
)
def test_api_patent_list_rejects_an_out_of_range_application_year(client_for, officer, pooled_patents, year):
    # given
    client = client_for(officer)
    client.raise_request_exception = False
    # when
    response = client.get(reverse("patents-api:patent-list"), {"application_year": year})
    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "输入有误 / Invalid input",
            "details": {"application_year": [APPLICATION_YEAR_MESSAGE]},
        }
    }


def test_api_patent_list_still_filters_by_a_valid_year(client_for, officer, pooled_patents):
    # given
    client = client_for(officer)
    Patent.objects.filter(pk=pooled_patents[0].pk).update(application_date=date(2022, 3, 1))
    # when
    response = client.get(reverse("patents-api:patent-list"), {"application_year": "2022"})
    # then
    assert response.status_code == 200
    assert [row["application_number"] for row in response.json()["results"]] == [pooled_patents[0].application_number]


@pytest.mark.parametrize("page", ["patents:list", "patents:inventory"])
@pytest.mark.parametrize("year", ["0", "10000", "-1"])
def test_patent_pages_show_a_form_error_for_an_out_of_range_year(client, officer, pooled_patents, page, year):
    # given
    client.force_login(officer)
    client.raise_request_exception = False
    # when
    response = client.get(reverse(page), {"application_year": year})
    # then
    assert response.status_code == 200
    assert response.context["filter"].errors == {"application_year": [APPLICATION_YEAR_MESSAGE]}
    assert APPLICATION_YEAR_MESSAGE in response.content.decode()


def test_followers_page_with_a_huge_patent_number_is_not_a_500(client, officer, pooled_patents):
    # given
    client.force_login(officer)
    client.raise_request_exception = False
    # when
    response = client.get(reverse("enterprises:followers"), {"patent": "9" * 30})
    # then: no id a 64-bit column holds, so not an id (a 400, as every malformed id in a query)
    assert response.status_code == 400


NUL_URLS = [
    "/matching/search/?q=%E9%94%82%00&city=%00&institution=%00&mode=%00&ipc_section=%00",
    "/patents/?q=a%00b",
    "/patents/inventory/?q=a%00b",
    "/dashboards/?city=%00",
    "/api/v1/search/?q=a%00b",
    "/api/v1/patents/?search=a%00b",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_character_in_a_query_string_is_a_400_not_a_500(client, officer, url):
    # given (on PostgreSQL a NUL reaching a filter raised ValueError: a 500 on the search page)
    client.force_login(officer)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "bad_request"
