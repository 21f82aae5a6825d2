"""Matching of a file's headers against an alias table (each kind of import keeps its own table in its app:
patents.headers, enterprises.headers).

Matching compares keys made by :func:`header_key`: NFKC, case-insensitive, ignoring
whitespace, asterisks (required-field marks), ``.``/``_``/``-``/colons, and parenthesised
parts such as units or notes — so ``申请号*``, ``价格（万元）``, ``Application No.`` and
``公开（公告）号`` match the aliases ``申请号``, ``价格``, ``application no`` and ``公开号``.

Within one field the alias list is in priority order: when a file has several columns for
the same field (the 61-column tech-transfer export has 申请人 and 当前权利人), the column
matching the earliest alias wins and the others are reported in ``ignored_duplicates``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_IGNORED = re.compile(r"[\s*.:_\-]+")


def header_key(name: str) -> str:
    """Comparison key of a header: see the module docstring for what is ignored."""
    text = unicodedata.normalize("NFKC", name).casefold()
    stripped = _IGNORED.sub("", _BRACKETED.sub("", text))
    # A header that is nothing but a bracket, e.g. "(备注)", keeps its content.
    return stripped or _IGNORED.sub("", text)


@dataclass(frozen=True, slots=True)
class HeaderMapping:
    """Result of :func:`map_headers`.

    ``mapping`` goes from field name to the file's header text (use it to read
    ``row.values[mapping[field]]``); ``unknown_columns`` are headers matching no
    field; ``missing_required`` are required fields without a column, in the
    order given; ``ignored_duplicates`` lists, per field, the extra columns that
    matched a lower-priority alias and are not read.
    """

    mapping: dict[str, str]
    unknown_columns: list[str]
    missing_required: list[str]
    ignored_duplicates: dict[str, list[str]] = field(default_factory=dict)


def map_headers(
    headers: Sequence[str],
    aliases: Mapping[str, Sequence[str]],
    *,
    required: Iterable[str] = (),
) -> HeaderMapping:
    """Match a file's headers to fields through an alias table."""
    index = _alias_index(aliases)
    candidates: dict[str, list[tuple[int, int, str]]] = {}
    unknown: list[str] = []
    for position, header in enumerate(headers):
        hit = index.get(header_key(header))
        if hit is None:
            unknown.append(header)
            continue
        field_name, priority = hit
        candidates.setdefault(field_name, []).append((priority, position, header))
    mapping: dict[str, str] = {}
    ignored: dict[str, list[str]] = {}
    for field_name in aliases:
        found = sorted(candidates.get(field_name, []))
        if not found:
            continue
        mapping[field_name] = found[0][2]
        if len(found) > 1:
            # Reported in file order so the message follows the columns the user sees.
            ignored[field_name] = [header for _, _, header in sorted(found[1:], key=lambda item: item[1])]
    required_fields = list(required)
    unknown_required = [name for name in required_fields if name not in aliases]
    if unknown_required:
        raise ValueError(f"required fields not in the alias table: {unknown_required}")
    missing = [name for name in required_fields if name not in mapping]
    return HeaderMapping(mapping=mapping, unknown_columns=unknown, missing_required=missing, ignored_duplicates=ignored)


def _alias_index(aliases: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, int]]:
    """key -> (field, priority); two fields claiming one key is a bug in the table, so it raises."""
    index: dict[str, tuple[str, int]] = {}
    for field_name, names in aliases.items():
        # The field's own name matches too (a file exported by this platform), after every alias.
        for priority, name in enumerate([*names, field_name]):
            key = header_key(name)
            owner = index.get(key)
            if owner is not None and owner[0] != field_name:
                raise ValueError(f"alias {name!r} of {field_name!r} collides with field {owner[0]!r}")
            index.setdefault(key, (field_name, priority))
    return index
