"""The look-up key of a typed application number: the canonical number in any spelling, else the digits so far."""

import pytest

from patents.filters import application_number_search_key


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("CN202310851648.9", "202310851648.9"),
        ("202310851648.9", "202310851648.9"),
        ("2023108516489", "202310851648.9"),
        ("ZL202310851648.9", "202310851648.9"),
        ("zl 2023 1085 1648.9", "202310851648.9"),
        ("ＣＮ２０２３１０８５１６４８．９", "202310851648.9"),
        ("２０２３１０８５１６４８。９", "202310851648.9"),
        ("CN2023108516", "2023108516"),
        ("ZL 2023 10", "202310"),
        ("锂电池", "锂电池"),
    ],
)
def test_application_number_search_key(typed, key):
    assert application_number_search_key(typed) == key
