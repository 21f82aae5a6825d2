"""API shell: /api/v1/ authenticated by default, one error format, token auth, schema, scoping."""

import pytest
from django.urls import reverse

from patents.models import InventoryStatus, Patent

pytestmark = pytest.mark.django_db


def _patent(institution, number: str, status: str = InventoryStatus.POOLED) -> Patent:
    return Patent.objects.create(
        application_number=number,
        title=f"专利{number}",
        patent_type="invention",
        institution=institution,
        inventory_status=status,
    )


def test_anonymous_gets_401_in_the_common_error_format(api_client):
    response = api_client.get(reverse("patents-api:patent-list"))
    assert response.status_code in (401, 403)
    assert response.json() == {"error": {"code": "not_authenticated", "message": "身份认证信息未提供。", "details": {}}}


def test_token_authentication(api_client, officer):
    # given
    token = api_client.post(reverse("api-token"), {"username": "officer_a", "password": "Test-pass-2026"}).json()[
        "token"
    ]
    # when
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get(reverse("api-me"))
    # then
    assert response.status_code == 200
    assert response.json() == {
        "pk": officer.pk,
        "username": "officer_a",
        "display_name": "officer_a",
        "role": "officer",
        "institution": "华中科技大学",
        "enterprise": None,
        "city": None,
    }


def test_patent_list_is_scoped_by_role(client_for, officer, enterprise_member, bureau, institution, other_institution):
    # given
    own_pooled = _patent(institution, "201910209152.5")
    own_draft = _patent(institution, "202011355629.X", InventoryStatus.INVENTORIED)
    other = _patent(other_institution, "201280017678.X")

    def numbers(user):
        body = client_for(user).get(reverse("patents-api:patent-list")).json()
        return sorted(row["application_number"] for row in body["results"])

    # then
    assert numbers(officer) == sorted([own_pooled.application_number, own_draft.application_number])
    assert numbers(enterprise_member) == sorted([own_pooled.application_number, other.application_number])
    assert numbers(bureau) == sorted(
        [own_pooled.application_number, own_draft.application_number, other.application_number]
    )


def test_another_institutions_patent_is_404(client_for, officer, other_institution):
    patent = _patent(other_institution, "201280017678.X")
    response = client_for(officer).get(reverse("patents-api:patent-detail", args=[patent.pk]))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_pagination_and_filters(client_for, bureau, institution):
    # given
    for i in range(25):
        _patent(institution, f"2019102091{i:02d}.0", InventoryStatus.POOLED if i % 2 else InventoryStatus.INVENTORIED)
    client = client_for(bureau)
    # when
    page = client.get(reverse("patents-api:patent-list"), {"page_size": 10}).json()
    pooled = client.get(reverse("patents-api:patent-list"), {"inventory_status": "pooled"}).json()
    # then
    assert page["count"] == 25
    assert len(page["results"]) == 10
    assert pooled["count"] == 12


def test_schema_is_served(client_for, bureau):
    response = client_for(bureau).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    assert reverse("patents-api:patent-list") in response.json()["paths"]


def test_cities_of_hubei(client_for, bureau):
    rows = client_for(bureau).get(reverse("api-cities")).json()
    assert [r["name"] for r in rows][:3] == ["武汉市", "黄石市", "十堰市"]
    assert len(rows) == 14
