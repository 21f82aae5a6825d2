"""Tests for common.validators.uscc (pure Python, no database)."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from common.tabular import read_table
from common.validators.uscc import (
    UsccCheck,
    UsccVerdict,
    gb32100_check_character,
    organisation_code_check_character,
    validate_uscc,
)

DATA = Path(__file__).parent / "data"
HUBEI = Path("/work/shared/data/hubei-enterprises/enterprises.csv")


def _vectors() -> list[tuple[str, str, str]]:
    with open(DATA / "uscc.csv", encoding="utf-8", newline="") as handle:
        return [(row["code"], row["expected"], row["note"]) for row in csv.DictReader(handle)]


def test_vector_file_has_23_codes():
    # given / when
    vectors = _vectors()

    # then
    assert len(vectors) == 23


@pytest.mark.parametrize(("code", "expected", "note"), _vectors(), ids=[v[0] for v in _vectors()])
def test_vector_gets_its_listed_verdict(code, expected, note):
    # given: a code from the shared test-vector file

    # when
    strict = validate_uscc(code)
    lenient = validate_uscc(code, normalize_case=True)

    # then: "invalid_or_normalise" is malformed when strict and valid after upper-casing
    if expected == "invalid_or_normalise":
        assert strict.verdict is UsccVerdict.INVALID, note
        assert strict.failed_check is UsccCheck.CHARSET
        assert lenient.verdict is UsccVerdict.VALID
    else:
        assert strict.verdict == UsccVerdict(expected), note
        assert lenient.verdict == UsccVerdict(expected), note


def test_valid_code_has_no_issue():
    # given / when
    result = validate_uscc("914403001922038216")

    # then
    assert result.ok is True
    assert result.normalized == "914403001922038216"
    assert result.failed_check is None
    assert result.issues == ()


def test_wrong_check_character_names_the_check():
    # given / when
    result = validate_uscc("914403001922038217")

    # then
    assert result.verdict is UsccVerdict.INVALID
    assert result.failed_check is UsccCheck.CHECK_CHARACTER
    assert result.malformed is False
    assert result.message == "第 18 位校验码错误，应为 6 / Wrong check character (position 18), expected 6"


def test_letter_outside_the_character_set_is_malformed():
    # given / when
    result = validate_uscc("91440300192203821I")

    # then
    assert result.failed_check is UsccCheck.CHARSET
    assert result.malformed is True
    assert result.message == (
        "含有不允许的字符 I（只允许数字和大写字母，不含 I、O、S、V、Z） / "
        "Contains characters not allowed: I (digits and upper-case letters only, no I, O, S, V, Z)"
    )


def test_lower_case_is_malformed_by_default():
    # given
    raw = "91421182MA48M66KxY"

    # when
    result = validate_uscc(raw)

    # then
    assert result.verdict is UsccVerdict.INVALID
    assert result.failed_check is UsccCheck.CHARSET
    assert result.normalized is None


def test_lower_case_is_upper_cased_with_a_warning_when_asked():
    # given
    raw = "91421182MA48M66KxY"

    # when
    result = validate_uscc(raw, normalize_case=True)

    # then
    assert result.verdict is UsccVerdict.VALID
    assert result.normalized == "91421182MA48M66KXY"
    assert [issue.code for issue in result.issues] == ["lower_case"]


def test_fujian_pilot_code_goes_to_review():
    # given
    raw = "91350211M0000XUF46"

    # when
    result = validate_uscc(raw)

    # then
    assert result.verdict is UsccVerdict.REVIEW
    assert result.ok is False
    assert result.normalized == "91350211M0000XUF46"
    assert result.failed_check is UsccCheck.CHECK_CHARACTER
    assert [issue.code for issue in result.issues] == ["pilot_code_review"]


def test_code_outside_fujian_failing_the_check_is_invalid_even_if_its_org_code_passes():
    # given: a real Hubei row whose organisation-code part passes GB 11714
    raw = "91420684179660622T"

    # when
    result = validate_uscc(raw)

    # then
    assert organisation_code_check_character(raw[8:16]) == raw[16]
    assert result.verdict is UsccVerdict.INVALID
    assert result.failed_check is UsccCheck.CHECK_CHARACTER


@pytest.mark.parametrize(
    ("raw", "check"),
    [
        ("", UsccCheck.EMPTY),
        ("91440300192203821", UsccCheck.LENGTH),
        ("000000000000000000", UsccCheck.REGISTRATION_AUTHORITY),
        ("9A4403001922038216", UsccCheck.CATEGORY),
        ("919903001922038216", UsccCheck.DIVISION),
        ("91A403001922038216", UsccCheck.DIVISION),
    ],
)
def test_structural_failures_name_their_check(raw, check):
    # given / when
    result = validate_uscc(raw)

    # then
    assert result.verdict is UsccVerdict.INVALID
    assert result.failed_check is check
    assert result.malformed is True


def test_full_width_input_is_folded():
    # given
    raw = " ９１４４０３００１９２２０３８２１６ "

    # when
    result = validate_uscc(raw)

    # then
    assert result.verdict is UsccVerdict.VALID
    assert result.normalized == "914403001922038216"


def test_check_character_functions():
    # given
    code = "91350100M000100Y43"

    # when
    gb_check = gb32100_check_character(code[:17])
    org_check = organisation_code_check_character(code[8:16])

    # then
    assert gb_check == "3"
    assert org_check == "4"


@pytest.mark.skipif(not HUBEI.exists(), reason="shared Hubei registration data not present")
def test_hubei_file_splits_into_39994_valid_72_malformed_8_failed_check():
    # given
    table = read_table(data=HUBEI)

    # when
    results = [validate_uscc(row.values["统一社会信用代码"]) for row in table.rows]
    split = Counter(
        "valid" if result.ok else "malformed" if result.malformed else str(result.failed_check) for result in results
    )

    # then
    assert len(table.rows) == 40_074
    assert split == {"valid": 39_994, "malformed": 72, "check_character": 8}
    assert sum(result.verdict is UsccVerdict.REVIEW for result in results) == 0
