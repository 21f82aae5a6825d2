"""The bilingual issues an application number can raise (Chinese first, then English), kept apart from the parsing."""

from __future__ import annotations

from common.validators._text import excerpt
from common.validators.issues import Issue, error, warning


def _empty() -> Issue:
    return error("empty", "申请号为空", "the application number is empty")


def _non_ascii_digits() -> Issue:
    return error(
        "non_ascii_digits",
        "含有非阿拉伯数字 0-9 的数字字符（如阿拉伯-印度数字），不予接受",
        "contains digits other than 0-9 (e.g. Arabic-Indic digits); not accepted",
    )


def _bad_format(compact: str) -> Issue:
    return error(
        "format",
        f"“{excerpt(compact)}”不是申请号格式，应类似 201910209152.5 或 00816422.3",
        f"'{excerpt(compact)}' is not an application number; expected something like 201910209152.5 or 00816422.3",
    )


def _bad_length(compact: str) -> Issue:
    return error(
        "length",
        f"“{excerpt(compact)}”位数不对：申请号应为 12 位或 8 位数字加校验位",
        f"'{excerpt(compact)}' has the wrong number of digits: expected 12 or 8 digits plus a check character",
    )


def _bad_year(digits: str, year: int, this_year: int, *, twelve_digits: bool) -> Issue:
    if year > this_year:
        return error("year_future", f"申请年份 {year} 晚于今年", f"application year {year} is in the future")
    if twelve_digits:
        return error(
            "year",
            f"申请年份 {digits} 不合理：12 位申请号自 2003 年起使用",
            f"application year {digits} is implausible: 12-digit numbers exist since 2003",
        )
    return error(
        "year",
        f"申请年份 {digits} 不合理：8 位申请号只用于 1985-2003 年",
        f"application year {digits} is implausible: 8-digit numbers were used only in 1985-2003",
    )


def _wrong_check(expected: str) -> Issue:
    return error("check_digit", f"校验位错误，应为 {expected}", f"wrong check digit, expected {expected}")


def _missing_check(expected: str) -> Issue:
    return error(
        "missing_check_digit",
        f"缺少校验位（按规则应为 {expected}），请核对原始记录",
        f"the check character is missing (by the rule it would be {expected}); check the source record",
    )


def _pre_1989() -> Issue:
    return warning(
        "no_check_digit_pre_1989",
        "1989 年以前的申请号没有校验位，无法校验",
        "numbers filed before 1989 have no check character and cannot be verified",
    )


_EXCEL_HINT_ZH = "请把该列设为“文本”格式后重新填写"
_EXCEL_HINT_EN = "format the column as Text and enter it again"


def _lost_zero(compact: str, suggestion: str) -> Issue:
    return error(
        "excel_lost_leading_zero",
        f"Excel 把申请号当作数字，丢失了开头的 0：“{excerpt(compact)}”应为 {suggestion}；{_EXCEL_HINT_ZH}",
        f"Excel stored the number as numeric and dropped the leading zero: '{excerpt(compact)}' should be "
        f"{suggestion}; {_EXCEL_HINT_EN}",
    )


def _lost_dot_zero(compact: str, suggestion: str) -> Issue:
    return error(
        "excel_lost_dot_zero",
        f"Excel 把申请号当作数字，丢掉了校验位“.0”：“{excerpt(compact)}”应为 {suggestion}；{_EXCEL_HINT_ZH}",
        f"Excel stored the number as numeric and dropped the check digit '.0': '{excerpt(compact)}' should be "
        f"{suggestion}; {_EXCEL_HINT_EN}",
    )


def _lost_zero_and_dot_zero(compact: str, suggestion: str) -> Issue:
    return error(
        "excel_lost_leading_zero",
        f"Excel 把申请号当作数字，丢失了开头的 0 和校验位“.0”：“{excerpt(compact)}”应为 {suggestion}；{_EXCEL_HINT_ZH}",
        f"Excel stored the number as numeric and dropped the leading zero and the check digit '.0': "
        f"'{excerpt(compact)}' should be {suggestion}; {_EXCEL_HINT_EN}",
    )


def _scientific(compact: str) -> Issue:
    return error(
        "excel_scientific_notation",
        f"Excel 以科学计数法显示（{excerpt(compact)}），申请号的数字已丢失；{_EXCEL_HINT_ZH}",
        f"Excel showed the number in scientific notation ({excerpt(compact)}) and its digits are lost; "
        f"{_EXCEL_HINT_EN}",
    )


def _scientific_readable(compact: str, expanded: str) -> Issue:
    return error(
        "excel_scientific_notation",
        f"Excel 以科学计数法显示（{excerpt(compact)}），读作 {expanded}，校验位已丢失；{_EXCEL_HINT_ZH}",
        f"Excel showed the number in scientific notation ({excerpt(compact)}); it reads {expanded} and its check "
        f"character is lost; {_EXCEL_HINT_EN}",
    )


def _float_noise(compact: str, repaired: str) -> Issue:
    return error(
        "excel_float_artifact",
        f"“{excerpt(compact)}”带有 Excel 浮点误差，原值可能是 {repaired}；{_EXCEL_HINT_ZH}",
        f"'{excerpt(compact)}' carries an Excel floating-point artefact, it was probably {repaired}; {_EXCEL_HINT_EN}",
    )
