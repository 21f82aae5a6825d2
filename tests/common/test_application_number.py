"""Tests for common.validators.application_number (pure Python, no database)."""

import csv
from datetime import date
from pathlib import Path

import pytest

from common.validators.application_number import (
    AppNumberVerdict,
    compute_check_digit,
    normalize_application_number,
)
from common.validators.patent_type import PatentType

DATA = Path(__file__).parent / "data"
TODAY = date(2025, 6, 1)


def _vectors() -> list[tuple[str, str, str]]:
    with open(DATA / "cn_application_numbers.csv", encoding="utf-8", newline="") as handle:
        return [(row["number"], row["expected"], row["note"]) for row in csv.DictReader(handle)]


def test_vector_file_has_47_numbers():
    # given / when
    vectors = _vectors()

    # then
    assert len(vectors) == 47


@pytest.mark.parametrize(("number", "expected", "note"), _vectors(), ids=[v[0] for v in _vectors()])
def test_vector_gets_its_listed_verdict(number, expected, note):
    # given: a number from the shared test-vector file

    # when
    result = normalize_application_number(number, today=TODAY)

    # then
    assert result.verdict == AppNumberVerdict(expected), note
    assert result.ok is expected.startswith("valid")
    assert (result.normalized is not None) is result.ok


def test_twelve_digit_number_is_decoded():
    # given
    raw = "201910209152.5"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.normalized == "201910209152.5"
    assert result.type_code == "1"
    assert result.patent_type is PatentType.INVENTION
    assert result.is_pct is False
    assert result.year == 2019
    assert result.serial == "0209152"
    assert result.check_digit == "5"
    assert result.errors == ()
    assert result.warnings == ()


def test_eight_digit_pct_number_is_decoded():
    # given
    raw = "00816422.3"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.normalized == "00816422.3"
    assert result.type_code == "8"
    assert result.patent_type is PatentType.INVENTION
    assert result.is_pct is True
    assert result.year == 2000
    assert result.serial == "16422"


def test_prefixes_and_spaces_are_stripped_without_counting_as_normalisation():
    # given
    raw = " ZL 2019 1020 9152.5 "

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.VALID
    assert result.normalized == "201910209152.5"


def test_wrong_check_digit_message_with_row_and_field():
    # given
    result = normalize_application_number("201910209152.6", today=TODAY)

    # when
    message = result.errors[0].format(row=12, field_zh="申请号", field_en="application number")

    # then
    assert result.errors[0].code == "check_digit"
    assert message == "第12行 申请号: 校验位错误，应为 5 / Row 12, application number: wrong check digit, expected 5"


def test_full_width_digits_are_folded_with_a_warning():
    # given
    raw = "２０１９１０２０９１５２.５"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.VALID_AFTER_NORMALISATION
    assert result.normalized == "201910209152.5"
    assert [issue.code for issue in result.warnings] == ["full_width"]


def test_lower_case_x_check_character_is_upper_cased():
    # given
    raw = "201280017678.x"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.VALID_AFTER_NORMALISATION
    assert result.normalized == "201280017678.X"
    assert [issue.code for issue in result.warnings] == ["lower_case_x"]


def test_missing_dot_is_added_when_the_check_character_agrees():
    # given
    raw = "CN2019102091525"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.VALID_AFTER_NORMALISATION
    assert result.normalized == "201910209152.5"
    assert [issue.code for issue in result.warnings] == ["missing_dot"]


def test_arabic_indic_digits_are_rejected():
    # given
    raw = "٢٠١٩١٠٢٠٩١٥٢.5"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID
    assert [issue.code for issue in result.errors] == ["non_ascii_digits"]


def test_lost_leading_zero_is_named_and_repaired_as_a_suggestion():
    # given
    raw = "2286689.2"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID_EXCEL_COERCION
    assert result.suggestion == "02286689.2"
    assert result.normalized is None
    assert result.errors[0].code == "excel_lost_leading_zero"
    assert result.errors[0].message == (
        "Excel 把申请号当作数字，丢失了开头的 0：“2286689.2”应为 02286689.2；请把该列设为“文本”格式后重新填写 / "
        "Excel stored the number as numeric and dropped the leading zero: '2286689.2' should be 02286689.2; "
        "format the column as Text and enter it again"
    )


def test_dropped_dot_zero_is_named():
    # given: 202311141102.0 typed into a numeric cell
    raw = "202311141102"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID_EXCEL_COERCION
    assert result.suggestion == "202311141102.0"
    assert [issue.code for issue in result.errors] == ["excel_lost_dot_zero"]


def test_missing_non_zero_check_digit_is_plain_invalid():
    # given: Excel keeps ".5", so a missing 5 is not Excel's doing
    raw = "201910209152"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID
    assert result.suggestion is None
    assert [issue.code for issue in result.errors] == ["missing_check_digit"]
    assert result.errors[0].message_en == (
        "the check character is missing (by the rule it would be 5); check the source record"
    )


def test_lossy_scientific_notation_is_named():
    # given
    raw = "2.0191E+11"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID_EXCEL_COERCION
    assert result.suggestion is None
    assert [issue.code for issue in result.errors] == ["excel_scientific_notation"]


def test_full_precision_scientific_notation_recovers_a_dot_zero_number():
    # given
    raw = "2.02311141102E+11"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID_EXCEL_COERCION
    assert result.suggestion == "202311141102.0"
    assert result.errors[0].message_en == (
        "Excel showed the number in scientific notation (2.02311141102E+11); it reads 202311141102 and its "
        "check character is lost; format the column as Text and enter it again"
    )


def test_float_artefact_is_named_with_the_probable_number():
    # given
    raw = "201910209152.50000001"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID_EXCEL_COERCION
    assert result.suggestion == "201910209152.5"
    assert [issue.code for issue in result.errors] == ["excel_float_artifact"]


def test_float_artefact_and_lost_zero_are_both_named():
    # given
    raw = "2286689.2000000002"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID_EXCEL_COERCION
    assert result.suggestion == "02286689.2"
    assert [issue.code for issue in result.errors] == ["excel_float_artifact", "excel_lost_leading_zero"]


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("CN109918572B", "CN109918572B"),
        ("CN1157005C", "CN1157005C"),
        ("cn 218751475 u", "CN218751475U"),
        ("CN115883397A", "CN115883397A"),
        ("ＣＮ １１５８８３３９７ Ａ", "CN115883397A"),
    ],
)
def test_publication_number_is_recognised(raw, number):
    # given / when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID_PUBLICATION_NUMBER
    assert [issue.code for issue in result.errors] == ["publication_number"]
    assert result.publication_number == number
    assert result.normalized is None


def test_publication_number_message():
    # given / when
    result = normalize_application_number("CN109918572B", today=TODAY)

    # then
    assert result.errors[0].message == (
        "CN109918572B 是公开（公告）号，不是申请号；请填写形如 201910209152.5 的申请号 / "
        "CN109918572B is a publication number, not an application number; give one like 201910209152.5"
    )


def test_pre_1989_number_is_accepted_with_a_warning():
    # given
    raw = "85100001"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.VALID
    assert result.normalized == "85100001"
    assert result.year == 1985
    assert [issue.code for issue in result.warnings] == ["no_check_digit_pre_1989"]


def test_type_digit_must_agree_with_the_given_patent_type():
    # given: a utility-model number declared as an invention
    raw = "201620289943.5"

    # when
    result = normalize_application_number(raw, patent_type="发明", today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID
    assert result.errors[0].code == "type_mismatch"
    assert result.errors[0].message == (
        "类型位 2（实用新型）与专利类型“发明”不一致 / "
        "Type digit 2 (utility model) contradicts the patent type 'invention'"
    )


@pytest.mark.parametrize("patent_type", ["实用新型", PatentType.UTILITY_MODEL, "utility model"])
def test_type_digit_agreeing_with_patent_type_is_valid(patent_type):
    # given / when
    result = normalize_application_number("201620289943.5", patent_type=patent_type, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.VALID


def test_pct_utility_model_digit_agrees_with_utility_model():
    # given: type digit 9 = PCT utility model (check digit computed for this body)
    raw = f"201390000001.{compute_check_digit('201390000001')}"

    # when
    result = normalize_application_number(raw, patent_type="实用新型", today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.VALID
    assert result.is_pct is True
    assert result.patent_type is PatentType.UTILITY_MODEL


def test_year_after_today_is_rejected():
    # given
    raw = "202311141102.0"

    # when
    result = normalize_application_number(raw, today=date(2022, 12, 31))

    # then
    assert result.verdict is AppNumberVerdict.INVALID
    assert [issue.code for issue in result.errors] == ["year_future"]


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_number_is_invalid(raw):
    # given / when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID
    assert [issue.code for issue in result.errors] == ["empty"]


@pytest.mark.parametrize(("raw", "code"), [("12345", "length"), ("ABC", "format"), ("2019102091.5", "length")])
def test_malformed_numbers_name_the_problem(raw, code):
    # given / when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.INVALID
    assert [issue.code for issue in result.errors] == [code]


def test_check_digit_worked_example():
    # given: 9·2 + 5·3 + 1·4 + 1·5 + 5·6 + 6·7 + 0·8 + 8·9 = 186, 186 mod 11 = 10
    body = "95115608"

    # when
    check = compute_check_digit(body)

    # then
    assert check == "X"


def test_check_digit_rejects_a_body_of_the_wrong_length():
    # given
    body = "1234567"

    # when / then
    with pytest.raises(ValueError, match="8 or 12 ASCII digits"):
        compute_check_digit(body)
