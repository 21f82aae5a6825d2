"""The downloadable Excel template of a patent inventory: one sheet to fill in, one sheet of instructions.

The headers are the importer's own labels (patents.importers.LABELS), so a filled-in template imports
without any column mapping. The example row is a real, public patent (CN202223220665.2, from the
PatentSemantix sample in /work/shared/data/patent-record-sample); the columns an institution decides itself
(transfer modes, price, grade, status, contact) carry illustrative values, marked as such in the notes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from patents.importers import LABELS

DATA_SHEET = "专利清单"
NOTES_SHEET = "填写说明"
TEXT_FORMAT = "@"
VALIDATED_ROWS = 5000  # drop-down lists cover this many data rows
FILENAME = "专利盘点清单模板.xlsx"


@dataclass(frozen=True, slots=True)
class TemplateColumn:
    """One column of the template: the importer field it feeds, its example value and its instructions."""

    field: str
    example: str
    required: bool
    meaning: str | Promise
    accepted: str | Promise
    width: int = 16

    @property
    def header(self) -> str:
        return LABELS[self.field][0]


EXAMPLE_CLAIM = (
    "1.一种无人机机载多功能盒，其特征在于，包括内盒（1），外盒（2）和内部电路，所述内部电路设置在内盒（1）内部，"
    "内部电路包括底板（7）、CPU模块（3）、4G/5G通信模块（4）、扩展接口（13）和通讯接口（6），所述CPU模块（3）、"
    "4G/5G通信模块（4）、扩展接口（13）和通讯接口（6）均匹配安装在底板（7）对应位置上，4G/5G通信模块（4）、"
    "扩展接口（13）和通讯接口（6）均与CPU模块（3）连接，内盒（1）的外表面上沿四周侧壁均匀设置有多个燕尾形状的插块（8），"
    "外盒（2）的内侧壁与插块（8）对应的位置设置有相应的插座（9），插座（9）通过弹性带（10）固定在外盒（2）的内侧壁上，"
    "内盒（1）通过插块（8）与插座（9）连接悬空固定在外盒（2）内部，外盒（2）每个侧面均设置有多个贯穿外盒（2）的插孔（12），"
    "插孔（12）内匹配设置有插杆（11），所述插杆（11）上设置有与插座（9）大小匹配的凹槽，"
    "插杆（11）插入插孔（12）内时插座（9）匹配插入凹槽内。"
)

COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn(
        "application_number",
        "202223220665.2",
        True,
        _("国家知识产权局的专利申请号，是专利在平台上的唯一标识；再次导入同一申请号会更新该专利而不会重复。"),
        _(
            "12 位或 8 位数字加校验位，可带“CN”和小数点，如 202223220665.2、CN202223220665.2；"
            "请把单元格设为文本，以免 Excel 把长数字改成科学计数法。"
        ),
        18,
    ),
    TemplateColumn("title", "一种无人机机载多功能盒", True, _("专利（申请）的名称。"), _("不超过 300 字。"), 30),
    TemplateColumn(
        "patent_type",
        "实用新型",
        False,
        _("专利类型；留空时按申请号第 5 位（或第 3 位）推断。"),
        _("发明、实用新型、外观设计（也接受“发明专利”“发明公开;发明授权”等数据库写法）。"),
    ),
    TemplateColumn(
        "application_date",
        "2022-12-02",
        False,
        _("申请日。"),
        _("2023-03-28、2023/3/28、20230328、2023年3月28日 均可；不接受 03/28/2023 这类日在前或两位年份的写法。"),
        12,
    ),
    TemplateColumn(
        "grant_date",
        "2023-03-28",
        False,
        _("授权公告日；尚未授权的留空（0 或 0000-00-00 也按空白处理）。"),
        _("同申请日；授权日不能早于申请日。"),
        12,
    ),
    TemplateColumn(
        "legal_status",
        "有权-审定授权",
        False,
        _("法律状态；留空记为“未知”。已失效的专利不能入库。"),
        _(
            "有权 / 有效 / 授权、审中 / 实质审查 / 公开、失效 / 驳回 / 视为撤回 / 未缴年费 等，"
            "也接受“有权-审定授权”这类数据库写法。"
        ),
    ),
    TemplateColumn("ipc_main", "B64U20/80", False, _("IPC 主分类号。"), _("如 B64U20/80、G06F 16/35。"), 14),
    TemplateColumn(
        "ipc_all",
        "B64U20/80;B64U101/30",
        False,
        _("全部 IPC 分类号（可含主分类号）。"),
        _("多个分类号用分号、逗号、顿号或换行分隔，如 B64U20/80;B64U101/30。"),
        22,
    ),
    TemplateColumn(
        "abstract",
        "",
        False,
        _("摘要，供企业检索和智能匹配使用；示例行的数据来源不含摘要，故留空。"),
        _("纯文本，不超过 20000 字。"),
        30,
    ),
    TemplateColumn(
        "claims",
        EXAMPLE_CLAIM,
        False,
        _("权利要求（至少第 1 项独立权利要求，即“主权项”）。"),
        _("纯文本，不超过 100000 字。"),
        40,
    ),
    TemplateColumn(
        "inventors",
        "",
        False,
        _("发明人；示例行的数据来源未公开发明人姓名，故留空。"),
        _("多人用分号或顿号分隔，如 张三;李四。"),
        16,
    ),
    TemplateColumn(
        "applicant",
        "中科大数据研究院",
        False,
        _("申请人 / 专利权人（本单位名称）。"),
        _("不超过 300 字。"),
        18,
    ),
    TemplateColumn(
        "transfer_modes",
        "转让、许可",
        False,
        _("本单位愿意采用的转化方式（示例行为示意值）。入库前必须设置。"),
        _(
            "转让、许可、开放许可、作价入股，多个用“、”分隔，如 转让、许可。"
            "开放许可的付费方式和金额须在平台上逐件声明。"
        ),
    ),
    TemplateColumn(
        "price",
        "10-20万",
        False,
        _("意向价格（示意值）。"),
        _("面议、10-20万、10万-20万元、50万元、100000、50万以上、20万以内；不写单位时按元计。"),
        14,
    ),
    TemplateColumn(
        "value_grade",
        "B",
        False,
        _("本单位评定的价值等级（示意值）。"),
        _("A（高价值）、B（较高价值）、C（一般）、D（待评估），可留空。"),
        10,
    ),
    TemplateColumn(
        "inventory_status",
        "已盘点",
        False,
        _("盘点状态（示意值）；留空时新专利记为“已盘点”，已有专利保持原状态。"),
        _("已盘点、已入库、未入库。"),
        10,
    ),
    TemplateColumn(
        "contact",
        "技术转移中心",
        False,
        _("该专利的联系人（示意值）。"),
        _("不超过 100 字。"),
        14,
    ),
    TemplateColumn(
        "college",
        "",
        False,
        _("专利所属的学院/院系；留空则不改变已有的所属学院。"),
        _("本单位已登记的学院名称（由平台管理员或 load_institutions --colleges 登记），不超过 64 字。"),
        16,
    ),
    # the value self-assessment (专利价值分级自评): any filled cell writes the patent's assessment and its grade
    TemplateColumn(
        "trl",
        "",
        False,
        _("价值自评：技术成熟度等级；本行任一自评列有值时，按自评指标算出价值等级（审核人调整过的等级保留）。"),
        _("1–9 的整数（1–3 原理或概念，4–6 实验室或中试，7–9 样机或实际环境验证），可写 7 或 TRL7。"),
        12,
    ),
    TemplateColumn("implemented", "", False, _("价值自评：该专利是否已实施。"), _("是 或 否，可留空。"), 10),
    TemplateColumn(
        "has_family", "", False, _("价值自评：是否有同族专利或 PCT 申请。"), _("是 或 否；留空按“否”。"), 10
    ),
    TemplateColumn("application_fields", "", False, _("价值自评：应用领域。"), _("一行文字，不超过 300 字。"), 20),
    TemplateColumn("industry", "", False, _("价值自评：所属产业。"), _("一行文字，不超过 100 字。"), 14),
    TemplateColumn(
        "inventor_consent",
        "",
        False,
        _("价值自评：发明人是否同意转化；不同意时等级最高为 C。"),
        _("是 或 否，可留空。"),
        12,
    ),
    TemplateColumn(
        "consent_modes",
        "",
        False,
        _("价值自评：发明人同意的转化方式。"),
        _("转让、许可、开放许可、作价入股，多个用“、”“,”或“;”分隔。"),
        16,
    ),
)

EXAMPLE_NOTE = _(
    "示例行是一件真实的公开专利（CN202223220665.2，申请人 中科大数据研究院）；"
    "转化方式、价格、价值等级、入库状态、联系人为示意值。"
    "请删除示例行后填写本单位的专利，第一行表头不要修改；CSV（UTF-8 或 GBK）与 .xlsx 均可上传。"
)
DROPDOWNS = {
    "patent_type": "发明,实用新型,外观设计",
    "value_grade": "A,B,C,D",
    "inventory_status": "已盘点,已入库,未入库",
    "implemented": "是,否",
    "has_family": "是,否",
    "inventor_consent": "是,否",
}


def patent_template_workbook() -> bytes:
    """The .xlsx template: sheet 专利清单 (headers as text, one example row) and sheet 填写说明."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    _write_data_sheet(sheet)
    _write_notes_sheet(workbook.create_sheet(NOTES_SHEET))
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_data_sheet(sheet: Worksheet) -> None:
    header_font = Font(bold=True)
    required_font = Font(bold=True, color="C00000")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.header)
        header.number_format = TEXT_FORMAT
        header.font = required_font if column.required else header_font
        header.fill = fill
        example = sheet.cell(row=2, column=index, value=column.example or None)
        example.number_format = TEXT_FORMAT
        example.alignment = Alignment(vertical="top", wrap_text=column.width >= 30)
        # Text format for the whole column keeps Excel from turning 202223220665.2 into 2.02223E+11.
        sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        sheet.column_dimensions[letter].width = column.width
        choices = DROPDOWNS.get(column.field)
        if choices:
            validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=False)
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _write_notes_sheet(sheet: Worksheet) -> None:
    headers = [str(_("列名")), str(_("是否必填")), str(_("含义")), str(_("可接受的写法")), str(_("示例"))]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        sheet.append(
            [
                column.header,
                str(_("必填")) if column.required else str(_("选填")),
                str(column.meaning),
                str(column.accepted),
                (column.example[:60] + "…") if len(column.example) > 60 else column.example,
            ]
        )
    sheet.append([])
    sheet.append([str(EXAMPLE_NOTE)])
    for letter, width in zip("ABCDE", (12, 10, 50, 70, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
