"""Text normalisation applied before word segmentation.

Everything here is a plain regular-expression pass over one string, so it is
fast (well above 50 MB/s) and backend-independent: both segmentation backends
see exactly the same cleaned string, which is what makes their outputs
comparable token for token.
"""

from __future__ import annotations

import re

__all__ = ["clean_text"]

# Full-width digits, letters and % (ＰＬＣ１０％). Rare, so a callback is cheap; a
# full NFKC pass would cost more than the whole segmentation.
_FULL_WIDTH = re.compile(r"[\uff05\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_TO_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}

# Multi-word patent and business-scope boilerplate that a stop-word list cannot
# catch token by token (the pieces, e.g. 特征 or 要求, are content words elsewhere).
# No pattern crosses a newline, so fields joined by newlines stay apart.
# The leading look-ahead lets the regex engine skip most positions quickly (~3x faster).
_BOILERPLATE = re.compile(
    r"(?=[根如按依权其本一许(（])(?:"
    r"(?:根据|如|按照|依据)?权利要求\s*\d*(?:\s*(?:[-~至或和、,，及]|到)\s*\d+)*\s*中?(?:任[一意]一?项|之一)?"
    r"(?:所述|所限定|所记载|记载)?的?"
    r"|其特征(?:在于|是|为)"
    r"|本(?:发明|实用新型|申请|公开|外观设计)"
    r"|依法须经批准的项目[^。;；\n]*"
    r"|(?:一般|许可)(?:经营)?项目[:：]?"
    r"|[(（](?:不含|除|国家|涉及|须|需|凭|依法|法律)[^)）\n]*[)）]"
    r")"
)

# Reference signs such as (6), （6a）, (12, 13) or (3-5).
_REFERENCE_SIGN = re.compile(r"[(（]\s*[a-z]?\d+[a-z'′]*(?:\s*[,，、\-~]\s*[a-z]?\d+[a-z'′]*)*\s*[)）]")

# Numbers: claim numbers, quantities, ranges, years. A number glued to a letter
# on its left is part of a name (co2, h2o) and kept; 3d/4g/5g are kept too. The
# unit left behind (mm, 份, 个) is a stop word, which is cheaper than one
# regex alternative per unit. The pattern starts with the digit itself (the context checks follow it), so the
# regex engine scans for digits instead of trying every position: ~1.6x faster than the same checks before it.
_NUMBER = re.compile(r"\d(?<![a-z0-9.]\d)(?![dg](?![a-z0-9]))\d*(?:\.\d+)?")

# Everything that is neither a jieba "han" character (U+4E00-U+9FD5, jieba's own
# range) nor ASCII alphanumerics: punctuation, emoji, control and zero-width
# characters. Replaced by a space, which both backends treat as a hard boundary.
_NON_TEXT = re.compile(r"[^\u4e00-\u9fd5a-z0-9]+")


def _half_width(match: re.Match[str]) -> str:
    return match.group().translate(_TO_HALF_WIDTH).lower()


def clean_text(text: str) -> str:
    """Return ``text`` lower-cased and stripped down to segmentable Chinese/Latin runs.

    Removes boilerplate phrases, reference signs, numbers, punctuation, emoji
    and control characters; each removal leaves a space so words on either side
    never fuse.
    """
    if not text:
        return ""
    folded = _FULL_WIDTH.sub(_half_width, text.lower())
    folded = _BOILERPLATE.sub(" ", folded)
    folded = _REFERENCE_SIGN.sub(" ", folded)
    folded = _NUMBER.sub(" ", folded)
    return _NON_TEXT.sub(" ", folded)
