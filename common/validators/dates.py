"""Dates as they arrive in patent and enterprise spreadsheets.

Accepted: 2023-03-28, 2023/3/28, 2023.3.28, 20230328, 2023年3月28日, datetime strings
("2023-03-28 00:00:00", "2023/3/28 0:00", "2023-03-28T08:00:00") and Excel serial numbers
("44648" → 2022-03-28). Day-first and two-digit-year forms are rejected: 03/04/2023 is
ambiguous and a wrong guess would pass every later check.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from common.validators._text import clean, excerpt
from common.validators.issues import FieldResult, Issue, error, warning

PATENT_LAW_EFFECTIVE = date(1985, 4, 1)  # 中国专利法施行日: no Chinese patent can be older

_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_YMD = re.compile(rf"(?P<y>[0-9]{{4}})[-/.](?P<m>[0-9]{{1,2}})[-/.](?P<d>[0-9]{{1,2}}){_TIME}")
_CHINESE = re.compile(r"(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})[日号]?" + _TIME)
_COMPACT = re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})" + _TIME)
_SERIAL = re.compile(r"(?P<serial>[0-9]{5})(?:\.[0-9]+)?")
_YEAR_ONLY = re.compile(r"[0-9]{4}")
_DAY_FIRST = re.compile(r"[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}" + _TIME)

# Excel's day 0 is 1900-01-00 and it counts a 29 February 1900 that never existed (serial 60),
# a bug kept for Lotus 1-2-3 compatibility. From serial 61 on, day 0 is effectively 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60


def excel_serial_to_date(serial: int) -> date:
    """Convert an Excel (1900 date system) serial day number to a date.

    Raises ValueError for 60, Excel's non-existent 1900-02-29, and for numbers below 1.
    """
    if serial < 1:
        raise ValueError("Excel serial dates start at 1 (1900-01-01)")
    if serial == _EXCEL_FAKE_LEAP_DAY:
        raise ValueError("Excel serial 60 is 1900-02-29, a day that does not exist")
    offset = serial if serial > _EXCEL_FAKE_LEAP_DAY else serial + 1
    return _EXCEL_EPOCH + timedelta(days=offset)


def parse_date(
    raw: str | None,
    *,
    today: date,
    earliest: date | None = PATENT_LAW_EFFECTIVE,
    allow_future: bool = False,
) -> FieldResult[date]:
    """Parse a date and check that it is plausible.

    ``today`` is required rather than read from the clock: under Django the
    caller must pass ``timezone.localdate()`` (Asia/Shanghai), otherwise a
    server on UTC rejects today's grants as "future" for eight hours a day.
    ``earliest`` defaults to the day the Chinese patent law took effect; pass
    another bound (or None) for enterprise registration dates.
    An empty cell gives ``value=None`` with no issue: whether the field is
    required is the importer's business.
    """
    text = clean(raw)
    if not text:
        return FieldResult(None)
    issues: list[Issue] = []
    value = _parse(text, issues)
    if value is None:
        return FieldResult(None, tuple(issues))
    if not allow_future and value > today:
        issues.append(
            error(
                "date_future",
                f"日期 {value.isoformat()} 晚于今天（{today.isoformat()}）",
                f"date {value.isoformat()} is in the future (today is {today.isoformat()})",
            )
        )
    if earliest is not None and value < earliest:
        issues.append(
            error(
                "date_too_early",
                f"日期 {value.isoformat()} 早于 {earliest.isoformat()}，不合理",
                f"date {value.isoformat()} is before {earliest.isoformat()} and implausible",
            )
        )
    if any(issue.is_error for issue in issues):
        return FieldResult(None, tuple(issues))
    return FieldResult(value, tuple(issues))


def check_grant_not_before_application(*, application_date: date | None, grant_date: date | None) -> Issue | None:
    """Error if the grant date precedes the application date; None when fine or either is missing."""
    if application_date is None or grant_date is None or grant_date >= application_date:
        return None
    return error(
        "grant_before_application",
        f"授权日 {grant_date.isoformat()} 早于申请日 {application_date.isoformat()}",
        f"grant date {grant_date.isoformat()} is before the application date {application_date.isoformat()}",
    )


def _parse(text: str, issues: list[Issue]) -> date | None:
    for pattern in (_YMD, _CHINESE, _COMPACT):
        match = pattern.fullmatch(text)
        if match:
            return _build(text, int(match["y"]), int(match["m"]), int(match["d"]), issues)
    serial = _SERIAL.fullmatch(text)
    if serial:
        try:
            value = excel_serial_to_date(int(serial["serial"]))
        except ValueError:  # "00060" (the fake leap day) or "00000"
            value = None
        if value is not None:
            issues.append(
                warning(
                    "excel_serial_date",
                    f"“{excerpt(text)}”按 Excel 日期序号读作 {value.isoformat()}",
                    f"'{excerpt(text)}' was read as an Excel date serial number: {value.isoformat()}",
                )
            )
            return value
    if _YEAR_ONLY.fullmatch(text):
        issues.append(
            error(
                "date_year_only",
                f"“{excerpt(text)}”只有年份，缺少月和日",
                f"'{excerpt(text)}' is only a year, month and day missing",
            )
        )
        return None
    if _DAY_FIRST.fullmatch(text):
        issues.append(
            error(
                "date_ambiguous",
                f"“{excerpt(text)}”的年月日顺序有歧义，请写成 2023-03-28",
                f"'{excerpt(text)}' has an ambiguous day/month order; write it as 2023-03-28",
            )
        )
        return None
    issues.append(
        error(
            "date_format",
            f"无法识别的日期“{excerpt(text)}”，应类似 2023-03-28",
            f"unrecognised date '{excerpt(text)}', expected something like 2023-03-28",
        )
    )
    return None


def _build(text: str, year: int, month: int, day: int, issues: list[Issue]) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        issues.append(
            error("date_invalid", f"日期“{excerpt(text)}”不存在", f"the date '{excerpt(text)}' does not exist"),
        )
        return None
