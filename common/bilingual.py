"""Bilingual messages: "中文 / English" (Chinese first, as they are built and stored) read "English / 中文" by a reader
of the English UI. Pure Python: core.formatting.bilingual applies it for the active language at display time.

The messages of the platform join their two halves with " / " (validators' Issue.format, the imports' row errors,
services' errors); the Chinese half holds Chinese characters, the English half starts with a Latin letter, a digit,
a quote or a bracket. Either half may hold a " / " of its own ("invention / utility model", a Chinese name quoted in
the English half), so the split chosen is the one that leaves the fewest Chinese characters on the English side
(the earliest such one): a text with no such split is returned unchanged.
"""

from __future__ import annotations

import re

_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_SEPARATOR = re.compile(r"\s*/\s+(?=[A-Za-z0-9\"'(\[“‘%])")


def english_first(text: str) -> str:
    """ "中文 / English" → "English / 中文" (the English half capitalised); any other text unchanged."""
    best: tuple[int, str, str] | None = None
    for match in _SEPARATOR.finditer(text):
        chinese, english = text[: match.start()], text[match.end() :]
        if not _CHINESE.search(chinese) or not english.strip():
            continue
        score = len(_CHINESE.findall(english))
        if best is None or score < best[0]:
            best = (score, chinese, english)
    if best is None:
        return text
    _, chinese, english = best
    return f"{english[:1].upper()}{english[1:]} / {chinese}"
