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


V = AppNumberVerdict

# (raw, keyword arguments, verdict, normalized, suggestion, error codes, warning codes)
CASES = [
    pytest.param(
        " ZL 2019 1020 9152.5 ", {}, V.VALID, "201910209152.5", None, [], [], id="prefix-and-spaces-stripped-silently"
    ),
    pytest.param(
        "２０１９１０２０９１５２.５",
        {},
        V.VALID_AFTER_NORMALISATION,
        "201910209152.5",
        None,
        [],
        ["full_width"],
        id="full-width-digits-folded-with-a-warning",
    ),
    pytest.param(
        "201280017678.x",
        {},
        V.VALID_AFTER_NORMALISATION,
        "201280017678.X",
        None,
        [],
        ["lower_case_x"],
        id="lower-case-x-upper-cased",
    ),
    pytest.param(
        "CN2019102091525",
        {},
        V.VALID_AFTER_NORMALISATION,
        "201910209152.5",
        None,
        [],
        ["missing_dot"],
        id="missing-dot-added-when-the-check-character-agrees",
    ),
    pytest.param("٢٠١٩١٠٢٠٩١٥٢.5", {}, V.INVALID, None, None, ["non_ascii_digits"], [], id="arabic-indic-digits"),
    pytest.param(
        "2286689.2",
        {},
        V.INVALID_EXCEL_COERCION,
        None,
        "02286689.2",
        ["excel_lost_leading_zero"],
        [],
        id="lost-leading-zero-repaired-as-a-suggestion",
    ),
    pytest.param(
        # 202311141102.0 typed into a numeric cell
        "202311141102",
        {},
        V.INVALID_EXCEL_COERCION,
        None,
        "202311141102.0",
        ["excel_lost_dot_zero"],
        [],
        id="dropped-dot-zero",
    ),
    pytest.param(
        # Excel keeps ".5", so a missing 5 is not Excel's doing
        "201910209152",
        {},
        V.INVALID,
        None,
        None,
        ["missing_check_digit"],
        [],
        id="missing-non-zero-check-digit-is-plain-invalid",
    ),
    pytest.param(
        "2.0191E+11",
        {},
        V.INVALID_EXCEL_COERCION,
        None,
        None,
        ["excel_scientific_notation"],
        [],
        id="lossy-scientific-notation",
    ),
    pytest.param(
        "2.02311141102E+11",
        {},
        V.INVALID_EXCEL_COERCION,
        None,
        "202311141102.0",
        ["excel_scientific_notation"],
        [],
        id="full-precision-scientific-notation-recovers-a-dot-zero-number",
    ),
    pytest.param(
        "201910209152.50000001",
        {},
        V.INVALID_EXCEL_COERCION,
        None,
        "201910209152.5",
        ["excel_float_artifact"],
        [],
        id="float-artefact-with-the-probable-number",
    ),
    pytest.param(
        "2286689.2000000002",
        {},
        V.INVALID_EXCEL_COERCION,
        None,
        "02286689.2",
        ["excel_float_artifact", "excel_lost_leading_zero"],
        [],
        id="float-artefact-and-lost-zero-both-named",
    ),
    pytest.param(
        "85100001",
        {},
        V.VALID,
        "85100001",
        None,
        [],
        ["no_check_digit_pre_1989"],
        id="pre-1989-accepted-with-a-warning",
    ),
    pytest.param(
        # a utility-model number declared as an invention
        "201620289943.5",
        {"patent_type": "发明"},
        V.INVALID,
        None,
        None,
        ["type_mismatch"],
        [],
        id="type-digit-contradicts-the-patent-type",
    ),
    *[
        pytest.param(
            "201620289943.5",
            {"patent_type": patent_type},
            V.VALID,
            "201620289943.5",
            None,
            [],
            [],
            id=f"type-digit-agrees-with-{name}",
        )
        for patent_type, name in [
            ("实用新型", "chinese"),
            (PatentType.UTILITY_MODEL, "enum"),
            ("utility model", "english"),
        ]
    ],
    pytest.param(
        "202311141102.0",
        {"today": date(2022, 12, 31)},
        V.INVALID,
        None,
        None,
        ["year_future"],
        [],
        id="year-after-today",
    ),
    *[
        pytest.param(raw, {}, V.INVALID, None, None, ["empty"], [], id=f"empty-{name}")
        for raw, name in [("", "string"), ("   ", "spaces"), (None, "none")]
    ],
    pytest.param("12345", {}, V.INVALID, None, None, ["length"], [], id="too-short"),
    pytest.param("ABC", {}, V.INVALID, None, None, ["format"], [], id="not-a-number"),
    pytest.param("2019102091.5", {}, V.INVALID, None, None, ["length"], [], id="ten-digit-body"),
]


@pytest.mark.parametrize(("raw", "kwargs", "verdict", "normalized", "suggestion", "errors", "warnings"), CASES)
def test_number_gets_its_verdict_and_names_the_problem(raw, kwargs, verdict, normalized, suggestion, errors, warnings):
    # given: `raw` as typed or as Excel left it (today is TODAY unless the case says otherwise)
    kwargs = {"today": TODAY, **kwargs}

    # when
    result = normalize_application_number(raw, **kwargs)

    # then
    assert result.verdict is verdict
    assert result.normalized == normalized
    assert result.suggestion == suggestion
    assert [issue.code for issue in result.errors] == errors
    assert [issue.code for issue in result.warnings] == warnings


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


def test_pre_1989_number_year_is_decoded():
    # given
    raw = "85100001"

    # when
    result = normalize_application_number(raw, today=TODAY)

    # then
    assert result.year == 1985


# (raw, keyword arguments, the first error's attribute, its text)
MESSAGES = [
    pytest.param(
        "2286689.2",
        {},
        "message",
        "Excel 把申请号当作数字，丢失了开头的 0：“2286689.2”应为 02286689.2；请把该列设为“文本”格式后重新填写 / "
        "Excel stored the number as numeric and dropped the leading zero: '2286689.2' should be 02286689.2; "
        "format the column as Text and enter it again",
        id="lost-leading-zero",
    ),
    pytest.param(
        "201910209152",
        {},
        "message_en",
        "the check character is missing (by the rule it would be 5); check the source record",
        id="missing-check-digit",
    ),
    pytest.param(
        "2.02311141102E+11",
        {},
        "message_en",
        "Excel showed the number in scientific notation (2.02311141102E+11); it reads 202311141102 and its "
        "check character is lost; format the column as Text and enter it again",
        id="full-precision-scientific-notation",
    ),
    pytest.param(
        "CN109918572B",
        {},
        "message",
        "CN109918572B 是公开（公告）号，不是申请号；请填写形如 201910209152.5 的申请号 / "
        "CN109918572B is a publication number, not an application number; give one like 201910209152.5",
        id="publication-number",
    ),
    pytest.param(
        "201620289943.5",
        {"patent_type": "发明"},
        "message",
        "类型位 2（实用新型）与专利类型“发明”不一致 / "
        "Type digit 2 (utility model) contradicts the patent type 'invention'",
        id="type-mismatch",
    ),
]


@pytest.mark.parametrize(("raw", "kwargs", "attribute", "text"), MESSAGES)
def test_error_message_explains_the_problem(raw, kwargs, attribute, text):
    # given / when
    result = normalize_application_number(raw, today=TODAY, **kwargs)

    # then
    assert getattr(result.errors[0], attribute) == text


def test_wrong_check_digit_message_with_row_and_field():
    # given
    result = normalize_application_number("201910209152.6", today=TODAY)

    # when
    message = result.errors[0].format(row=12, field_zh="申请号", field_en="application number")

    # then
    assert result.errors[0].code == "check_digit"
    assert message == "第12行 申请号: 校验位错误，应为 5 / Row 12, application number: wrong check digit, expected 5"


def test_pct_utility_model_digit_agrees_with_utility_model():
    # given: type digit 9 = PCT utility model (check digit computed for this body)
    raw = f"201390000001.{compute_check_digit('201390000001')}"

    # when
    result = normalize_application_number(raw, patent_type="实用新型", today=TODAY)

    # then
    assert result.verdict is AppNumberVerdict.VALID
    assert result.is_pct is True
    assert result.patent_type is PatentType.UTILITY_MODEL


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
