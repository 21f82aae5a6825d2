"""The one parser of the whole numbers a request carries: ids and page numbers (URL paths, query strings, form fields
and API bodies all come through here).

Python's own tools are too generous for them: ``str.isdigit()`` accepts "²" (which ``int()`` then refuses) and
``int()`` reads every Unicode decimal digit ("٣٣٥" and "３３５" are 335), a sign, surrounding spaces and underscores
("+3_3_5 " is 335). An id or a page number here is ASCII digits 0-9 in their one spelling (no sign, no space, no
leading zero) within range, or it is not a number at all: another spelling can never reach the object it would
alias, and a number too large for a 64-bit column never reaches the database.
"""

import re
from typing import Final

ID_MAX: Final = 2**63 - 1  # the largest id a signed 64-bit column (bigint, SQLite's INTEGER) holds
PAGE_MAX: Final = 100_000  # far past the last page of any list here
ID_REGEX: Final = "[1-9][0-9]{0,18}"  # an id in a URL pattern: 1 to 19 digits (parse_id checks the range)
_WHOLE = re.compile(r"0|[1-9][0-9]{0,18}")  # [0-9], not \d: \d matches every Unicode decimal digit

# What a refused number is told (Chinese first, then English): forms, filters, serializers and pages say the same.
ID_MESSAGE: Final = "编号须为 ASCII 数字 0-9 写成的正整数 / An id is a positive whole number in ASCII digits 0-9"
PAGE_MESSAGE: Final = (
    f"页码须为 1–{PAGE_MAX} 之间、以 ASCII 数字 0-9 写成的整数 / "
    f"A page number is a whole number from 1 to {PAGE_MAX} in ASCII digits 0-9"
)
WHOLE_MESSAGE: Final = "须为 ASCII 数字 0-9 写成的整数 / A whole number in ASCII digits 0-9 is required"


def parse_whole(value: object, *, minimum: int, maximum: int) -> int | None:
    """`value` as a whole number in minimum..maximum: an int (not a bool) or a string of ASCII digits without sign,
    space or leading zero; None for anything else (other digits, signs, spaces, decimals, exponents, out of range)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _WHOLE.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value: object) -> int | None:
    """An object's id (1 .. 2**63 - 1), or None."""
    return parse_whole(value, minimum=1, maximum=ID_MAX)


def parse_page(value: object) -> int | None:
    """A page number or a page size (1 .. PAGE_MAX), or None."""
    return parse_whole(value, minimum=1, maximum=PAGE_MAX)


class IdConverter:
    """The `id` path converter (registered by core.apps): `<id:pk>` matches what parse_id accepts, nothing else, so
    a URL naming an object by another spelling of its id does not resolve (a 404)."""

    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"not an id: {value!r}")  # Django then tries the next pattern: in the end a 404
        return number

    def to_url(self, value: object) -> str:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"not an id: {value!r}")  # reverse() raises NoReverseMatch
        return str(number)
