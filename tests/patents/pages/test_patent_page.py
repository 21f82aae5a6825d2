"""A patent's manage page (edit, terms) and the shared patent page each role sees."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditLog
from patents.models import Patent
from tests.patents.pages.helpers import bulk, listed, messages_of

pytestmark = pytest.mark.django_db

# --- a patent's manage page --------------------------------------------------------------------------------------


def test_manage_page_shows_forms_and_history(client, officer, inventory):
    # given
    client.force_login(officer)
    bulk(client, "pool", [inventory["drone"]])
    # when
    response = client.get(reverse("patents:manage", args=[inventory["drone"].pk]))
    # then
    assert response.status_code == 200
    assert response.context["edit_form"].initial["title"] == "一种无人机机载多功能盒"
    assert response.context["terms_form"].initial["transfer_modes"] == ["assignment"]
    assert [(c.from_status, c.to_status) for c in response.context["history"]] == [("inventoried", "pooled")]
    html = response.content.decode()
    assert 'data-testid="status-history"' in html
    assert "<td>已盘点</td><td>已入库</td>" in html


def test_edit_saves_the_descriptive_fields(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["keywords"]
    data = {
        "title": "一种基于图模型的新闻关键词抽取方法", "abstract": "基于图模型抽取新闻关键词。",
        "claims": "1.一种方法。",
        "legal_status": "valid", "value_grade": "B", "internal_notes": "发明人愿意配合技术转移", "inventors": "",
        "applicant": "中科大数据研究院", "application_date": "2022-12-30", "grant_date": "2024-04-05",
    }  # fmt: skip
    # when
    response = client.post(reverse("patents:manage_edit", args=[patent.pk]), data, follow=True)
    # then
    assert messages_of(response) == ["专利信息已保存"]
    patent.refresh_from_db()
    assert (patent.title, patent.value_grade, patent.legal_status) == (
        "一种基于图模型的新闻关键词抽取方法",
        "B",
        "valid",
    )
    assert (patent.internal_notes, patent.grant_date) == ("发明人愿意配合技术转移", date(2024, 4, 5))
    assert AuditLog.objects.filter(action="patent.update").count() == 1


def test_edit_refused_by_validation_changes_nothing(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["keywords"]
    data = {"title": "新名称", "legal_status": "valid", "application_date": "2022-12-30", "grant_date": "2021-01-01"}
    # when
    response = client.post(reverse("patents:manage_edit", args=[patent.pk]), data)
    # then
    assert response.status_code == 400
    assert response.context["edit_form"].non_field_errors()
    patent.refresh_from_db()
    assert (patent.title, patent.grant_date) == ("一种基于图模型的新闻关键词抽取方法及装置", None)
    assert AuditLog.objects.filter(action="patent.update").count() == 0


def test_terms_set_with_an_open_licence(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["keywords"]
    data = {
        "transfer_modes": ["licence", "open_licence"], "price_min": "100000", "price_max": "300000",
        "contact": "技术转移中心", "contact_phone": "027-87541234", "open_licence_payment": "entry_royalty",
        "open_licence_entry_fee": "50000", "open_licence_royalty_rate": "3.5", "open_licence_years": "3",
    }  # fmt: skip
    # when
    response = client.post(reverse("patents:manage_terms", args=[patent.pk]), data, follow=True)
    # then
    assert messages_of(response) == ["许可条件已保存"]
    patent.refresh_from_db()
    assert patent.transfer_modes == ["licence", "open_licence"]
    assert (patent.price_min, patent.price_max, patent.price_negotiable) == (Decimal(100000), Decimal(300000), False)
    assert (patent.open_licence_payment, patent.open_licence_entry_fee) == ("entry_royalty", Decimal(50000))
    assert (patent.open_licence_royalty_rate, patent.open_licence_years) == (Decimal("3.5"), 3)
    assert (patent.contact, patent.contact_phone) == ("技术转移中心", "027-87541234")


def test_terms_above_the_open_licence_cap_are_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["keywords"]
    data = {"transfer_modes": ["open_licence"], "open_licence_payment": "royalty", "open_licence_royalty_rate": "11"}
    # when
    response = client.post(reverse("patents:manage_terms", args=[patent.pk]), data)
    # then
    assert response.status_code == 400
    assert response.context["terms_form"].errors["open_licence_royalty_rate"] == [
        "提成比例超过开放许可上限 10% / royalty rate above the open-licence cap"
    ]
    patent.refresh_from_db()
    assert (patent.transfer_modes, patent.open_licence_payment, patent.open_licence_royalty_rate) == ([], "", None)


def test_terms_with_a_reversed_price_range_are_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["drone"]
    data = {"transfer_modes": ["assignment"], "price_min": "300000", "price_max": "100000"}
    # when
    response = client.post(reverse("patents:manage_terms", args=[patent.pk]), data)
    # then
    assert response.status_code == 400
    assert response.context["terms_form"].errors["price_max"] == [
        "价格上限不能低于下限 / the upper price is below the lower one"
    ]
    patent.refresh_from_db()
    assert (patent.price_min, patent.price_max) == (None, None)


@pytest.mark.parametrize("name", ["patents:manage", "patents:manage_edit", "patents:manage_terms"])
def test_another_institutions_officer_gets_404_on_a_patent(client, other_officer, inventory, name):
    # given
    client.force_login(other_officer)
    url = reverse(name, args=[inventory["drone"].pk])
    # when
    response = (
        client.get(url)
        if name == "patents:manage"
        else client.post(url, {"title": "改名", "transfer_modes": ["licence"]})
    )
    # then
    assert response.status_code == 404
    inventory["drone"].refresh_from_db()
    assert (inventory["drone"].title, inventory["drone"].transfer_modes) == ("一种无人机机载多功能盒", ["assignment"])


@pytest.mark.parametrize("fixture", ["enterprise_member", "bureau"])
def test_manage_page_is_officer_only(client, request, fixture, inventory):
    # given
    client.force_login(request.getfixturevalue(fixture))
    # when
    response = client.get(reverse("patents:manage", args=[inventory["camera"].pk]))
    # then
    assert response.status_code == 403


# --- the shared patent page --------------------------------------------------------------------------------------


def test_enterprise_sees_a_pooled_patent_without_internal_notes(client, enterprise_member, inventory):
    # given
    Patent.objects.filter(pk=inventory["camera"].pk).update(internal_notes="底价 8 万，勿外传")
    client.force_login(enterprise_member)
    # when
    response = client.get(reverse("patents:detail", args=[inventory["camera"].pk]))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "一种可拍照便携式实时语音播报端测摄像头" in html
    assert "底价 8 万，勿外传" not in html
    assert 'data-testid="manage-link"' not in html


def test_enterprise_gets_404_for_a_patent_not_pooled(client, enterprise_member, inventory):
    # given
    client.force_login(enterprise_member)
    # when
    response = client.get(reverse("patents:detail", args=[inventory["drone"].pk]))
    # then
    assert response.status_code == 404


def test_bureau_reads_any_patent_without_internal_notes(client, bureau, inventory):
    # given
    Patent.objects.filter(pk=inventory["drone"].pk).update(internal_notes="底价 8 万，勿外传")
    client.force_login(bureau)
    # when
    response = client.get(reverse("patents:detail", args=[inventory["drone"].pk]))
    # then
    assert response.status_code == 200
    assert "底价 8 万，勿外传" not in response.content.decode()


def test_owner_officer_sees_internal_notes_and_the_manage_link(client, officer, inventory):
    # given
    Patent.objects.filter(pk=inventory["drone"].pk).update(internal_notes="底价 8 万，勿外传")
    client.force_login(officer)
    # when
    html = client.get(reverse("patents:detail", args=[inventory["drone"].pk])).content.decode()
    # then
    assert "底价 8 万，勿外传" in html
    assert reverse("patents:manage", args=[inventory["drone"].pk]) in html


@pytest.mark.parametrize(
    "spelling",
    [
        "CN202122975192.6",
        "202122975192.6",
        "2021229751926",
        "ZL202122975192.6",
        "ZL 2021 2297 5192.6",
        "ｃｎ２０２１２２９７５１９２．６",
        "CN 2021229751926",
        "ZL2021229751",
    ],
)
def test_inventory_and_patent_list_find_an_application_number_in_any_spelling(
    client, officer, bureau, inventory, spelling
):
    # given
    client.force_login(officer)
    # when
    in_inventory = listed(client, q=spelling)
    client.force_login(bureau)
    response = client.get(reverse("patents:list"), {"q": spelling})
    # then
    assert in_inventory == ["202122975192.6"]
    assert [p.application_number for p in response.context["page"].object_list] == ["202122975192.6"]
