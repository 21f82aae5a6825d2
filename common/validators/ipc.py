"""IPC classification codes (分类号), normalised to the form ``G06F 16/35``.

Accepted spellings: ``G06F16/35``, ``G06F 16/35``, ``g06f16/35``, full-width characters,
the 14-character WIPO master-file form ``G06F0016350000``, and a trailing version
such as ``G06F 16/35(2019.01)``. Form: section A-H, class 2 digits, subclass letter,
main group 1-4 digits (not 0), subgroup at least 2 digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.validators._text import excerpt, nfkc
from common.validators.issues import FieldResult, Issue, error

_SPACED = re.compile(r"(?P<subclass>[A-H][0-9]{2}[A-Z])\s*(?P<main>[0-9]{1,4})\s*/\s*(?P<sub>[0-9]{1,6})")
_MASTER_FILE = re.compile(r"(?P<subclass>[A-H][0-9]{2}[A-Z])(?P<main>[0-9]{4})(?P<sub>[0-9]{6})")
_VERSION = re.compile(r"\s*\([0-9]{4}\.[0-9]{2}\)")
_SLASH = re.compile(r"\s*/\s*")
_SUBCLASS_ONLY = re.compile(r"[A-H][0-9]{2}[A-Z]")
_HARD_SEPARATORS = re.compile(r"[;,|、\n]+")
_GROUP_START = re.compile(r"[0-9]")


@dataclass(frozen=True, slots=True)
class IpcCode:
    """A parsed IPC code; ``str()`` gives the normalised form."""

    subclass: str  # e.g. "G06F" (section + class + subclass letter)
    main_group: int
    subgroup: str  # digits as written, at least two ("00", "35", "225")

    @property
    def section(self) -> str:
        """The section letter A-H."""
        return self.subclass[0]

    def __str__(self) -> str:
        return f"{self.subclass} {self.main_group}/{self.subgroup}"


def normalize_ipc(raw: str | None) -> FieldResult[IpcCode]:
    """Parse one IPC code; an empty cell gives ``value=None`` without issues."""
    text = _VERSION.sub("", nfkc(raw or "").strip().upper())
    if not text:
        return FieldResult(None)
    match = _SPACED.fullmatch(text)
    if match:
        subgroup = match["sub"]
        if len(subgroup) < 2:
            return FieldResult(None, (_short_subgroup(text),))
    else:
        match = _MASTER_FILE.fullmatch(text)
        if not match:
            return FieldResult(None, (_subclass_only(text) if _SUBCLASS_ONLY.fullmatch(text) else _bad(text),))
        # Master-file subgroups are left-aligned and zero-filled: "350000" is /35, "000000" is /00.
        subgroup = match["sub"].rstrip("0").ljust(2, "0")
    main_group = int(match["main"])
    if main_group == 0:
        return FieldResult(None, (_bad(text),))
    return FieldResult(IpcCode(subclass=match["subclass"], main_group=main_group, subgroup=subgroup))


def parse_ipc_list(raw: str | None) -> FieldResult[list[str]]:
    """Split a list of IPC codes on ; ； , ， | 、 newlines and whitespace, normalise each, drop duplicates.

    Whitespace is a separator too, but "G06F 16/35" must stay one code, so a
    bare subclass token is glued to a following token that starts with a digit.
    The value lists every code that parsed; each bad token adds an error.
    """
    codes: list[str] = []
    issues: list[Issue] = []
    text = _SLASH.sub("/", _VERSION.sub("", nfkc(raw or "")))
    for token in _tokens(text):
        result = normalize_ipc(token)
        issues.extend(result.issues)
        if result.value is not None and str(result.value) not in codes:
            codes.append(str(result.value))
    return FieldResult(codes, tuple(issues))


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for chunk in _HARD_SEPARATORS.split(text):
        words = chunk.split()
        index = 0
        while index < len(words):
            word = words[index]
            following = words[index + 1] if index + 1 < len(words) else ""
            if _SUBCLASS_ONLY.fullmatch(word.upper()) and _GROUP_START.match(following):
                word, index = f"{word} {following}", index + 1
            tokens.append(word)
            index += 1
    return tokens


def _bad(text: str) -> Issue:
    return error(
        "ipc_format",
        f"IPC 分类号“{excerpt(text)}”格式不正确，应类似 G06F 16/35",
        f"malformed IPC code '{excerpt(text)}', expected something like G06F 16/35",
    )


def _short_subgroup(text: str) -> Issue:
    return error(
        "ipc_subgroup",
        f"IPC 分类号“{excerpt(text)}”的小组号应至少 2 位（如 /00、/35）",
        f"the subgroup of IPC code '{excerpt(text)}' needs at least 2 digits (e.g. /00, /35)",
    )


def _subclass_only(text: str) -> Issue:
    return error(
        "ipc_subclass_only",
        f"IPC 分类号“{text}”只到小类，缺少大组/小组（如 {text} 16/35）",
        f"IPC code '{text}' stops at the subclass; main group and subgroup are missing (e.g. {text} 16/35)",
    )
