"""Text clean-up shared by the field validators."""

from __future__ import annotations

import re
import unicodedata

# Characters that survive NFKC yet are invisible: they come from copy-paste out of web pages and Word.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_WHITESPACE_RUN = re.compile(r"\s+")


def nfkc(value: str) -> str:
    """NFKC-normalise and drop invisible characters (full-width digits and letters become ASCII)."""
    return unicodedata.normalize("NFKC", value).translate(_INVISIBLE)


def clean(value: str | None) -> str:
    """NFKC-normalise, strip, and collapse inner whitespace runs to one space; ``None`` becomes ""."""
    if value is None:
        return ""
    return _WHITESPACE_RUN.sub(" ", nfkc(str(value))).strip()


def has_non_ascii_digit(value: str) -> bool:
    """True if ``value`` holds a decimal digit outside 0-9 (Arabic-Indic, Devanagari ...).

    ``str.isdigit`` and ``int()`` accept those digits, so validators must use
    explicit ``[0-9]`` classes and reject such input rather than read it as ASCII.
    """
    return any(char.isdecimal() and not ("0" <= char <= "9") for char in value)


def excerpt(value: str, limit: int = 40) -> str:
    """Shorten a value quoted in a message: a 100,000-character cell must not become a 100,000-character error."""
    return value if len(value) <= limit else value[: limit - 1] + "…"
