"""How numbers read on every page and export: one convention for both languages (13,460 — a comma every three
digits, patent_platform/formats/zh_Hans), and one unit for response times (小时 in Chinese, h in English); and in
which order a bilingual "中文 / English" message reads (English first in the English UI)."""

from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language

from common.bilingual import english_first

EMPTY = "—"
# The unit of every response time; chosen by language (not gettext) so the English "h" needs no catalogue entry.
HOURS_UNITS = {"en": "h"}
HOURS_UNIT_DEFAULT = "小时"


def format_number(value: int | float | Decimal | None, *, decimals: int | None = None) -> str:
    """`value` with thousands separators in the active language (13,460; 1,234.5), `decimals` places if given
    (amounts, which are Decimal, default to two: 800,000.00); None reads as an em dash."""
    if value is None:
        return EMPTY
    if decimals is None and isinstance(value, Decimal):
        decimals = 2
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=get_format("NUMBER_GROUPING"),
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def hours_unit() -> str:
    """The response-time unit in the active language: 小时 or h."""
    return HOURS_UNITS.get((get_language() or "").split("-")[0], HOURS_UNIT_DEFAULT)


def format_hours(hours: float | str | None, *, decimals: int = 1) -> str:
    """A response time in hours with its unit: "31.5 小时" / "31.5 h"; None or "" (no answer yet, or a template
    variable that is not there) reads as an em dash."""
    if hours is None or hours == "":
        return EMPTY
    return f"{format_number(round(float(hours), decimals), decimals=decimals)} {hours_unit()}"


def with_hours_unit(label: str) -> str:
    """A column heading naming the unit: "首次响应中位数(小时)" / "Median first response (h)"."""
    unit = hours_unit()
    return f"{label}({unit})" if unit == HOURS_UNIT_DEFAULT else f"{label} ({unit})"


def bilingual(text: str) -> str:
    """A "中文 / English" message in the reader's order: "English / 中文" while English is active, else as it is.

    Messages are built and stored Chinese first (validators, services, import errors); this runs when they are shown
    (templates' `|bilingual`, the API's error handler, an import job's summary), so a stored one follows the reader.
    """
    if (get_language() or "").startswith("en"):
        return english_first(str(text))
    return text
