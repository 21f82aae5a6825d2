"""Follows and docking requests as files, both sides: the rows of the page they come from (its selector, filters
and order), typed cells (core.exports writes them)."""

from collections.abc import Iterable

from django.utils.translation import gettext, gettext_noop

from core.exports import ExportTable
from enterprises.models import DockingRequest, PatentFollow


def _yes_no(value: bool) -> str:
    return gettext("是") if value else gettext("否")


def follows_table(*, follows: Iterable[PatentFollow]) -> ExportTable:
    """关注的专利 (an enterprise's follows)."""
    return ExportTable(
        gettext("关注的专利"),
        [gettext("申请号"), gettext("专利名称"), gettext("专利类型"), gettext("权利人"), gettext("关注时间")],
        [
            [
                f.patent.application_number,
                f.patent.title,
                f.patent.get_patent_type_display(),
                f.patent.institution.name,
                f.created_at,
            ]
            for f in follows
        ],
    )


def followers_table(*, follows: Iterable[PatentFollow]) -> ExportTable:
    """关注本单位专利的企业 (an officer's list of follows on the institution's patents)."""
    return ExportTable(
        gettext("关注本单位专利的企业"),
        [gettext("企业"), gettext("城市"), gettext("关注的专利"), gettext("申请号"), gettext("关注时间")],
        [
            [
                f.enterprise.name,
                f.enterprise.city.name if f.enterprise.city else "",
                f.patent.title,
                f.patent.application_number,
                f.created_at,
            ]
            for f in follows
        ],
    )


def _docking_tail(d: DockingRequest) -> list[object]:
    return [d.submitted_at, d.get_status_display(), d.responded_at, d.signed_amount, d.signed_date]


_TAIL_HEADERS = tuple(map(gettext_noop, ("提交时间", "状态", "首次响应时间", "合同金额(元)", "签约日期")))


def docking_mine_table(*, requests: Iterable[DockingRequest]) -> ExportTable:
    """我的对接 (an enterprise's docking requests)."""
    return ExportTable(
        gettext("我的对接"),
        [gettext("编号"), gettext("对接内容"), gettext("类型"), gettext("高校/院所")]
        + [gettext(h) for h in _TAIL_HEADERS],
        [[d.pk, d.subject_title, d.get_kind_display(), d.institution.name, *_docking_tail(d)] for d in requests],
        id_columns=(0,),
    )


def docking_inbox_table(*, requests: Iterable[DockingRequest]) -> ExportTable:
    """对接收件箱 (an institution's docking requests, in the inbox's order)."""
    return ExportTable(
        gettext("对接收件箱"),
        [gettext("编号"), gettext("企业"), gettext("城市"), gettext("对接内容"), gettext("类型")]
        + [gettext(h) for h in _TAIL_HEADERS]
        + [gettext("超时未答复")],
        [
            [
                d.pk,
                d.enterprise.name,
                d.enterprise.city.name if d.enterprise.city else "",
                d.subject_title,
                d.get_kind_display(),
                *_docking_tail(d),
                _yes_no(bool(getattr(d, "is_overdue", False))),
            ]
            for d in requests
        ],
        id_columns=(0,),
    )
