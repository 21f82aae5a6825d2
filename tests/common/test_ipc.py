"""Tests for common.validators.ipc."""

import pytest

from common.validators.ipc import normalize_ipc, parse_ipc_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("G06F16/35", "G06F 16/35"),
        ("G06F 16/35", "G06F 16/35"),
        ("g06f16/35", "G06F 16/35"),
        ("Ｇ０６Ｆ１６／３５", "G06F 16/35"),
        ("G06F0016350000", "G06F 16/35"),
        ("A01B0001000000", "A01B 1/00"),
        ("A01B0001100000", "A01B 1/10"),
        ("G06F 16/35(2019.01)", "G06F 16/35"),
        ("B64U20/80", "B64U 20/80"),
        ("B64U101/30", "B64U 101/30"),
        ("H04N5/225", "H04N 5/225"),
        ("G06F 018/2321", "G06F 18/2321"),
    ],
)
def test_codes_are_normalised(raw, expected):
    # given / when
    result = normalize_ipc(raw)

    # then
    assert str(result.value) == expected
    assert result.issues == ()


def test_parsed_code_parts():
    # given / when
    code = normalize_ipc("H04N5/225").value

    # then
    assert code is not None
    assert (code.section, code.subclass, code.main_group, code.subgroup) == ("H", "H04N", 5, "225")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Z06F16/35", "ipc_format"),
        ("G6F16/35", "ipc_format"),
        ("G06F 0/00", "ipc_format"),
        ("G06F16/3", "ipc_subgroup"),
        ("G06F", "ipc_subclass_only"),
    ],
)
def test_malformed_codes_name_the_problem(raw, code):
    # given / when
    result = normalize_ipc(raw)

    # then
    assert result.value is None
    assert [issue.code for issue in result.issues] == [code]


def test_malformed_code_message():
    # given / when
    result = normalize_ipc("G06F16/3")

    # then
    assert result.issues[0].message == (
        "IPC 分类号“G06F16/3”的小组号应至少 2 位（如 /00、/35） / "
        "The subgroup of IPC code 'G06F16/3' needs at least 2 digits (e.g. /00, /35)"
    )


def test_empty_code_is_no_value_and_no_issue():
    # given / when
    result = normalize_ipc("  ")

    # then
    assert result.value is None
    assert result.issues == ()


def test_list_from_a_patent_record():
    # given
    raw = "H04N5/225;H04N5/232;H04N5/76;H02J7/00"

    # when
    result = parse_ipc_list(raw)

    # then
    assert result.value == ["H04N 5/225", "H04N 5/232", "H04N 5/76", "H02J 7/00"]
    assert result.issues == ()


def test_list_with_mixed_separators_spaces_and_duplicates():
    # given
    raw = "G06F 16/35；G06N 3/08 | G06F16/35, A61K 31/00 G06Q 50/20、B64U20/80\nG06F 16 / 36 (2019.01)"

    # when
    result = parse_ipc_list(raw)

    # then
    assert result.value == ["G06F 16/35", "G06N 3/08", "A61K 31/00", "G06Q 50/20", "B64U 20/80", "G06F 16/36"]
    assert result.issues == ()


def test_list_keeps_good_codes_and_reports_bad_tokens():
    # given
    raw = "G06F16/35; XYZ; G06N3/08"

    # when
    result = parse_ipc_list(raw)

    # then
    assert result.value == ["G06F 16/35", "G06N 3/08"]
    assert [issue.code for issue in result.issues] == ["ipc_format"]
