"""The officer's inventory as a file: the rows of the inventory page (its selector, filters and order), typed cells
(core.exports writes them)."""

from collections.abc import Iterable

from django.utils.translation import gettext

from core.exports import ExportTable
from patents.models import Patent, TransferMode

MODE_LABELS = dict(TransferMode.choices)


def transfer_modes_text(modes: Iterable[str] | None) -> str:
    """['assignment', 'licence'] → 转让、许可 (as the pages show them)."""
    return "、".join(str(MODE_LABELS.get(mode, mode)) for mode in (modes or []))


def inventory_table(*, patents: Iterable[Patent]) -> ExportTable:
    """盘点清单: the inventory page's columns, plus the reason a patent is not pooled."""
    return ExportTable(
        gettext("盘点清单"),
        [
            gettext("申请号"),
            gettext("专利名称"),
            gettext("专利类型"),
            gettext("申请日"),
            gettext("法律状态"),
            gettext("价值等级"),
            gettext("转化方式"),
            gettext("盘点状态"),
            gettext("未入库原因"),
            gettext("更新时间"),
        ],
        [
            [
                p.application_number,
                p.title,
                p.get_patent_type_display(),
                p.application_date,
                p.get_legal_status_display(),
                p.value_grade or "",
                transfer_modes_text(p.transfer_modes),
                p.get_inventory_status_display(),
                p.not_pooled_reason if p.inventory_status == "not_pooled" else "",
                p.updated_at,
            ]
            for p in patents
        ],
    )
