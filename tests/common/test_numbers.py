"""Tests for common.numbers: the one parser of ids and page numbers (pure Python, no database)."""

import pytest

from common.numbers import ID_MAX, PAGE_MAX, IdConverter, parse_id, parse_page, parse_whole

NOT_NUMBERS = [
    "²",  # str.isdigit() accepts it, int() does not
    "٣٣٥",  # Arabic-Indic: int() reads 335
    "۳۳۵",  # Extended Arabic-Indic: int() reads 335
    "３３５",  # full-width: int() reads 335
    "𝟑𝟑𝟓",  # mathematical bold: int() reads 335
    "335.0",
    "+335",
    "-1",
    "0335",
    "0x1",
    "1e3",
    "3_3_5",
    " 335",
    "335 ",
    "335\n",
    "",
    "abc",
    None,
    True,
    335.0,
    [335],
]


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_anything_but_ascii_digits_is_no_id_and_no_page(value):
    # when / then
    assert parse_id(value) is None
    assert parse_page(value) is None


def test_ids_are_ascii_digits_or_ints_from_1_to_the_64_bit_maximum():
    # when / then
    assert [parse_id(v) for v in ("1", "335", "9223372036854775807", 1, 335, ID_MAX)] == [
        1,
        335,
        ID_MAX,
        1,
        335,
        ID_MAX,
    ]
    assert [parse_id(v) for v in ("0", 0, "9223372036854775808", 2**63, "99999999999999999999", -1)] == [None] * 6


def test_pages_run_from_1_to_page_max():
    # when / then
    assert [parse_page(v) for v in ("1", "2", str(PAGE_MAX), 7)] == [1, 2, PAGE_MAX, 7]
    assert [parse_page(v) for v in ("0", str(PAGE_MAX + 1), PAGE_MAX + 1)] == [None, None, None]


def test_a_whole_number_may_be_zero_when_the_range_says_so():
    # when / then
    assert parse_whole("0", minimum=0, maximum=10) == 0
    assert parse_whole("10", minimum=0, maximum=10) == 10
    assert parse_whole("11", minimum=0, maximum=10) is None
    assert parse_whole("00", minimum=0, maximum=10) is None


def test_the_path_converter_reads_ids_and_refuses_the_rest():
    # given
    converter = IdConverter()
    # when / then
    assert converter.to_python("335") == 335
    assert converter.to_url(335) == "335"
    assert converter.to_url("335") == "335"
    for value in ("9223372036854775808", "0"):
        with pytest.raises(ValueError, match="not an id"):
            converter.to_python(value)
    for bad in (0, "٣٣٥", None):
        with pytest.raises(ValueError, match="not an id"):
            converter.to_url(bad)
