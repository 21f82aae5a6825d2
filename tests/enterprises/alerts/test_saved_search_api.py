"""`/api/v1/saved-searches/`: list, create, delete for enterprise members, scoped to their enterprise; bad input is
a 400 in the API's error format, field by field, Chinese then English."""

import pytest
from django.conf import settings
from django.urls import reverse

from enterprises.models import SavedSearch
from enterprises.services.saved_searches import saved_search_create

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises-api:saved-search-list")


def _detail(pk: int) -> str:
    return reverse("enterprises-api:saved-search-detail", args=[pk])


def test_a_member_creates_lists_and_deletes_its_enterprises_saved_searches(client_for, enterprise_member):
    # given
    client = client_for(enterprise_member)
    # when
    created = client.post(
        LIST, {"name": "无人机", "text": "无人机 巡检", "filters": {"patent_type": "invention"}}, format="json"
    )
    # then
    assert created.status_code == 201
    body = created.json()
    assert {k: body[k] for k in ("name", "text", "filters", "need", "active", "alerts_sent")} == {
        "name": "无人机",
        "text": "无人机 巡检",
        "filters": {"patent_type": "invention"},
        "need": None,
        "active": True,
        "alerts_sent": 0,
    }
    assert [row["id"] for row in client.get(LIST).json()["results"]] == [body["id"]]
    # when
    deleted = client.delete(_detail(body["id"]))
    # then
    assert deleted.status_code == 204
    assert SavedSearch.objects.count() == 0


def test_a_member_never_sees_nor_deletes_another_enterprises_saved_searches(
    client_for, enterprise_member, other_member
):
    # given
    theirs = saved_search_create(user=other_member, name="", text="电机", filters={})
    mine = saved_search_create(user=enterprise_member, name="", text="电池", filters={})
    client = client_for(enterprise_member)
    # when
    listed = client.get(LIST).json()
    shown = client.get(_detail(theirs.pk))
    deleted = client.delete(_detail(theirs.pk))
    # then
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert shown.status_code == 404
    assert deleted.status_code == 404
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


def test_bad_input_is_a_400_with_field_messages_and_nothing_is_saved(client_for, enterprise_member):
    # given
    client = client_for(enterprise_member)
    # when
    response = client.post(LIST, {"text": " ", "filters": {"patent_type": "poem", "ipc_section": "Z"}}, format="json")
    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "输入有误 / Invalid input",
            "details": {
                "text": ["请填写检索词 / enter the words to search for"],
                "filters.patent_type": ["未知的专利类型 / unknown patent type"],
                "filters.ipc_section": ["IPC 部应为 A–H / an IPC section is one of A–H"],
            },
        }
    }
    assert SavedSearch.objects.count() == 0


def test_filters_that_are_not_an_object_and_a_bad_need_id_are_refused(client_for, enterprise_member):
    client = client_for(enterprise_member)
    not_object = client.post(LIST, {"text": "电池", "filters": ["city"]}, format="json")
    bad_need = client.post(LIST, {"need": "abc"}, format="json")
    assert not_object.status_code == 400
    assert not_object.json()["error"]["details"] == {"filters": ["筛选条件格式有误 / filters must be an object"]}
    assert bad_need.status_code == 400
    assert list(bad_need.json()["error"]["details"]) == ["need"]
    assert SavedSearch.objects.count() == 0


def test_english_readers_get_the_english_first(client_for, enterprise_member):
    client = client_for(enterprise_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(LIST, {"text": ""}, format="json")
    assert response.json()["error"]["details"] == {"text": ["Enter the words to search for / 请填写检索词"]}


def test_a_need_is_subscribed_through_the_api_only_for_the_own_enterprise(
    client_for, enterprise_member, other_member, need
):
    # when
    foreign = client_for(other_member).post(LIST, {"need": need.pk}, format="json")
    own = client_for(enterprise_member).post(LIST, {"need": need.pk}, format="json")
    # then
    assert foreign.status_code == 404
    assert own.status_code == 201
    assert (own.json()["need"], own.json()["name"]) == (need.pk, need.title)
    assert SavedSearch.objects.count() == 1


@pytest.mark.parametrize("role", ["officer", "bureau", "platform_admin"])
def test_other_roles_are_refused(client_for, request, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"text": "电池"}, format="json").status_code == 403
    assert SavedSearch.objects.count() == 0
