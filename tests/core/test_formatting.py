"""Number and response-time formatting: one convention (13,460) in both languages, one unit (小时 / h)."""

from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import translation

from core.formatting import format_hours, format_number, hours_unit, with_hours_unit
from dashboards.responses import RESPONSE_BUCKET_CODES, response_bucket_label


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (13460, None, "13,460"),
        (999, None, "999"),
        (1234567, None, "1,234,567"),
        (-12000, None, "-12,000"),
        (1234.5, None, "1,234.5"),
        (Decimal("2000000.00"), 0, "2,000,000"),
        (Decimal("1234567.5"), 2, "1,234,567.50"),
        (Decimal("800000"), None, "800,000.00"),
        (None, None, "—"),
    ],
)
def test_format_number_groups_by_three_with_commas(language, value, decimals, expected):
    # given / when
    with translation.override(language):
        formatted = format_number(value, decimals=decimals)

    # then
    assert formatted == expected


@pytest.mark.parametrize(
    ("language", "hours", "expected"),
    [
        ("zh-hans", 31.46, "31.5 小时"),
        ("zh-hans", 1234.5, "1,234.5 小时"),
        ("zh-hans", 4, "4.0 小时"),
        ("en", 31.46, "31.5 h"),
        ("en", 1234.5, "1,234.5 h"),
        ("en", None, "—"),
        ("zh-hans", None, "—"),
        ("zh-hans", "", "—"),  # a template variable that is not there (an officer with no answered request)
    ],
)
def test_format_hours_one_unit_per_language(language, hours, expected):
    # given / when
    with translation.override(language):
        formatted = format_hours(hours)

    # then
    assert formatted == expected


def test_hours_unit_and_headings():
    # given / when
    with translation.override("zh-hans"):
        zh = (hours_unit(), with_hours_unit("首次响应时间中位数"))
    with translation.override("en"):
        en = (hours_unit(), with_hours_unit("Median first response time"))

    # then
    assert zh == ("小时", "首次响应时间中位数(小时)")
    assert en == ("h", "Median first response time (h)")


def test_humanize_intcomma_follows_the_same_convention_in_chinese():
    # given / when: Django's own zh_Hans formats would print 13460 (no separator, groups of four)
    with translation.override("zh-hans"):
        formatted = intcomma(13460)

    # then
    assert formatted == "13,460"


def test_template_filters():
    # given
    template = Template(
        "{% load numbers %}{{ a|num }}|{{ b|num:2 }}|{{ c|num }}|{{ d|num }}|{{ h|hours }}|{{ n|hours }}"
    )
    context = Context({"a": 13460, "b": Decimal("800000"), "c": "华中科技大学", "d": None, "h": 26.5, "n": None})

    # when
    with translation.override("zh-hans"):
        rendered = template.render(context)

    # then
    assert rendered == "13,460|800,000.00|华中科技大学|—|26.5 小时|—"


def test_response_bucket_labels_read_in_hours():
    # given / when
    with translation.override("zh-hans"):
        zh = [response_bucket_label(code) for code in RESPONSE_BUCKET_CODES]
    with translation.override("en"):
        en = [response_bucket_label(code) for code in RESPONSE_BUCKET_CODES]

    # then
    assert zh == ["≤24 小时", "24–72 小时", "72–168 小时", "168–336 小时", ">336 小时", "未答复"]
    assert en == ["≤24 h", "24–72 h", "72–168 h", "168–336 h", ">336 h", "No reply"]
