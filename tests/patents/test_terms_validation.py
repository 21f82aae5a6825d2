"""One validation path for pooling terms: the page and PUT /api/v1/patents/{pk}/terms/ refuse the same values with
the same messages, and write nothing."""

import pytest
from django.urls import reverse

from patents.models import Patent

pytestmark = pytest.mark.django_db

VALID = {"transfer_modes": ["licence"], "price_min": "1000", "price_max": "2000"}
NEGATIVE = "金额不能为负数 / an amount cannot be negative"
OPEN_ROYALTY = {"transfer_modes": ["open_licence"], "open_licence_payment": "royalty", "open_licence_royalty_rate": "3"}

INVALID = [
    ({**VALID, "price_min": "-1"}, {"price_min": [NEGATIVE]}),
    ({**VALID, "price_max": "-0.01"}, {"price_max": [NEGATIVE]}),
    ({**VALID, "price_min": "3000"}, {"price_max": ["价格上限不能低于下限 / the upper price is below the lower one"]}),
    ({**OPEN_ROYALTY, "open_licence_royalty_rate": "-3"}, {"open_licence_royalty_rate": [NEGATIVE]}),
    (
        {"transfer_modes": ["open_licence"], "open_licence_payment": "lump_sum", "open_licence_lump_sum": "-5"},
        {"open_licence_lump_sum": [NEGATIVE]},
    ),
    (
        {**OPEN_ROYALTY, "open_licence_payment": "entry_royalty", "open_licence_entry_fee": "-1"},
        {"open_licence_entry_fee": [NEGATIVE]},
    ),
    (
        {**OPEN_ROYALTY, "open_licence_years": "0"},
        {"open_licence_years": ["许可期限至少 1 年 / the licence runs at least 1 year"]},
    ),
    (
        {**OPEN_ROYALTY, "open_licence_years": "51"},
        {"open_licence_years": ["许可期限最长 50 年 / the licence runs at most 50 years"]},
    ),
    ({**VALID, "transfer_modes": []}, None),
    ({**VALID, "transfer_modes": ["bogus"]}, None),
    ({**VALID, "price_min": "1.234"}, None),
    ({**VALID, "price_max": "1000000000000000"}, None),
    ({**VALID, "contact": "张" * 101}, None),
    ({**OPEN_ROYALTY, "open_licence_royalty_rate": "25"}, None),
]


@pytest.fixture
def patent(officer) -> Patent:
    return Patent.objects.create(
        application_number="201910209152.5", title="一种模具", institution=officer.institution, price_min=500
    )


@pytest.mark.parametrize(("body", "expected"), INVALID)
def test_the_api_refuses_what_the_page_refuses_with_the_same_messages(
    client, client_for, officer, patent, body, expected
):
    # given an officer's patent with a lower price of 500
    client.force_login(officer)

    # when the same terms are sent through the page and the API
    page = client.post(reverse("patents:manage_terms", args=[patent.pk]), body)
    api = client_for(officer).put(reverse("patents-api:patent-terms", args=[patent.pk]), body, format="json")

    # then both refuse them with the same field messages, and nothing was written
    page_errors = {field: list(messages) for field, messages in page.context["terms_form"].errors.items()}
    assert (page.status_code, api.status_code) == (400, 400)
    assert api.json()["error"]["details"] == page_errors
    if expected is not None:
        assert page_errors == expected
    assert page_errors != {}
    patent.refresh_from_db()
    assert (patent.transfer_modes, patent.price_min, patent.price_max) == ([], 500, None)


def test_the_api_saves_valid_terms(client_for, officer, patent):
    # when valid terms are sent with null for an empty amount
    response = client_for(officer).put(
        reverse("patents-api:patent-terms", args=[patent.pk]), {**VALID, "price_max": None}, format="json"
    )

    # then they are saved
    assert response.status_code == 200
    patent.refresh_from_db()
    assert (patent.transfer_modes, patent.price_min, patent.price_max) == (["licence"], 1000, None)
