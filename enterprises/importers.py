"""Bulk enterprise import for bureau staff (files shaped like the Hubei registration data).

Same machinery, preview, write policy and idempotency as the patent inventory (imports.services).
USCC case: codes are validated strictly and NOT upper-cased — a lower-case letter (mostly `x`) is
reported as malformed so the office fixes its source data; see README "Enterprise import".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from common.validators import UsccVerdict, parse_date, validate_uscc
from common.validators.text import single_line_issue
from core.cache_generation import dashboard_cache_invalidate
from core.models import City
from core.selectors import city_for_region
from enterprises.headers import ENTERPRISE_HEADER_ALIASES
from enterprises.models import Enterprise
from imports.validation import ImportContext, RowError, WriteCounts, row_error, row_issue, row_too_long

LABELS: dict[str, tuple[str, str]] = {
    "name": ("企业名称", "enterprise name"),
    "uscc": ("统一社会信用代码", "unified social credit code"),
    "business_scope": ("经营范围", "business scope"),
    "region": ("地区", "region"),
    "province": ("所在省份", "province"),
    "registered_date": ("注册日期", "registration date"),
    "enterprise_type": ("企业类型", "enterprise type"),
    "registered_capital": ("注册资金", "registered capital"),
    "address": ("注册地址", "address"),
}
MAX_LENGTHS = {"name": 200, "business_scope": 5000}
WRITABLE_FIELDS = ["name", "business_scope", "city_id", "registered_date", "verification"]


def _error(line: int, name: str, value: str, code: str, zh: str, en: str) -> RowError:
    return row_error(LABELS, line, name, value, code, zh, en)


class EnterpriseImportSchema:
    """Validation rules of an enterprise list."""

    kind = "enterprises"
    aliases = ENTERPRISE_HEADER_ALIASES
    required = ("name", "uscc")
    labels = LABELS

    def __init__(self) -> None:
        self._cities = list(City.objects.filter(province_id=settings.PLATFORM_PROVINCE_CODE).order_by("code"))

    def city_for(self, region: str) -> City | None:
        """The province's city a region names (core.selectors.city_for_region)."""
        return city_for_region(region, self._cities)

    def validate_row(
        self, line: int, raw: dict[str, str], context: ImportContext
    ) -> tuple[dict | None, list[RowError]]:
        """One row → Enterprise field values, or why not; a review-verdict code is accepted for manual review."""
        today: date = context.today or timezone.localdate()
        problems: list[RowError] = []
        out: dict[str, Any] = {}
        name = raw.get("name", "").strip()
        if not name:
            problems.append(_error(line, "name", "", "required", "必填，不能为空", "required; the cell is empty"))
        # the sign-up and profile forms and the API refuse a name with a line break or control character: so does a file
        issue = single_line_issue(name)
        if issue is not None:
            problems.append(row_issue(LABELS, line, "name", raw.get("name", ""), issue))
        for field, limit in MAX_LENGTHS.items():
            value = raw.get(field, "").strip().strip("；; ")
            if (too_long := row_too_long(LABELS, line, field, value, limit)) is not None:
                problems.append(too_long)  # the inventory's wording: the length, the limit, "shorten it"
            out[field] = value
        code = raw.get("uscc", "")
        if not code.strip():
            problems.append(_error(line, "uscc", "", "required", "必填，不能为空", "required; the cell is empty"))
        else:
            result = validate_uscc(code)
            problems.extend(row_issue(LABELS, line, "uscc", code, issue) for issue in result.issues)
            out["uscc"] = result.normalized
            out["verification"] = "review" if result.verdict == UsccVerdict.REVIEW else "verified"
            if result.verdict == UsccVerdict.REVIEW:
                problems.append(
                    _error(
                        line,
                        "uscc",
                        code,
                        "warn:review",
                        "早期试点代码，已转人工审核",
                        "early pilot code; sent to manual review",
                    )
                )
        city = self.city_for(raw.get("region", ""))
        if raw.get("region", "").strip() and city is None:
            problems.append(
                _error(
                    line,
                    "region",
                    raw["region"],
                    "warn:unknown_region",
                    "未识别的地区，城市留空",
                    "unknown region; the city is left empty",
                )
            )
        out["city_id"] = city.code if city else None
        registered = parse_date(raw.get("registered_date"), today=today, earliest=None)
        problems.extend(
            row_issue(LABELS, line, "registered_date", raw.get("registered_date", ""), issue)
            for issue in registered.issues
        )
        out["registered_date"] = registered.value
        if any(not p.code.startswith("warn:") for p in problems):
            return None, problems
        return out, problems

    def check_rows(self, rows: list[tuple[int, dict]], context: ImportContext) -> list[RowError]:
        """A code twice in the file is an error on the second row."""
        errors: list[RowError] = []
        first: dict[str, int] = {}
        for line, row in rows:
            if row["uscc"] in first:
                errors.append(
                    _error(
                        line,
                        "uscc",
                        row["uscc"],
                        "duplicate_in_file",
                        f"与第{first[row['uscc']]}行重复",
                        f"duplicates row {first[row['uscc']]}",
                    )
                )
            else:
                first[row["uscc"]] = line
        return errors

    def write(self, rows: list[dict], context: ImportContext, progress: Callable[[int, int], None]) -> WriteCounts:
        counts = WriteCounts()
        now = timezone.now()
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[r["uscc"] for r in chunk])}
            new, changed = [], []
            for row in chunk:
                values = {k: row[k] for k in WRITABLE_FIELDS}
                enterprise = existing.get(row["uscc"])
                if enterprise is None:
                    new.append(Enterprise(uscc=row["uscc"], **values))
                    continue
                if enterprise.verification == "rejected":
                    values.pop("verification")  # a bureau decision is never undone by a file
                diff = {k: v for k, v in values.items() if v not in (None, "") and getattr(enterprise, k) != v}
                if not diff:
                    counts.unchanged += 1
                    continue
                for key, value in diff.items():
                    setattr(enterprise, key, value)
                enterprise.updated_at = now
                changed.append(enterprise)
            Enterprise.objects.bulk_create(new, batch_size=1000)
            if changed:
                Enterprise.objects.bulk_update(changed, [*WRITABLE_FIELDS, "updated_at"], batch_size=1000)
            counts.created += len(new)
            counts.updated += len(changed)
            progress(start + len(chunk), len(rows))
        dashboard_cache_invalidate()
        return counts
