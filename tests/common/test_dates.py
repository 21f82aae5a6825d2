"""Tests for common.validators.dates."""

from datetime import date

import pytest

from common.validators.dates import check_grant_not_before_application, excel_serial_to_date, parse_date

TODAY = date(2024, 1, 1)


@pytest.mark.parametrize(
    "raw",
    [
        "2023-03-28",
        "2023/3/28",
        "2023.3.28",
        "20230328",
        "2023年3月28日",
        "2023年03月28号",
        "2023-03-28 00:00:00",
        "2023/3/28 0:00",
        "2023-03-28T08:30:00",
        " ２０２３－０３－２８ ",
    ],
)
def test_accepted_formats(raw):
    # given / when
    result = parse_date(raw, today=TODAY)

    # then
    assert result.value == date(2023, 3, 28)
    assert result.issues == ()


def test_excel_serial_number_is_converted_with_a_warning():
    # given
    raw = "44648"

    # when
    result = parse_date(raw, today=TODAY)

    # then
    assert result.value == date(2022, 3, 28)
    assert [issue.code for issue in result.issues] == ["excel_serial_date"]
    assert result.ok is True


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (61, date(1900, 3, 1)), (44648, date(2022, 3, 28))],
)
def test_excel_serial_conversion_around_the_1900_leap_year_bug(serial, expected):
    # given / when
    value = excel_serial_to_date(serial)

    # then
    assert value == expected


@pytest.mark.parametrize("serial", [0, 60])
def test_excel_serials_without_a_real_day_are_refused(serial):
    # given / when / then
    with pytest.raises(ValueError, match="Excel serial"):
        excel_serial_to_date(serial)


def test_future_date_is_rejected():
    # given
    raw = "2024-01-02"

    # when
    result = parse_date(raw, today=TODAY)

    # then
    assert result.value is None
    assert result.issues[0].code == "date_future"
    assert result.issues[0].message == (
        "日期 2024-01-02 晚于今天（2024-01-01） / Date 2024-01-02 is in the future (today is 2024-01-01)"
    )


def test_today_is_not_future():
    # given / when
    result = parse_date("2024-01-01", today=TODAY)

    # then
    assert result.value == date(2024, 1, 1)


def test_date_before_the_patent_law_is_implausible():
    # given / when
    too_early = parse_date("1985-03-31", today=TODAY)
    first_day = parse_date("1985-04-01", today=TODAY)

    # then
    assert too_early.value is None
    assert [issue.code for issue in too_early.issues] == ["date_too_early"]
    assert first_day.value == date(1985, 4, 1)


def test_other_earliest_bound_for_enterprise_dates():
    # given
    raw = "1978-05-27"

    # when
    result = parse_date(raw, today=TODAY, earliest=None)

    # then
    assert result.value == date(1978, 5, 27)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2023-02-30", "date_invalid"),
        ("20231301", "date_invalid"),
        ("28/03/2023", "date_ambiguous"),
        ("2023", "date_year_only"),
        ("明天", "date_format"),
        ("00060", "date_format"),
    ],
)
def test_unusable_dates_name_the_problem(raw, code):
    # given / when
    result = parse_date(raw, today=TODAY)

    # then
    assert result.value is None
    assert [issue.code for issue in result.issues] == [code]


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_cell_is_no_value_and_no_issue(raw):
    # given / when
    result = parse_date(raw, today=TODAY)

    # then
    assert result.value is None
    assert result.issues == ()


def test_grant_before_application_is_reported():
    # given
    application, grant = date(2022, 12, 2), date(2022, 12, 1)

    # when
    issue = check_grant_not_before_application(application_date=application, grant_date=grant)

    # then
    assert issue is not None
    assert issue.message == (
        "授权日 2022-12-01 早于申请日 2022-12-02 / Grant date 2022-12-01 is before the application date 2022-12-02"
    )


@pytest.mark.parametrize(
    ("application", "grant"),
    [
        (date(2022, 12, 2), date(2023, 3, 28)),
        (date(2022, 12, 2), date(2022, 12, 2)),
        (None, date(2023, 1, 1)),
        (date(2023, 1, 1), None),
    ],
)
def test_grant_order_is_fine_or_not_checkable(application, grant):
    # given / when
    issue = check_grant_not_before_application(application_date=application, grant_date=grant)

    # then
    assert issue is None
