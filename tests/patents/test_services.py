"""Patent writes called directly: pooling, unpooling, bulk transfer modes and edits (one transaction each)."""

import pytest
from django.core.exceptions import ValidationError

from core.errors import ApplicationError
from core.models import AuditLog
from patents.models import InventoryStatus, Patent, PatentStatusChange
from patents.services import patent_update, patents_modes_set, patents_pool, patents_unpool
from tests.patents.factories import PatentFactory

pytestmark = pytest.mark.django_db

OWN_ONLY = "只能操作本单位的专利 / you can only change your own institution's patents"


def _inventoried(institution, number: str, **fields) -> Patent:
    defaults = {"inventory_status": InventoryStatus.INVENTORIED, "legal_status": "valid"}
    return PatentFactory(institution=institution, application_number=number, **{**defaults, **fields})


def _history() -> list[tuple[str, str, str, str]]:
    return list(
        PatentStatusChange.objects.order_by("pk").values_list(
            "patent__application_number", "from_status", "to_status", "reason"
        )
    )


def test_pool_pools_patents_with_terms_once_and_records_each_change(officer, institution):
    # given
    first = _inventoried(institution, "201910209152.5")
    second = _inventoried(institution, "202223220665.2")
    already = _inventoried(institution, "202122975192.6", inventory_status=InventoryStatus.POOLED)
    # when
    changed = patents_pool(patents=[first, second, already], user=officer)
    # then
    assert changed == 2
    assert sorted(Patent.objects.filter(inventory_status="pooled").values_list("application_number", flat=True)) == [
        "201910209152.5",
        "202122975192.6",
        "202223220665.2",
    ]
    assert _history() == [
        ("201910209152.5", "inventoried", "pooled", ""),
        ("202223220665.2", "inventoried", "pooled", ""),
    ]
    assert list(AuditLog.objects.values_list("action", "detail")) == [("patent.pool", {"count": 2})]


def test_pool_refuses_a_patent_without_terms_and_writes_nothing(officer, institution):
    # given: the first patent could be pooled, the second has no transfer mode
    ready = _inventoried(institution, "201910209152.5")
    bare = _inventoried(institution, "202223220665.2", transfer_modes=[])
    # when
    with pytest.raises(ApplicationError) as raised:
        patents_pool(patents=[ready, bare], user=officer)
    # then
    assert (
        raised.value.message == "202223220665.2 尚未设置转化方式，请先设置许可条件 / set transfer terms before pooling"
    )
    assert list(Patent.objects.order_by("pk").values_list("inventory_status", flat=True)) == ["inventoried"] * 2
    assert (_history(), AuditLog.objects.count()) == ([], 0)


def test_pool_refuses_another_institutions_patent(officer, institution, other_institution):
    # given
    mine = _inventoried(institution, "201910209152.5")
    theirs = _inventoried(other_institution, "202223220665.2")
    # when
    with pytest.raises(ApplicationError) as raised:
        patents_pool(patents=[mine, theirs], user=officer)
    # then
    assert raised.value.message == OWN_ONLY
    assert list(Patent.objects.order_by("pk").values_list("inventory_status", flat=True)) == ["inventoried"] * 2
    assert (_history(), AuditLog.objects.count()) == ([], 0)


def test_unpool_needs_a_reason_and_keeps_it(officer, institution):
    # given
    patent = _inventoried(institution, "201910209152.5", inventory_status=InventoryStatus.POOLED)
    # when
    with pytest.raises(ValidationError) as raised:
        patents_unpool(patents=[patent], user=officer, reason="  ")
    changed = patents_unpool(patents=[patent], user=officer, reason=" 已独占许可给合作企业 ")
    # then
    assert raised.value.message_dict == {"reason": ["请填写未入库原因 / give the reason"]}
    assert changed == 1
    patent.refresh_from_db()
    assert (patent.inventory_status, patent.not_pooled_reason) == ("not_pooled", "已独占许可给合作企业")
    assert _history() == [("201910209152.5", "pooled", "not_pooled", "已独占许可给合作企业")]


def test_modes_set_writes_the_modes_once_each_and_refuses_open_licence(officer, institution):
    # given
    patent = _inventoried(institution, "201910209152.5", transfer_modes=["assignment"])
    # when
    with pytest.raises(ValidationError) as raised:
        patents_modes_set(patents=[patent], user=officer, transfer_modes=["licence", "open_licence"])
    changed = patents_modes_set(patents=[patent], user=officer, transfer_modes=["licence", "licence", "equity"])
    # then
    assert raised.value.message_dict == {
        "transfer_modes": ["开放许可须逐件声明付费条件 / declare open-licence terms per patent"]
    }
    assert changed == 1
    patent.refresh_from_db()
    assert patent.transfer_modes == ["licence", "equity"]


def test_update_changes_only_the_editable_fields(officer, institution):
    # given
    patent = _inventoried(institution, "201910209152.5", title="旧名称")
    # when
    patent_update(
        patent=patent, user=officer, data={"title": "一种固态电池电解质", "application_number": "202223220665.2"}
    )
    # then
    assert list(Patent.objects.values_list("application_number", "title")) == [("201910209152.5", "一种固态电池电解质")]
    assert list(AuditLog.objects.values_list("action", "detail")) == [
        ("patent.update", {"fields": ["application_number", "title"]})
    ]
