"""Ids that are not plain ASCII digits, view by view: another spelling of an id is a 404 or a 400 naming the
parameter and changes nothing; the ASCII id still works."""

import pytest
from django.contrib.messages import get_messages
from django.forms.models import model_to_dict

from common.numbers import ID_MESSAGE, PAGE_MESSAGE
from enterprises.forms import DockingCreateForm
from enterprises.models import DockingRequest, PatentPush, TechNeed
from patents.models import Patent
from tests.security.ids.helpers import VICTIM, role_client

pytestmark = pytest.mark.django_db


# --- view by view ---------------------------------------------------------------------------------------------------


NOT_FOUND = {"error": {"code": "not_found", "message": "未找到。", "details": {}}}
INVALID_CHOICE = "选择一个有效的选项： 该选择不在可用的选项中。"  # Django's ModelChoiceField, in Chinese


def _invalid(**details: list[str]) -> dict:
    return {"error": {"code": "invalid", "message": "输入有误 / Invalid input", "details": details}}


@pytest.mark.parametrize("action", ["close", "reopen"])
@pytest.mark.parametrize("pk", ["%C2%B2", "%D9%A3%D9%A3%D9%A5", "%EF%BC%93%EF%BC%93%EF%BC%95", "99999999999999999999"])
def test_a_need_named_by_another_spelling_of_its_id_is_a_404_and_stays_as_it_was(victims, action, pk):
    # given: need 335, open (and one closed, for reopen)
    client = role_client("enterprise_member", victims)
    if action == "reopen":
        TechNeed.objects.filter(pk=VICTIM).update(status=TechNeed.Status.CLOSED)
    before = model_to_dict(TechNeed.objects.get(pk=VICTIM))
    # when
    response = client.post(f"/api/v1/needs/{pk}/{action}/")
    # then
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert model_to_dict(TechNeed.objects.get(pk=VICTIM)) == before


def test_the_ascii_id_still_closes_the_need(victims):
    # given
    client = role_client("enterprise_member", victims)
    # when
    response = client.post(f"/api/v1/needs/{VICTIM}/close/")
    # then
    assert response.status_code == 200
    assert TechNeed.objects.get(pk=VICTIM).status == TechNeed.Status.CLOSED


@pytest.mark.parametrize("pk", ["%C2%B2", "%D9%A3%D9%A3%D9%A5"])
def test_a_docking_transition_on_another_spelling_of_its_id_is_a_404(victims, pk):
    # given
    client = role_client("officer", victims)
    # when
    response = client.post(f"/api/v1/docking/{pk}/transition/", {"action": "accept"})
    # then
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert DockingRequest.objects.get(pk=VICTIM).status == "submitted"


@pytest.mark.parametrize("param", ["institution", "page"])
@pytest.mark.parametrize("value", ["²", "٣٣٥", "99999999999999999999", "-1"])
def test_the_search_page_refuses_an_institution_or_page_that_is_not_a_number(victims, param, value):
    # given
    client = role_client("bureau", victims)
    # when
    response = client.get("/matching/search/", {"q": "锂", param: value})
    # then
    assert response.status_code == 400


@pytest.mark.parametrize(("param", "value"), [("institution", "٣٣٥"), ("page", "٣"), ("institution", "1" * 20)])
def test_the_search_api_refuses_an_institution_or_page_that_is_not_a_number(victims, param, value):
    # given
    client = role_client("bureau", victims)
    # when
    response = client.get("/api/v1/search/", {"q": "锂", param: value})
    # then
    assert response.status_code == 400
    assert response.json() == _invalid(**{param: [ID_MESSAGE if param == "institution" else PAGE_MESSAGE]})


@pytest.mark.parametrize("value", ["²", "٣٣٥", "99999999999999999999"])
def test_the_push_form_refuses_an_enterprise_that_is_not_an_id_and_pushes_nothing(victims, value):
    # given
    client = role_client("officer", victims)
    # when
    response = client.post(f"/matching/patents/{VICTIM}/push/", {"enterprise": [str(VICTIM), value]})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/matching/patents/{VICTIM}/enterprises/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["所选企业有误，请重新选择。"]
    assert PatentPush.objects.count() == 0


@pytest.mark.parametrize("param", ["patent", "need"])
@pytest.mark.parametrize("value", ["²", "٣٣٥", "99999999999999999999"])
def test_the_docking_form_refuses_a_patent_or_need_that_is_not_an_id(victims, param, value):
    # given
    client = role_client("enterprise_member", victims)
    # when
    opened = client.get("/enterprises/docking/new/", {param: value})
    posted = client.post("/enterprises/docking/new/", {param: value, "message": "希望合作"})
    # then
    assert (opened.status_code, posted.status_code) == (400, 400)
    assert DockingRequest.objects.count() == 1  # the victim only


def test_the_docking_form_refuses_an_institution_that_is_not_an_id(victims):
    # given
    needs = TechNeed.objects.filter(pk=VICTIM)
    # when
    form = DockingCreateForm({"need": str(VICTIM), "institution": "٣٣٥", "message": "希望合作"}, needs=needs)
    # then
    assert form.is_valid() is False
    assert form.errors == {"institution": [INVALID_CHOICE]}


@pytest.mark.parametrize(("param", "value"), [("page", "٣"), ("page", "²"), ("page_size", "²"), ("page_size", "0")])
def test_api_lists_refuse_a_page_or_page_size_that_is_not_a_number(victims, param, value):
    # given
    client = role_client("bureau", victims)
    # when
    response = client.get("/api/v1/patents/", {param: value})
    # then
    assert response.status_code == 400
    assert response.json() == _invalid(**{param: [PAGE_MESSAGE]})


def test_api_lists_still_page_as_before(victims):
    # given
    client = role_client("bureau", victims)
    # when
    capped = client.get("/api/v1/patents/", {"page_size": "1000"})
    last = client.get("/api/v1/patents/", {"page": "last"})
    beyond = client.get("/api/v1/patents/", {"page": "2"})
    # then
    assert (capped.status_code, capped.json()["count"], len(capped.json()["results"])) == (200, 1, 1)
    assert (last.status_code, [p["pk"] for p in last.json()["results"]]) == (200, [VICTIM])
    assert beyond.status_code == 404


@pytest.mark.parametrize("value", ["٣٣٥", "３３５", "99999999999999999999"])
def test_filters_on_a_foreign_key_refuse_another_spelling_of_its_id(victims, value):
    # given
    member, bureau = role_client("enterprise_member", victims), role_client("bureau", victims)
    # when
    follows = member.get("/api/v1/follows/", {"patent": value})
    patents = bureau.get("/api/v1/patents/", {"institution": value})
    page = bureau.get("/patents/", {"institution": value})
    # then
    choice = [INVALID_CHOICE]
    assert (follows.status_code, follows.json()) == (400, _invalid(patent=choice))
    assert (patents.status_code, patents.json()) == (400, _invalid(institution=choice))
    assert (page.status_code, page.context["filter"].errors) == (200, {"institution": choice})


def test_filters_on_a_foreign_key_still_filter_by_the_ascii_id(victims):
    # given
    member = role_client("enterprise_member", victims)
    # when
    response = member.get("/api/v1/follows/", {"patent": str(VICTIM)})
    # then
    assert (response.status_code, [f["pk"] for f in response.json()["results"]]) == (200, [VICTIM])


@pytest.mark.parametrize("value", ["٣٣٥", "335.0", " 335"])
def test_api_bodies_refuse_an_id_that_is_not_ascii_digits(victims, value):
    # given
    officer, member = role_client("officer", victims), role_client("enterprise_member", victims)
    # when
    pooled = officer.post("/api/v1/patents/unpool/", {"pks": [value], "reason": "x"})
    docking = member.post("/api/v1/docking/", {"need": value, "message": "希望合作"})
    # then
    assert (pooled.status_code, pooled.json()) == (400, _invalid(pks={"0": [ID_MESSAGE]}))
    assert (docking.status_code, docking.json()) == (400, _invalid(need=[ID_MESSAGE]))
    assert Patent.objects.get(pk=VICTIM).inventory_status == "pooled"
    assert DockingRequest.objects.count() == 1


def test_the_bulk_form_refuses_a_patent_that_is_not_an_id(victims):
    # given
    client = role_client("officer", victims)
    # when
    response = client.post("/patents/inventory/bulk/", {"action": "unpool", "patents": ["٣٣٥"], "reason": "x"})
    # then
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "所选专利不存在或不属于本单位 / a selected patent is not one of yours"
    ]
    assert Patent.objects.get(pk=VICTIM).inventory_status == "pooled"
