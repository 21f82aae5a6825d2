"""The patent inventory import: per-row validation of an institution's file (writes are in services)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.access import is_college_admin
from common.validators import (
    Issue,
    check_grant_not_before_application,
    normalize_application_number,
    normalize_ipc,
    parse_date,
    parse_ipc_list,
    parse_legal_status,
    parse_patent_type,
    parse_price,
    parse_transfer_modes,
)
from common.validators import LegalStatus as ParsedLegalStatus
from common.validators.text import single_line_issue
from imports.validation import ImportContext, RowError, WriteCounts, row_error, row_issue, row_too_long
from patents.headers import PATENT_HEADER_ALIASES
from patents.import_assessment import ASSESSMENT_LABELS, assessment_cells, assessment_rows_write
from patents.import_writes import patent_rows_upsert
from patents.models import College, InventoryStatus, LegalStatus, Patent

LABELS: dict[str, tuple[str, str]] = {
    "application_number": ("申请号", "application number"),
    "title": ("专利名称", "title"),
    "abstract": ("摘要", "abstract"),
    "claims": ("权利要求", "claims"),
    "ipc_main": ("主分类号", "main IPC"),
    "ipc_all": ("分类号", "IPC codes"),
    "patent_type": ("专利类型", "patent type"),
    "application_date": ("申请日", "application date"),
    "grant_date": ("授权日", "grant date"),
    "publication_number": ("公开号", "publication number"),
    "legal_status": ("法律状态", "legal status"),
    "inventors": ("发明人", "inventors"),
    "applicant": ("申请人", "applicant"),
    "transfer_modes": ("转化方式", "transfer modes"),
    "price": ("价格", "price"),
    "value_grade": ("价值等级", "value grade"),
    "inventory_status": ("入库状态", "inventory status"),
    "contact": ("联系人", "contact"),
    "college": ("所属学院", "college"),
    **ASSESSMENT_LABELS,
}
MAX_LENGTHS = {
    "title": 300,
    "publication_number": 20,
    "applicant": 300,
    "inventors": 500,
    "contact": 100,
    "college": 64,
    "abstract": 20_000,
    "claims": 100_000,
}
LEGAL_STATUS_MAP = {
    ParsedLegalStatus.IN_FORCE: LegalStatus.VALID,
    ParsedLegalStatus.PENDING: LegalStatus.PENDING,
    ParsedLegalStatus.NOT_IN_FORCE: LegalStatus.INVALID,
}
INVENTORY_STATUS_LABELS = {
    "已入库": InventoryStatus.POOLED,
    "入库": InventoryStatus.POOLED,
    "可转化": InventoryStatus.POOLED,
    "pooled": InventoryStatus.POOLED,
    "已盘点": InventoryStatus.INVENTORIED,
    "盘点": InventoryStatus.INVENTORIED,
    "inventoried": InventoryStatus.INVENTORIED,
    "未入库": InventoryStatus.NOT_POOLED,
    "not pooled": InventoryStatus.NOT_POOLED,
    "not_pooled": InventoryStatus.NOT_POOLED,
}
# one-line fields: the patent forms and the API refuse line breaks and control characters in them (the same rule,
# core.validators.single_line_text), so a file cannot store what the pages would refuse
SINGLE_LINE_FIELDS = ("title", "applicant", "contact", "college")
EMPTY_DATE_MARKERS = {"0", "00000000", "0000-00-00", "0000/00/00", "-", "—", "无", "N/A", "n/a"}


def _error(line: int, name: str, value: str, code: str, zh: str, en: str) -> RowError:
    return row_error(LABELS, line, name, value, code, zh, en)


def _issue(line: int, name: str, value: str, issue: Issue) -> RowError:
    return row_issue(LABELS, line, name, value, issue)


class PatentImportSchema:
    """Validation rules of an institution's patent inventory file."""

    kind = "patents"
    aliases = PATENT_HEADER_ALIASES
    required = ("application_number", "title")
    labels = LABELS

    def validate_row(
        self, line: int, raw: dict[str, str], context: ImportContext
    ) -> tuple[dict | None, list[RowError]]:
        """One row → the Patent field values, or the reasons it cannot be imported."""
        today: date = context.today or timezone.localdate()
        problems: list[RowError] = []
        out: dict[str, Any] = {}

        def take(name: str, result: Any) -> Any:
            problems.extend(_issue(line, name, raw.get(name, ""), i) for i in result.issues)
            return result.value

        for name in ("title", "application_number"):
            if not raw.get(name, "").strip():
                problems.append(_error(line, name, "", "required", "必填，不能为空", "required; the cell is empty"))
        for name, limit in MAX_LENGTHS.items():
            value = raw.get(name, "").strip()
            if (too_long := row_too_long(LABELS, line, name, value, limit)) is not None:
                problems.append(too_long)
            out[name] = value[:limit]
        for name in SINGLE_LINE_FIELDS:
            issue = single_line_issue(raw.get(name, "").strip())
            if issue is not None:
                problems.append(_issue(line, name, raw.get(name, ""), issue))
        typed = take("patent_type", parse_patent_type(raw.get("patent_type")))
        if raw.get("application_number", "").strip():
            number = normalize_application_number(raw["application_number"], patent_type=typed)
            problems.extend(_issue(line, "application_number", raw["application_number"], i) for i in number.issues)
            out["application_number"] = number.normalized
            typed = typed or number.patent_type
        if typed is None and not any(p.field in ("patent_type", "application_number") for p in problems):
            problems.append(
                _error(
                    line,
                    "patent_type",
                    raw.get("patent_type", ""),
                    "required",
                    "无法确定专利类型，请填写 发明 / 实用新型 / 外观设计",
                    "cannot tell the patent type; fill in invention / utility model / design",
                )
            )
        out["patent_type"] = str(typed) if typed else None
        for name in ("application_date", "grant_date"):
            value = raw.get(name, "").strip()
            if value in EMPTY_DATE_MARKERS:  # database exports write 0 / 0000-00-00 for "no date"
                problems.append(
                    _error(line, name, value, "warn:empty_date", "按空白处理（无日期）", "read as empty (no date)")
                )
                value = ""
            out[name] = take(name, parse_date(value, today=today))
        order = check_grant_not_before_application(
            application_date=out["application_date"], grant_date=out["grant_date"]
        )
        if order is not None:
            problems.append(_issue(line, "grant_date", raw.get("grant_date", ""), order))
        ipc_main = take("ipc_main", normalize_ipc(raw.get("ipc_main")))
        ipc_all = take("ipc_all", parse_ipc_list(raw.get("ipc_all"))) or []
        codes = ([str(ipc_main)] if ipc_main else []) + [c for c in ipc_all if not ipc_main or c != str(ipc_main)]
        out["ipc_codes"] = codes
        out["ipc_main"] = codes[0] if codes else ""
        out["ipc_section"] = codes[0][0] if codes else ""
        status = take("legal_status", parse_legal_status(raw.get("legal_status")))
        out["legal_status"] = str(LEGAL_STATUS_MAP[status]) if status else str(LegalStatus.UNKNOWN)
        out["transfer_modes"] = [
            str(m) for m in (take("transfer_modes", parse_transfer_modes(raw.get("transfer_modes"))) or [])
        ]
        price = take("price", parse_price(raw.get("price")))
        out["price_min"] = Decimal(price.min_yuan) if price and price.min_yuan is not None else None
        out["price_max"] = Decimal(price.max_yuan) if price and price.max_yuan is not None else None
        out["price_negotiable"] = bool(price and price.negotiable)
        out["value_grade"] = self._grade(line, raw.get("value_grade", ""), problems)
        out["inventory_status"] = self._status(line, raw.get("inventory_status", ""), problems)
        out["assessment"] = assessment_cells(line, raw, problems)
        if any(not p.code.startswith("warn:") for p in problems):
            return None, problems
        return out, problems

    @staticmethod
    def _grade(line: int, raw: str, problems: list[RowError]) -> str:
        value = raw.strip().upper()[:1]
        if raw.strip() and value not in "ABCD":
            problems.append(
                _error(line, "value_grade", raw, "invalid_choice", "应为 A、B、C 或 D", "must be A, B, C or D")
            )
            return ""
        return value

    @staticmethod
    def _status(line: int, raw: str, problems: list[RowError]) -> str | None:
        text = raw.strip()
        if not text:
            return None  # keep the current status of an existing patent; new ones start as inventoried
        status = INVENTORY_STATUS_LABELS.get(text.casefold())
        if status is None:
            problems.append(
                _error(
                    line,
                    "inventory_status",
                    raw,
                    "invalid_choice",
                    "应为 已盘点、已入库 或 未入库",
                    "must be inventoried, pooled or not pooled",
                )
            )
            return None
        return str(status)

    def check_rows(self, rows: list[tuple[int, dict]], context: ImportContext) -> list[RowError]:
        """Duplicates inside the file; numbers owned by another institution (a conflict, never an overwrite)."""
        errors: list[RowError] = []
        first_line: dict[str, int] = {}
        for line, row in rows:
            number = row["application_number"]
            if number in first_line:
                errors.append(
                    _error(
                        line,
                        "application_number",
                        number,
                        "duplicate_in_file",
                        f"与第{first_line[number]}行重复，请删除其中一行",
                        f"duplicates row {first_line[number]}; delete one of them",
                    )
                )
            else:
                first_line[number] = line
        errors.extend(_college_errors(rows, colleges=_colleges(context)))
        owners = _owners(list(first_line))
        forced = _forced_college(context)
        if forced is not None:
            errors.extend(_college_admin_errors(rows, owners=owners, context=context, college_pk=forced))
        for line, row in rows:
            owner = owners.get(row["application_number"])
            if owner is not None and owner[0] != context.institution.pk:
                errors.append(
                    _error(
                        line,
                        "application_number",
                        row["application_number"],
                        "owned_by_other",
                        f"该专利已由“{owner[1]}”登记，不能覆盖；如权属有误请联系平台管理员",
                        f"already registered by {owner[1]}; it cannot be overwritten — contact the platform admin",
                    )
                )
        return errors

    def write(self, rows: list[dict], context: ImportContext, progress: Callable[[int, int], None]) -> WriteCounts:
        colleges = _colleges(context)
        forced = _forced_college(context)
        for row in rows:  # an empty cell keeps the patent's college, as other empty optional cells keep theirs
            row["college_id"] = forced or colleges.get(row.pop("college", "") or "")
            row.pop("college", None)
        # the value self-assessment columns: written after the patents, through the assessment form's write
        assessed = [(row["application_number"], cells) for row in rows if (cells := row.pop("assessment", None))]
        counts = patent_rows_upsert(rows=rows, institution=context.institution, user=context.user, progress=progress)
        assessment_rows_write(rows=assessed, institution=context.institution, user=context.user)
        return counts


def _college_errors(rows: list[tuple[int, dict]], *, colleges: dict[str, int]) -> list[RowError]:
    """A college the institution has not registered: an error once it has registered some (a typo would file the
    patent nowhere), a warning while it has none (the column is then not imported, the rest of the row is)."""
    errors: list[RowError] = []
    for line, row in rows:
        name = row.get("college")
        if not name or name in colleges:
            continue
        if colleges:
            errors.append(
                _error(
                    line,
                    "college",
                    name,
                    "unknown_college",
                    "不是本单位登记的学院；请先登记学院（管理后台或 load_institutions --colleges）",
                    "not a registered college of this institution; register it first (the admin or "
                    "load_institutions --colleges)",
                )
            )
        else:
            errors.append(
                _error(
                    line,
                    "college",
                    name,
                    "warn:no_colleges",
                    "本单位尚未登记学院，此列未导入",
                    "this institution has registered no colleges yet; the column was not imported",
                )
            )
    return errors


def _forced_college(context: ImportContext) -> int | None:
    """A college admin imports into their own college only: every row is filed under it."""
    user = context.user
    return int(user.college_id) if user is not None and is_college_admin(user) else None


def _college_admin_errors(
    rows: list[tuple[int, dict]],
    *,
    owners: dict[str, tuple[int, str, int | None]],
    context: ImportContext,
    college_pk: int,
) -> list[RowError]:
    """A college admin's file: rows of another college (by the 所属学院 cell or the registered patent) are refused,
    and so is pooling in the file (the college submits; the university pools)."""
    errors: list[RowError] = []
    own_name = College.objects.filter(pk=college_pk).values_list("name", flat=True).first() or ""
    for line, row in rows:
        number = row["application_number"]
        owner = owners.get(number)
        named = row.get("college") or ""
        if (named and named != own_name) or (owner and owner[0] == context.institution.pk and owner[2] != college_pk):
            errors.append(
                _error(
                    line,
                    "application_number",
                    number,
                    "other_college",
                    f"不属于本学院（{own_name}）；学院管理员只能导入本学院的专利",
                    f"not a patent of your college ({own_name}); a college admin imports their college's patents only",
                )
            )
        if row.get("inventory_status") == InventoryStatus.POOLED:
            errors.append(
                _error(
                    line,
                    "inventory_status",
                    str(row["inventory_status"]),
                    "college_cannot_pool",
                    "学院导入不能直接入库，请提交学校审核",
                    "a college's import cannot pool; submit the patents for the university's review",
                )
            )
    return errors


def _colleges(context: ImportContext) -> dict[str, int]:
    return dict(College.objects.filter(institution=context.institution).values_list("name", "pk"))


def _owners(numbers: list[str]) -> dict[str, tuple[int, str, int | None]]:
    owners: dict[str, tuple[int, str, int | None]] = {}
    for start in range(0, len(numbers), 2000):
        chunk = numbers[start : start + 2000]
        for number, pk, name, college_pk in Patent.objects.filter(application_number__in=chunk).values_list(
            "application_number", "institution_id", "institution__name", "college_id"
        ):
            owners[number] = (pk, name, college_pk)
    return owners
