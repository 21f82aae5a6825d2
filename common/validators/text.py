"""Single-line text: names and titles hold no line breaks or control characters (they end up in e-mail headers).

Pure Python; ``core.validators.single_line_text`` wraps :func:`control_character_at` for forms and serializers.
"""

from __future__ import annotations

import re

from common.validators.issues import Issue, error

# C0 controls (tab and line breaks included), DEL, C1 controls (NEL among them), and the Unicode line and paragraph
# separators: any of them in a name or title breaks an e-mail header, a CSV export or a one-line display.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_RUN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def control_character_at(value: str) -> int | None:
    """The 1-based position of the first control or line-break character in ``value``, or None when it has none."""
    found = _CONTROL.search(value)
    return None if found is None else found.start() + 1


# The one message of the rule, both halves (forms, API and imports alike); %(position)d is the 1-based character.
SINGLE_LINE_MESSAGE_ZH = "不能包含换行或控制字符（第 %(position)d 个字符）"
SINGLE_LINE_MESSAGE_EN = "must not contain line breaks or control characters (character %(position)d)"


def single_line_issue(value: str) -> Issue | None:
    """The single-line rule as a validator Issue (code ``control_character``), or None when ``value`` obeys it."""
    position = control_character_at(value)
    if position is None:
        return None
    params = {"position": position}
    return error("control_character", SINGLE_LINE_MESSAGE_ZH % params, SINGLE_LINE_MESSAGE_EN % params)


def header_safe(value: str) -> str:
    """``value`` on one line for an e-mail header: every run of whitespace or control characters becomes one space."""
    return _CONTROL_RUN.sub(" ", value).strip()
