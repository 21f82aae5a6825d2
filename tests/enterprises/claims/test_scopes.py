"""Who reviews a claim: a city bureau only its city's, reviewers of the enterprise's city are notified, refused
claims, and the registration service answering with a pending claim."""

import pytest
from django.urls import reverse

from accounts.models import Role
from core.models import City
from enterprises.models import Enterprise, EnterpriseClaim, EnterpriseClaimCode, Notification
from enterprises.selectors.claims import enterprise_claim_list
from enterprises.services.claims import NEXT_STEP_CLAIM_PENDING
from enterprises.services.registration import enterprise_register
from tests.enterprises.claims.helpers import ATTACKER, OWNER, USCC, register, written

pytestmark = pytest.mark.django_db


# --- scopes ---------------------------------------------------------------------------------------------------------


def test_a_city_bureau_reviews_and_issues_codes_only_in_its_city(
    client, api_client, client_for, listed, yichang_listed, bureau, city_bureau
):
    # given a claim in 武汉 and one in 宜昌
    register(api_client, ATTACKER)
    register(api_client, {**ATTACKER, "uscc": yichang_listed.uscc, "name": yichang_listed.name, "city": "4205"})
    wuhan_claim = EnterpriseClaim.objects.get(enterprise=listed)
    yichang_claim = EnterpriseClaim.objects.get(enterprise=yichang_listed)
    before = written()
    # when the 武汉 bureau lists, decides and issues codes out of its city
    listed_api = client_for(city_bureau).get(reverse("enterprises-api:enterprise-claims"))
    decide_api = client_for(city_bureau).post(
        reverse("enterprises-api:enterprise-claim-review", args=[yichang_claim.pk]), {"decision": "approve"}
    )
    code_api = client_for(city_bureau).post(
        reverse("enterprises-api:enterprise-claim-codes"), {"uscc": yichang_listed.uscc}, format="json"
    )
    client.force_login(city_bureau)
    page = client.get(reverse("enterprises:review_queue"))
    decide_page = client.post(reverse("enterprises:claim_decide", args=[yichang_claim.pk]), {"decision": "approve"})
    code_page = client.post(reverse("enterprises:claim_code_issue"), {"uscc": yichang_listed.uscc}, follow=True)
    # then it sees and acts on its city's only; the other city's are 404 / refused, nothing written
    assert [row["pk"] for row in listed_api.json()["results"]] == [wuhan_claim.pk]
    assert [c.pk for c in page.context["claims"]] == [wuhan_claim.pk]
    assert (decide_api.status_code, decide_page.status_code) == (404, 404)
    assert code_api.status_code == 400
    assert code_api.json()["error"]["details"] == {
        "uscc": [
            "企业名录中没有该统一社会信用代码，或该企业不在您的管辖范围 / "
            "The enterprise registry holds no such code within your scope"
        ]
    }
    assert "企业名录中没有该统一社会信用代码，或该企业不在您的管辖范围。" in code_page.content.decode()
    assert written() == before
    assert EnterpriseClaimCode.objects.count() == 0
    # and the province bureau sees both
    assert [c.pk for c in enterprise_claim_list(user=bureau)] == [wuhan_claim.pk, yichang_claim.pk]
    # and the 武汉 bureau decides its own
    ok = client_for(city_bureau).post(
        reverse("enterprises-api:enterprise-claim-review", args=[wuhan_claim.pk]), {"decision": "approve"}
    )
    assert (ok.status_code, ok.json()["status"]) == (200, "approved")


def test_reviewers_of_the_enterprises_city_are_notified_of_a_claim(api_client, listed, bureau, city_bureau, make_user):
    # given the 宜昌 bureau, which does not review 武汉 enterprises
    yichang = make_user("bureau_yichang", Role.BUREAU_CITY, city=City.objects.get(code="4205"))
    # when a claim is filed
    register(api_client, ATTACKER)
    # then the province and the 武汉 bureau are told, not 宜昌
    assert sorted(Notification.objects.values_list("recipient__username", "title")) == [
        ("bureau", "企业认领待审核：武汉光谷新能源有限公司"),
        ("bureau_wuhan", "企业认领待审核：武汉光谷新能源有限公司"),
    ]
    assert Notification.objects.filter(recipient=yichang).count() == 0


def test_a_claim_of_a_rejected_registry_enterprise_or_under_another_name_is_refused(api_client, listed):
    # given
    before = written()
    # when the name differs from the registry's
    other_name = register(api_client, ATTACKER, name="冒名科技有限公司")
    Enterprise.objects.filter(pk=listed.pk).update(verification="rejected")
    rejected = register(api_client, ATTACKER)
    # then both refused, nothing written
    assert (other_name.status_code, other_name.json()["error"]["details"]) == (409, {"field": "name", "uscc": USCC})
    assert rejected.status_code == 409
    assert written() == before


def test_the_service_answers_a_pending_claim_through_the_registration(listed):
    # when
    registration = enterprise_register(
        password=OWNER["password"], name=OWNER["name"], uscc=USCC, city_code="4201", contact_name="李华"
    )
    # then
    assert (registration.verification, registration.is_pending_claim, registration.other_pending_claims) == (
        "pending",
        True,
        0,
    )
    assert (registration.enterprise, registration.user.username, registration.next_step) == (
        listed,
        f"{USCC}-1",
        NEXT_STEP_CLAIM_PENDING,
    )
