"""The inventory list (filters, sorting, pages) and its bulk actions."""

from datetime import date

import pytest
from django.urls import reverse

from patents.models import Patent, PatentStatusChange
from tests.patents.pages.helpers import bulk, listed, make_patent, messages_of

pytestmark = pytest.mark.django_db

# --- inventory list ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["202211740332.4", "202223220665.2", "202122975192.6", "202121751980.0"]),
        ({"inventory_status": "pooled"}, ["202122975192.6"]),
        ({"patent_type": "invention"}, ["202211740332.4"]),
        ({"ipc_section": "B"}, ["202223220665.2", "202121751980.0"]),
        ({"application_year": "2022"}, ["202211740332.4", "202223220665.2"]),
        ({"legal_status": "invalid"}, ["202121751980.0"]),
        ({"value_grade": "A"}, ["202223220665.2"]),
        ({"q": "无人机"}, ["202223220665.2", "202121751980.0"]),
        ({"q": "202122975192"}, ["202122975192.6"]),
        ({"o": "title"}, ["202122975192.6", "202211740332.4", "202121751980.0", "202223220665.2"]),  # code points
        ({"o": "application_number"}, ["202121751980.0", "202122975192.6", "202211740332.4", "202223220665.2"]),
        ({"o": "-application_date"}, ["202211740332.4", "202223220665.2", "202122975192.6", "202121751980.0"]),
        ({"o": "application_date", "ipc_section": "B"}, ["202121751980.0", "202223220665.2"]),
    ],
)
def test_inventory_filters_search_and_sorting(client, officer, inventory, params, expected):
    # given
    client.force_login(officer)
    # when / then
    assert listed(client, **params) == expected


def test_sorting_by_updated(client, officer, inventory):
    # given
    client.force_login(officer)
    Patent.objects.filter(pk=inventory["keywords"].pk).update(updated_at="2020-01-01T00:00:00+08:00")
    # when
    ordered = listed(client, o="-updated")
    # then
    assert ordered[-1] == "202211740332.4"
    assert len(ordered) == 4


def test_filter_selects_name_their_empty_choice(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("patents:inventory"), {"legal_status": "valid"}).content.decode()
    # then
    assert '<option value="" selected>全部状态</option>' in html
    assert '<option value="">全部法律状态</option>' in html
    assert '<option value="valid" selected>有效</option>' in html
    assert '<option value="" selected>全部 IPC 部</option>' in html


def test_sort_links_toggle_direction_and_keep_filters(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("patents:inventory"), {"ipc_section": "B", "o": "title", "page": "1"}).content.decode()
    # then
    assert '<a href="?ipc_section=B&amp;o=-title" class="sort" data-sort="title">专利名称 ▲</a>' in html
    assert (
        '<a href="?ipc_section=B&amp;o=application_date" class="sort" data-sort="application_date">申请日</a>' in html
    )


def test_inventory_is_paginated_by_25(client, officer, institution):
    # given
    for n in range(30):
        make_patent(institution, f"2023100000{n:02d}.0", application_date=date(2023, 1, 1 + n % 28))
    client.force_login(officer)
    # when
    first = listed(client)
    second = listed(client, page=2)
    # then
    assert (len(first), len(second)) == (25, 5)
    assert not set(first) & set(second)


def test_enterprise_list_shows_pooled_patents_only(client, enterprise_member, inventory):
    # given
    client.force_login(enterprise_member)
    # when
    response = client.get(reverse("patents:list"))
    # then
    assert [p.application_number for p in response.context["page"].object_list] == ["202122975192.6"]


# --- bulk actions ------------------------------------------------------------------------------------------------


def test_bulk_pool_pools_and_records_the_history(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [inventory["drone"], inventory["camera"]], next="/patents/inventory/?ipc_section=B")
    # then
    assert response.redirect_chain == [("/patents/inventory/?ipc_section=B", 302)]
    assert messages_of(response) == ["已入库 1 件专利"]
    inventory["drone"].refresh_from_db()
    assert inventory["drone"].inventory_status == "pooled"
    change = PatentStatusChange.objects.get()
    assert (change.patent, change.from_status, change.to_status, change.actor) == (
        inventory["drone"], "inventoried", "pooled", officer
    )  # fmt: skip


def test_bulk_pool_refused_by_the_service_changes_nothing(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [inventory["drone"], inventory["keywords"]])
    # then
    assert messages_of(response) == [
        "202211740332.4 尚未设置转化方式，请先设置许可条件 / set transfer terms before pooling"
    ]
    statuses = dict(Patent.objects.values_list("application_number", "inventory_status"))
    assert (statuses["202223220665.2"], statuses["202211740332.4"]) == ("inventoried", "inventoried")
    assert PatentStatusChange.objects.count() == 0


def test_bulk_pool_of_a_lapsed_patent_is_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [inventory["lapsed"]])
    # then
    assert messages_of(response) == ["202121751980.0 已失效，不能入库 / a lapsed patent cannot be pooled"]
    inventory["lapsed"].refresh_from_db()
    assert inventory["lapsed"].inventory_status == "inventoried"


def test_bulk_unpool_needs_a_reason(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "unpool", [inventory["camera"]], reason="  ")
    # then
    assert messages_of(response) == ["请填写未入库原因 / give the reason"]
    inventory["camera"].refresh_from_db()
    assert inventory["camera"].inventory_status == "pooled"
    assert PatentStatusChange.objects.count() == 0


def test_bulk_unpool_with_a_reason(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "unpool", [inventory["camera"], inventory["drone"]], reason="已与企业签订独占许可")
    # then
    assert messages_of(response) == ["已移出 2 件专利（未入库）"]
    for key in ("camera", "drone"):
        inventory[key].refresh_from_db()
        assert (inventory[key].inventory_status, inventory[key].not_pooled_reason) == (
            "not_pooled",
            "已与企业签订独占许可",
        )
    assert sorted(PatentStatusChange.objects.values_list("from_status", "to_status", "reason")) == [
        ("inventoried", "not_pooled", "已与企业签订独占许可"),
        ("pooled", "not_pooled", "已与企业签订独占许可"),
    ]


def test_bulk_set_transfer_modes(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(
        client, "modes", [inventory["keywords"], inventory["drone"]], transfer_modes=["assignment", "equity"]
    )
    # then
    assert messages_of(response) == ["已为 2 件专利设置转化方式"]
    for key in ("keywords", "drone"):
        inventory[key].refresh_from_db()
        assert inventory[key].transfer_modes == ["assignment", "equity"]


def test_bulk_modes_without_a_mode_is_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "modes", [inventory["keywords"]])
    # then
    assert messages_of(response) == ["请至少选择一种有效的转化方式 / choose at least one valid transfer mode"]
    inventory["keywords"].refresh_from_db()
    assert inventory["keywords"].transfer_modes == []


def test_bulk_open_licence_is_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "modes", [inventory["keywords"]], transfer_modes=["open_licence"])
    # then
    assert messages_of(response) == [
        "开放许可须在专利页面逐件声明付费条件 / declare open-licence terms on each patent's page"
    ]
    inventory["keywords"].refresh_from_db()
    assert inventory["keywords"].transfer_modes == []


def test_bulk_on_another_institutions_patent_changes_nothing(client, officer, inventory):
    # given
    client.force_login(officer)
    inventory["other"].transfer_modes = ["assignment"]
    inventory["other"].save()
    # when
    response = bulk(client, "pool", [inventory["drone"], inventory["other"]])
    # then
    assert messages_of(response) == ["所选专利不存在或不属于本单位 / a selected patent is not one of yours"]
    assert set(Patent.objects.values_list("inventory_status", flat=True)) == {"inventoried", "pooled"}
    assert Patent.objects.get(pk=inventory["other"].pk).inventory_status == "inventoried"
    assert Patent.objects.get(pk=inventory["drone"].pk).inventory_status == "inventoried"


def test_bulk_without_selection(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [])
    # then
    assert messages_of(response) == ["请先勾选专利 / select at least one patent"]
    assert PatentStatusChange.objects.count() == 0


def test_bulk_ignores_an_offsite_next(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [inventory["drone"]], next="https://evil.example/")
    # then
    assert response.redirect_chain == [(reverse("patents:inventory"), 302)]


@pytest.mark.parametrize("fixture", ["enterprise_member", "bureau"])
def test_bulk_is_officer_only(client, request, fixture, inventory):
    # given
    client.force_login(request.getfixturevalue(fixture))
    # when
    response = client.post(reverse("patents:inventory_bulk"), {"action": "pool", "patents": [inventory["drone"].pk]})
    # then
    assert response.status_code == 403
    inventory["drone"].refresh_from_db()
    assert inventory["drone"].inventory_status == "inventoried"
