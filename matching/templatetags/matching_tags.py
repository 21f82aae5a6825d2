"""Highlight the matched terms in a text, safely (escape first, then mark)."""

import re
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def highlight(text: str, terms: list[str]) -> SafeString:
    """Wrap every occurrence of the (escaped) terms in <mark>; longest terms first so 石油焦 beats 石油."""
    escaped = escape(text or "")
    words = sorted({escape(t) for t in (terms or []) for t in t.split(" ") if t.strip()}, key=len, reverse=True)
    if not words:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile("|".join(re.escape(w) for w in words))
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308


@register.filter
def percent(score: float) -> str:
    return f"{score * 100:.1f}%"


@register.filter
def points_change(rec: Any) -> str:
    """How far feedback moved a recommendation's score, in percentage points with its sign ("+17.9", "-3.1"),
    from the two percentages shown (so the shown figures add up)."""
    return f"{round(rec.final_score * 100, 1) - round(rec.score * 100, 1):+.1f}"
