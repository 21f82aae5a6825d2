"""Exports of follows and docking requests, both sides: the page's rows in its order, typed cells, formula-safe,
never another enterprise's or another institution's rows."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.selectors.docking import docking_inbox, docking_list
from enterprises.selectors.follows import patent_follow_list
from tests.enterprises.factories import DockingRequestFactory, PatentFactory, PatentFollowFactory
from tests.export_files import csv_rows, formula_cells, xlsx_cells, xlsx_rows

pytestmark = pytest.mark.django_db

HOSTILE = "=cmd|' /C calc'!A0"
AT = datetime(2026, 11, 3, 14, 5, 9, 123456, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def follows(enterprise, other_enterprise, institution, other_institution):
    """The enterprise follows three of the institution's patents (one titled like a formula) and one of another
    institution; the other enterprise follows one of the institution's patents."""
    own = [PatentFactory(institution=institution, title=title) for title in ("一种电池", HOSTILE, "一种电机")]
    elsewhere = PatentFactory(institution=other_institution, title="武大的专利")
    for days, patent in enumerate([*own, elsewhere]):
        PatentFollowFactory(enterprise=enterprise, patent=patent, created_at=AT - timedelta(days=days))
    PatentFollowFactory(enterprise=other_enterprise, patent=own[0], created_at=AT - timedelta(days=9))
    return own


def test_enterprise_follows_export_has_its_follows_in_order(client, enterprise_member, follows):
    # given
    client.force_login(enterprise_member)

    # when
    response = client.get(reverse("enterprises:follow_list"), {"format": "xlsx"})

    # then
    rows = xlsx_rows(response)
    assert rows[0] == ["申请号", "专利名称", "专利类型", "权利人", "关注时间"]
    expected = [f.patent.application_number for f in patent_follow_list(user=enterprise_member)]
    assert [r[0] for r in rows[1:]] == expected
    assert len(expected) == 4
    assert rows[1][4] == datetime(2026, 11, 3, 14, 5, 9)
    assert rows[2][1] == "'" + HOSTILE
    assert xlsx_cells(response)[1][4].number_format == "yyyy-mm-dd hh:mm:ss"
    assert formula_cells(response) == []


def test_other_enterprise_exports_only_its_follow(client, other_member, follows):
    # given
    client.force_login(other_member)

    # when
    rows = csv_rows(client.get(reverse("enterprises:follow_list"), {"format": "csv"}))

    # then
    assert rows[1:] == [[follows[0].application_number, "一种电池", "发明", "华中科技大学", "2026-10-25 14:05:09"]]


def test_officer_followers_export_is_the_institutions_follows(client, officer, follows):
    # given
    client.force_login(officer)

    # when
    rows = csv_rows(client.get(reverse("enterprises:followers"), {"format": "csv"}))
    one = csv_rows(client.get(reverse("enterprises:followers"), {"format": "csv", "patent": follows[0].pk}))

    # then
    assert rows[0] == ["企业", "城市", "关注的专利", "申请号", "关注时间"]
    expected = [(f.enterprise.name, f.patent.application_number) for f in patent_follow_list(user=officer)]
    assert [(r[0], r[3]) for r in rows[1:]] == expected
    assert len(expected) == 4
    assert "武大的专利" not in {r[2] for r in rows[1:]}
    assert rows[2][2] == "'" + HOSTILE
    assert [(r[0], r[2]) for r in one[1:]] == [
        ("武汉瑞诚科技有限公司", "一种电池"),
        ("武汉光谷新材料有限公司", "一种电池"),
    ]


@pytest.fixture
def dockings(enterprise, other_enterprise, institution, other_institution):
    """The enterprise's requests: one signed (an amount and a date), one submitted, one to another institution;
    the other enterprise's submitted request to the institution."""
    patents = [PatentFactory(institution=institution) for _ in range(3)]
    signed = DockingRequestFactory(
        enterprise=enterprise,
        patent=patents[0],
        status="signed",
        submitted_at=AT - timedelta(days=30),
        responded_at=AT - timedelta(days=29),
        signed_amount=Decimal("120000"),
        signed_date=AT.date(),
    )
    waiting = DockingRequestFactory(enterprise=enterprise, patent=patents[1], submitted_at=AT)
    elsewhere = DockingRequestFactory(
        enterprise=enterprise, patent=PatentFactory(institution=other_institution), submitted_at=AT
    )
    theirs = DockingRequestFactory(enterprise=other_enterprise, patent=patents[2], submitted_at=AT - timedelta(days=1))
    return {"signed": signed, "waiting": waiting, "elsewhere": elsewhere, "theirs": theirs}


def test_enterprise_docking_export_types_amounts_times_and_dates(client, enterprise_member, dockings):
    # given
    client.force_login(enterprise_member)

    # when
    response = client.get(reverse("enterprises:docking_mine"), {"format": "xlsx"})
    as_csv = csv_rows(client.get(reverse("enterprises:docking_mine"), {"format": "csv"}))

    # then
    rows = xlsx_rows(response)
    assert rows[0] == [
        "编号",
        "对接内容",
        "类型",
        "高校/院所",
        "提交时间",
        "状态",
        "首次响应时间",
        "合同金额(元)",
        "签约日期",
    ]
    assert [r[0] for r in rows[1:]] == [d.pk for d in docking_list(user=enterprise_member)]
    assert dockings["theirs"].pk not in {r[0] for r in rows[1:]}
    signed = next(r for r in rows[1:] if r[0] == dockings["signed"].pk)
    assert signed[4:] == [
        datetime(2026, 10, 4, 14, 5, 9),
        "已签约",
        datetime(2026, 10, 5, 14, 5, 9),
        120000.0,
        datetime(2026, 11, 3),
    ]
    signed_cells = next(c for c in xlsx_cells(response)[1:] if c[0].value == dockings["signed"].pk)
    assert [c.number_format for c in signed_cells[7:]] == ["#,##0.00", "yyyy-mm-dd"]
    signed_csv = next(r for r in as_csv[1:] if r[0] == str(dockings["signed"].pk))
    assert signed_csv[4:] == ["2026-10-04 14:05:09", "已签约", "2026-10-05 14:05:09", "120000.00", "2026-11-03"]


def test_officer_inbox_export_has_the_inbox_rows_in_order(client, officer, other_officer, dockings):
    # given
    client.force_login(officer)

    # when
    rows = xlsx_rows(client.get(reverse("enterprises:docking_inbox"), {"format": "xlsx"}))
    open_rows = xlsx_rows(client.get(reverse("enterprises:docking_inbox"), {"format": "xlsx", "status": "submitted"}))
    client.force_login(other_officer)
    others = xlsx_rows(client.get(reverse("enterprises:docking_inbox"), {"format": "xlsx"}))

    # then
    assert rows[0][:2] == ["编号", "企业"]
    assert rows[0][-1] == "超时未答复"
    expected = [d.pk for d in docking_inbox(user=officer)]
    assert [r[0] for r in rows[1:]] == expected
    assert set(expected) == {dockings["signed"].pk, dockings["waiting"].pk, dockings["theirs"].pk}
    assert [r[0] for r in open_rows[1:]] == [dockings["theirs"].pk, dockings["waiting"].pk]
    assert [r[0] for r in others[1:]] == [dockings["elsewhere"].pk]


def test_list_pages_offer_the_export_links_with_their_query(client, officer, dockings):
    # given
    client.force_login(officer)

    # when
    html = client.get(reverse("enterprises:docking_inbox"), {"status": "open", "page": "1"}).content.decode()

    # then
    assert 'href="?status=open&amp;format=xlsx"' in html
    assert 'href="?status=open&amp;format=csv"' in html
