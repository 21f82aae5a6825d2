"""Tests for the closed-list field validators: patent type, transfer modes, legal status, price."""

import pytest

from common.validators.issues import Issue, Severity
from common.validators.legal_status import LegalStatus, parse_legal_status
from common.validators.patent_type import PatentType, parse_patent_type
from common.validators.price import PriceRange, parse_price
from common.validators.transfer_modes import TransferMode, parse_transfer_modes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("发明", PatentType.INVENTION),
        ("发明专利", PatentType.INVENTION),
        ("发明公开;发明授权", PatentType.INVENTION),
        ("Invention", PatentType.INVENTION),
        ("实用新型", PatentType.UTILITY_MODEL),
        ("utility model", PatentType.UTILITY_MODEL),
        ("utility_model", PatentType.UTILITY_MODEL),
        ("外观设计", PatentType.DESIGN),
        ("外观设计专利", PatentType.DESIGN),
        ("Design", PatentType.DESIGN),
    ],
)
def test_patent_type_labels(raw, expected):
    # given / when
    result = parse_patent_type(raw)

    # then
    assert result.value is expected
    assert result.issues == ()


@pytest.mark.parametrize(
    ("raw", "code"), [("专利", "unknown_patent_type"), ("发明;实用新型", "conflicting_patent_types")]
)
def test_patent_type_outside_the_list_is_an_error(raw, code):
    # given / when
    result = parse_patent_type(raw)

    # then
    assert result.value is None
    assert [issue.code for issue in result.issues] == [code]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("转让", [TransferMode.ASSIGNMENT]),
        ("转让、许可", [TransferMode.ASSIGNMENT, TransferMode.LICENCE]),
        ("许可；开放许可；作价入股", [TransferMode.LICENCE, TransferMode.OPEN_LICENCE, TransferMode.EQUITY]),
        ("作价入股/转让/转让", [TransferMode.EQUITY, TransferMode.ASSIGNMENT]),
        ("assignment, open licence", [TransferMode.ASSIGNMENT, TransferMode.OPEN_LICENCE]),
        ("Licence or equity", [TransferMode.LICENCE, TransferMode.EQUITY]),
        ("open license", [TransferMode.OPEN_LICENCE]),
        ("", []),
    ],
)
def test_transfer_modes(raw, expected):
    # given / when
    result = parse_transfer_modes(raw)

    # then
    assert result.value == expected
    assert result.issues == ()


def test_unknown_transfer_mode_is_reported_and_left_out():
    # given / when
    result = parse_transfer_modes("转让、赠送")

    # then
    assert result.value == [TransferMode.ASSIGNMENT]
    assert result.issues[0].message == (
        "无法识别的转化方式“赠送”，可选：转让、许可、开放许可、作价入股 / "
        "Unknown transfer mode '赠送', expected one of: assignment, licence, open licence, equity"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("有权", LegalStatus.IN_FORCE),
        ("有效", LegalStatus.IN_FORCE),
        ("授权", LegalStatus.IN_FORCE),
        ("有权-审定授权", LegalStatus.IN_FORCE),
        ("审中", LegalStatus.PENDING),
        ("实质审查", LegalStatus.PENDING),
        ("公开", LegalStatus.PENDING),
        ("审中-实质审查", LegalStatus.PENDING),
        ("失效", LegalStatus.NOT_IN_FORCE),
        ("无效", LegalStatus.NOT_IN_FORCE),
        ("失效-未缴年费专利权终止", LegalStatus.NOT_IN_FORCE),
        ("Lapsed", LegalStatus.NOT_IN_FORCE),
        ("In force", LegalStatus.IN_FORCE),
    ],
)
def test_legal_status_labels(raw, expected):
    # given / when
    result = parse_legal_status(raw)

    # then
    assert result.value is expected
    assert result.issues == ()


def test_unknown_legal_status_is_an_error():
    # given / when
    result = parse_legal_status("权利转移")

    # then
    assert result.value is None
    assert [issue.code for issue in result.issues] == ["unknown_legal_status"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10-20万", PriceRange(100_000, 200_000)),
        ("10万-20万元", PriceRange(100_000, 200_000)),
        ("10~20万元", PriceRange(100_000, 200_000)),
        ("面议", PriceRange(None, None, negotiable=True)),
        ("价格面议", PriceRange(None, None, negotiable=True)),
        ("50万元", PriceRange(500_000, 500_000)),
        ("100000", PriceRange(100_000, 100_000)),
        ("¥100,000", PriceRange(100_000, 100_000)),
        ("１.５亿", PriceRange(150_000_000, 150_000_000)),
        ("50万以上", PriceRange(500_000, None)),
        ("20万以内", PriceRange(None, 200_000)),
    ],
)
def test_prices(raw, expected):
    # given / when
    result = parse_price(raw)

    # then
    assert result.value == expected
    assert result.issues == ()


def test_bare_number_uses_the_column_unit():
    # given: a column titled 价格（万元）
    raw = "50"

    # when
    result = parse_price(raw, default_unit="万")

    # then
    assert result.value == PriceRange(500_000, 500_000)


def test_suspiciously_small_bare_amount_is_warned():
    # given / when
    result = parse_price("50")

    # then
    assert result.value == PriceRange(50, 50)
    assert [(issue.code, issue.severity) for issue in result.issues] == [("price_small", Severity.WARNING)]


def test_fractional_yuan_is_rounded_with_a_warning():
    # given / when
    result = parse_price("1.23456万")

    # then
    assert result.value == PriceRange(12_346, 12_346)
    assert result.issues[0].message == "金额 12345.6 元已四舍五入到 12346 元 / Amount 12345.6 rounded to 12346 yuan"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("30-10万", "price_range_reversed"),
        ("-5", "price_format"),
        ("约十万", "price_format"),
        ("99999999999万", "price_too_large"),
    ],
)
def test_unusable_prices(raw, code):
    # given / when
    result = parse_price(raw)

    # then
    assert result.value is None
    assert [issue.code for issue in result.issues] == [code]


def test_issue_format_without_context_capitalises_english():
    # given
    issue = Issue("x", "中文说明", "english text")

    # when / then
    assert issue.format() == "中文说明 / English text"
    assert issue.format(row=3) == "第3行 中文说明 / Row 3: english text"
