"""Chinese patent application numbers (申请号).

Formats
-------
* 1985-1988: 8 digits ``YY T SSSSS`` (year, type, serial), no check digit.
* 1989 - Sept 2003: the same 8 digits plus ``.`` and a check character: ``00816422.3``.
* Since Oct 2003: 12 digits ``YYYY T SSSSSSS`` plus ``.`` and a check character: ``201910209152.5``.

The check character weighs the body digits with 2, 3, ..., 9, 2, 3, ... and
takes the sum mod 11; a remainder of 10 is written ``X`` (the remainder
itself, not 11 − r). Type digit: 1 invention, 2 utility model, 3 design,
8 PCT invention, 9 PCT utility model.

Numbers pass through spreadsheets, so typical Excel damage is recognised and
named instead of reported as a plain "invalid": lost leading zero, dropped
``.0``, scientific notation and binary-float noise. A publication number given
in place of the application number is named as such too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from itertools import cycle

from common.validators._application_number_messages import (
    _bad_format,
    _bad_length,
    _bad_year,
    _empty,
    _float_noise,
    _lost_dot_zero,
    _lost_zero,
    _lost_zero_and_dot_zero,
    _missing_check,
    _non_ascii_digits,
    _pre_1989,
    _scientific,
    _scientific_readable,
    _wrong_check,
)
from common.validators._text import has_non_ascii_digit, nfkc
from common.validators.issues import Issue, error, warning
from common.validators.patent_type import PATENT_TYPE_LABELS_ZH, PatentType, parse_patent_type


class AppNumberVerdict(StrEnum):
    """Verdict vocabulary; the values are those of the test-vector file cn_application_numbers.csv."""

    VALID = "valid"
    VALID_AFTER_NORMALISATION = "valid_after_normalisation"
    INVALID = "invalid"
    INVALID_EXCEL_COERCION = "invalid_excel_coercion"
    INVALID_PUBLICATION_NUMBER = "invalid_publication_number"


# type digit -> (patent type, filed through the PCT route)
TYPE_CODES: dict[str, tuple[PatentType, bool]] = {
    "1": (PatentType.INVENTION, False),
    "2": (PatentType.UTILITY_MODEL, False),
    "3": (PatentType.DESIGN, False),
    "8": (PatentType.INVENTION, True),
    "9": (PatentType.UTILITY_MODEL, True),
}
_TYPE_LIST_ZH = "1 发明、2 实用新型、3 外观设计、8 PCT 发明、9 PCT 实用新型"
_TYPE_LIST_EN = "1 invention, 2 utility model, 3 design, 8 PCT invention, 9 PCT utility model"
_TYPE_NAMES_EN = {
    PatentType.INVENTION: "invention",
    PatentType.UTILITY_MODEL: "utility model",
    PatentType.DESIGN: "design",
}

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")  # no DST in China, so a fixed offset is exact
FIRST_12_DIGIT_YEAR = 2003  # the 12-digit format started on 1 October 2003
FIRST_CHECK_DIGIT_YEAR = 1989  # numbers filed 1985-1988 have no check character

_PUBLICATION = re.compile(r"(?:CN)?(?P<digits>[0-9]{7}|[0-9]{9})(?P<kind>[ABCUYSD][0-9]?)")
_PREFIX = re.compile(r"^(?:CN|ZL)")
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?E\+?[0-9]+")
_FLOAT_NOISE = re.compile(r"[0-9]+\.[0-9]{2,}")
_WITH_DOT = re.compile(r"(?P<body>[0-9]+)\.(?P<check>[0-9X])")
_WITHOUT_DOT = re.compile(r"(?P<body>[0-9]{12}|[0-9]{8})(?P<check>[0-9X])")


@dataclass(frozen=True, slots=True)
class AppNumberResult:
    """Everything learnt about one application number.

    ``normalized`` is set only when the number is acceptable (``ok``);
    ``suggestion`` carries the number most likely meant when Excel damaged it;
    ``publication_number`` the publication number given instead (verdict
    ``invalid_publication_number``), as ``CN`` + its digits + its kind code.
    """

    raw: str
    verdict: AppNumberVerdict
    normalized: str | None = None
    type_code: str | None = None
    patent_type: PatentType | None = None
    is_pct: bool = False
    year: int | None = None
    serial: str | None = None
    check_digit: str | None = None
    suggestion: str | None = None
    errors: tuple[Issue, ...] = field(default_factory=tuple)
    warnings: tuple[Issue, ...] = field(default_factory=tuple)
    publication_number: str | None = None

    @property
    def ok(self) -> bool:
        """True when the number can be stored (verdict valid or valid after normalisation)."""
        return self.verdict in (AppNumberVerdict.VALID, AppNumberVerdict.VALID_AFTER_NORMALISATION)

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Errors first, then warnings."""
        return self.errors + self.warnings


def compute_check_digit(body: str) -> str:
    """Check character for an 8- or 12-digit body: weights 2..9 repeating, sum mod 11, 10 -> "X"."""
    if not re.fullmatch(r"[0-9]{8}|[0-9]{12}", body):
        raise ValueError(f"body must be 8 or 12 ASCII digits, got {body!r}")
    remainder = sum(int(digit) * weight for digit, weight in zip(body, cycle(range(2, 10)))) % 11
    return "X" if remainder == 10 else str(remainder)


@dataclass(slots=True)
class _Parts:
    """Body fields decoded from the digits, before judging them."""

    year: int | None
    type_code: str
    serial: str
    issues: list[Issue]


def normalize_application_number(
    raw: str | None,
    *,
    patent_type: PatentType | str | None = None,
    today: date | None = None,
) -> AppNumberResult:
    """Validate and normalise one application number.

    ``patent_type`` (专利类型 of the same row, label or PatentType) is compared
    with the type digit. ``today`` bounds the plausible filing year; it
    defaults to the current date in China because only the year matters here.
    """
    original = "" if raw is None else str(raw)
    this_year = (today or datetime.now(tz=CHINA_TZ).date()).year
    text = original.strip()
    if not text:
        return AppNumberResult(original, AppNumberVerdict.INVALID, errors=(_empty(),))

    normalisations: list[Issue] = []
    folded = nfkc(text)
    if folded != text:
        normalisations.append(
            warning("full_width", "已把全角字符转换为半角", "full-width characters were converted to ASCII")
        )
    if "。" in folded:
        folded = folded.replace("。", ".")
        normalisations.append(warning("ideographic_dot", "已把“。”当作小数点", "'。' was read as the dot"))
    if has_non_ascii_digit(folded):
        return AppNumberResult(original, AppNumberVerdict.INVALID, errors=(_non_ascii_digits(),))

    compact = re.sub(r"\s+", "", folded)
    if compact.endswith("x"):
        normalisations.append(warning("lower_case_x", "校验位小写 x 已改为大写 X", "check character 'x' upper-cased"))
    compact = compact.upper()

    publication = _PUBLICATION.fullmatch(compact)
    if publication:
        return _publication_number(original, publication)
    compact = _PREFIX.sub("", compact)

    if _SCIENTIFIC.fullmatch(compact):
        return _scientific_notation(original, compact, patent_type=patent_type, today=today)

    excel_damage: list[Issue] = []
    if _FLOAT_NOISE.fullmatch(compact):
        repaired = _strip_float_noise(compact)
        if repaired is None:
            return AppNumberResult(original, AppNumberVerdict.INVALID, errors=(_bad_format(compact),))
        excel_damage.append(_float_noise(compact, repaired))
        compact = repaired

    body, check, more = _split(compact)
    normalisations.extend(more)
    if body is None:
        return AppNumberResult(original, AppNumberVerdict.INVALID, errors=(_bad_format(compact),))

    # Lost leading zero: only the 8-digit format of 2000-2003 starts with 0, so 7 digits are a padded 8.
    if len(body) == 7:
        padded_body = "0" + body
        if not _evaluate(padded_body, this_year).issues:
            expected = compute_check_digit(padded_body)
            if check is None and expected == "0":
                issue = _lost_zero_and_dot_zero(compact, f"{padded_body}.0")
                return _excel_repair(original, f"{padded_body}.0", [*excel_damage, issue])
            if check == expected:
                issue = _lost_zero(compact, f"{padded_body}.{check}")
                return _excel_repair(original, f"{padded_body}.{check}", [*excel_damage, issue])
        return AppNumberResult(original, AppNumberVerdict.INVALID, errors=(*excel_damage, _bad_length(compact)))
    if len(body) not in (8, 12):
        return AppNumberResult(original, AppNumberVerdict.INVALID, errors=(_bad_length(compact),))

    parts = _evaluate(body, this_year)
    errors = list(excel_damage) + parts.issues
    warnings = list(normalisations)
    expected = compute_check_digit(body)
    type_info = TYPE_CODES.get(parts.type_code)

    if check is None:
        if len(body) == 8 and parts.year is not None and parts.year < FIRST_CHECK_DIGIT_YEAR:
            warnings.append(_pre_1989())
        elif not parts.issues and expected == "0":
            return _excel_repair(original, f"{body}.0", [*excel_damage, _lost_dot_zero(compact, f"{body}.0")])
        else:
            errors.append(_missing_check(expected))
    elif check != expected:
        errors.append(_wrong_check(expected))

    if type_info is not None and patent_type is not None:
        mismatch = _type_mismatch(parts.type_code, type_info[0], patent_type)
        if mismatch is not None:
            errors.append(mismatch)

    if excel_damage:
        verdict = AppNumberVerdict.INVALID_EXCEL_COERCION
    elif errors:
        verdict = AppNumberVerdict.INVALID
    elif normalisations:
        verdict = AppNumberVerdict.VALID_AFTER_NORMALISATION
    else:
        verdict = AppNumberVerdict.VALID
    canonical = body if check is None else f"{body}.{check}"
    clean_repair = excel_damage and len(errors) == len(excel_damage)
    return AppNumberResult(
        raw=original,
        verdict=verdict,
        normalized=canonical if not errors else None,
        type_code=parts.type_code,
        patent_type=type_info[0] if type_info else None,
        is_pct=type_info[1] if type_info else False,
        year=parts.year,
        serial=parts.serial,
        check_digit=expected,
        suggestion=canonical if clean_repair else None,
        errors=tuple(errors),
        warnings=tuple(warnings),
    )


def _split(compact: str) -> tuple[str | None, str | None, list[Issue]]:
    """Split into (body, check or None); the issue list notes a missing dot."""
    with_dot = _WITH_DOT.fullmatch(compact)
    if with_dot:
        return with_dot["body"], with_dot["check"], []
    without_dot = _WITHOUT_DOT.fullmatch(compact)
    if without_dot:
        # Some databases print 2019102091525; the check character still guards the guess.
        note = warning("missing_dot", "缺少校验位前的“.”，已补上", "the dot before the check character was added")
        return without_dot["body"], without_dot["check"], [note]
    if re.fullmatch(r"[0-9]+", compact):
        return compact, None, []  # no check character: its length decides what went wrong
    return None, None, []


def _evaluate(body: str, this_year: int) -> _Parts:
    """Decode year, type digit and serial of a body and judge each of them."""
    issues: list[Issue] = []
    year: int | None
    if len(body) == 12:
        year = int(body[:4])
        type_code, serial = body[4], body[5:]
        if not FIRST_12_DIGIT_YEAR <= year <= this_year:
            issues.append(_bad_year(body[:4], year, this_year, twelve_digits=True))
            year = None
    else:
        yy = int(body[:2])
        year = 1900 + yy if yy >= 85 else 2000 + yy
        type_code, serial = body[2], body[3:]
        if not (1985 <= year <= FIRST_12_DIGIT_YEAR):
            issues.append(_bad_year(body[:2], year, this_year, twelve_digits=False))
            year = None
    if type_code not in TYPE_CODES:
        issues.append(
            error(
                "type_digit",
                f"类型位 {type_code} 不存在（{_TYPE_LIST_ZH}）",
                f"type digit {type_code} does not exist ({_TYPE_LIST_EN})",
            )
        )
    if set(serial) == {"0"}:
        issues.append(error("serial_zero", "流水号全为 0", "the serial number is all zeros"))
    return _Parts(year=year, type_code=type_code, serial=serial, issues=issues)


def _strip_float_noise(compact: str) -> str | None:
    """Round "201910209152.50000001" or "2286689.1999999" back to one decimal, or None if it is not noise."""
    try:
        value = Decimal(compact)
    except InvalidOperation:
        return None
    rounded = value.quantize(Decimal("0.1"))
    # Binary floats are off by far less than 1e-4 at these magnitudes; larger gaps are real digits.
    if abs(value - rounded) >= Decimal("0.0001"):
        return None
    return str(rounded)


def _scientific_notation(
    original: str, compact: str, *, patent_type: PatentType | str | None, today: date | None
) -> AppNumberResult:
    """Name Excel's scientific notation; recover the number when the mantissa kept every digit."""
    mantissa, _, exponent = compact.partition("E")
    significant = len(mantissa.replace(".", "").lstrip("0"))
    length = int(exponent) + 1
    if significant < length:
        return AppNumberResult(original, AppNumberVerdict.INVALID_EXCEL_COERCION, errors=(_scientific(compact),))
    # e.g. 2.01910209152E+11: all 12 digits are there, only the ".0" check digit went missing.
    expanded = format(Decimal(compact), "f")
    inner = normalize_application_number(expanded, patent_type=patent_type, today=today)
    return AppNumberResult(
        original,
        AppNumberVerdict.INVALID_EXCEL_COERCION,
        suggestion=inner.suggestion,
        errors=(_scientific_readable(compact, expanded),),
    )


def _excel_repair(original: str, suggestion: str, issues: list[Issue]) -> AppNumberResult:
    return AppNumberResult(
        original, AppNumberVerdict.INVALID_EXCEL_COERCION, suggestion=suggestion, errors=tuple(issues)
    )


def _publication_number(original: str, match: re.Match[str]) -> AppNumberResult:
    number = f"CN{match['digits']}{match['kind']}"
    issue = error(
        "publication_number",
        f"{number} 是公开（公告）号，不是申请号；请填写形如 201910209152.5 的申请号",
        f"{number} is a publication number, not an application number; give one like 201910209152.5",
    )
    return AppNumberResult(
        original, AppNumberVerdict.INVALID_PUBLICATION_NUMBER, errors=(issue,), publication_number=number
    )


def _type_mismatch(type_code: str, digit_type: PatentType, given: PatentType | str) -> Issue | None:
    declared = given if isinstance(given, PatentType) else parse_patent_type(given).value
    if declared is None or declared is digit_type:
        return None
    return error(
        "type_mismatch",
        f"类型位 {type_code}（{PATENT_TYPE_LABELS_ZH[digit_type]}）与专利类型“{PATENT_TYPE_LABELS_ZH[declared]}”不一致",
        f"type digit {type_code} ({_TYPE_NAMES_EN[digit_type]}) contradicts the patent type "
        f"'{_TYPE_NAMES_EN[declared]}'",
    )
