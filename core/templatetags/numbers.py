"""Template filters for figures: `{{ n|num }}` (13,460), `{{ n|num:2 }}`, `{{ h|hours }}` (31.5 小时 / 31.5 h).
Text passes through `num` unchanged, so a table of mixed cells can use it on every cell."""

from decimal import Decimal

from django import template

from core.formatting import format_hours, format_number

register = template.Library()


@register.filter
def num(value: object, decimals: int | None = None) -> object:
    """Numbers with thousands separators (None → —); anything else (text, dates) unchanged."""
    if value is None:
        return format_number(None)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return format_number(value, decimals=decimals)


@register.filter
def hours(value: float | None) -> str:
    """A response time in hours with the unit of the active language."""
    return format_hours(value)


@register.filter
def percent(value: float | None, decimals: int = 1) -> str:
    """A share (0.523) as a percentage with the active language's separators (52.3%); None → —."""
    if value is None:
        return str(format_number(None))
    return f"{format_number(value * 100, decimals=decimals)}%"
