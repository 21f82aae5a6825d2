"""What an import needs from its kind, and the validation of a whole file against it (nothing is written here).

Validate everything, write once (docs/ARCHITECTURE.md): a kind-specific ImportSchema (patents.importers,
enterprises.importers) turns each raw row into clean field values or row errors; this module reads the file, maps
headers and collects the errors. The kinds' apps import this module; it imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone

from common.headers import map_headers
from common.tabular import UPLOAD_HEAD_BYTES, Table, TableError, check_upload, read_table


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one row: line as the user sees it in Excel, the field, the raw value, a bilingual message."""

    line: int
    field: str
    value: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def row_error(
    labels: Mapping[str, tuple[str, str]], line: int, name: str, value: str, code: str, zh: str, en: str
) -> RowError:
    """A row error whose message names the row and the column in both languages."""
    label_zh, label_en = labels[name]
    return RowError(line, name, value, code, f"第{line}行 {label_zh}: {zh} / Row {line}, {label_en}: {en}")


def row_too_long(
    labels: Mapping[str, tuple[str, str]], line: int, name: str, value: str, limit: int
) -> RowError | None:
    """The error of a cell longer than `limit` characters (its first 50 shown, asked to be shortened); None when it
    fits."""
    if len(value) <= limit:
        return None
    return row_error(
        labels,
        line,
        name,
        value[:50] + "…",
        "too_long",
        f"长度 {len(value)} 超过上限 {limit}，请删减",
        f"{len(value)} characters, more than the limit of {limit}; shorten it",
    )


def row_issue(labels: Mapping[str, tuple[str, str]], line: int, name: str, value: str, issue: Any) -> RowError:
    """A validator's Issue as a row error; warnings get the 'warn:' code prefix so they never reject the row."""
    label_zh, label_en = labels[name]
    code = issue.code if issue.is_error else f"warn:{issue.code}"
    return RowError(line, name, value, code, issue.format(row=line, field_zh=label_zh, field_en=label_en))


@dataclass
class ImportContext:
    """Who imports, for whom, and when (so "today" can be fixed in tests)."""

    user: Any
    institution: Any = None
    today: Any = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ValidationReport:
    """What validating a file found; nothing has been written yet."""

    table: Table | None
    valid: list[tuple[int, dict[str, Any]]]
    errors: list[RowError]
    warnings: list[RowError]
    unknown_columns: list[str]
    mapping: dict[str, str]
    fatal: str = ""  # the file as a whole could not be read (bad format, missing columns)

    @property
    def total_rows(self) -> int:
        return len(self.table) if self.table else 0

    @property
    def rejected_lines(self) -> set[int]:
        return {e.line for e in self.errors if e.line > 0}


class ImportSchema(Protocol):
    """What a kind of import must provide."""

    kind: str

    # read-only members: a schema may hold them in narrower types (a dict of lists, a tuple)
    @property
    def aliases(self) -> Mapping[str, Sequence[str]]: ...

    @property
    def required(self) -> Sequence[str]: ...

    @property
    def labels(self) -> Mapping[str, tuple[str, str]]: ...  # field -> (中文, English)

    def validate_row(
        self, line: int, raw: dict[str, str], context: ImportContext
    ) -> tuple[dict | None, list[RowError]]:
        """Clean one row (raw is keyed by field name) or report why not; warnings have code prefix 'warn:'."""

    def check_rows(self, rows: list[tuple[int, dict]], context: ImportContext) -> list[RowError]:
        """Checks across rows and against the database (duplicates in the file, conflicts with other owners)."""

    def write(self, rows: list[dict], context: ImportContext, progress: Callable[[int, int], None]) -> WriteCounts:
        """Upsert clean rows by their key; unchanged rows must not be touched."""


def upload_check(*, upload: Any) -> None:
    """The door check of every upload (web form and API): size, extension and first bytes; raises TableError.

    Reads only the first bytes and rewinds, so nothing is parsed in the request and nothing is stored on refusal.
    """
    size = getattr(upload, "size", None)
    limit = settings.UPLOAD_MAX_BYTES
    if isinstance(size, int) and size > limit:
        raise TableError(
            "file_too_large",
            f"文件大小 {size / 1048576:.1f} MB 超过上限 {limit / 1048576:.1f} MB，请拆分后分批上传 / "
            f"the file is {size / 1048576:.1f} MB, above the {limit / 1048576:.1f} MB limit; split it",
        )
    head = upload.read(UPLOAD_HEAD_BYTES)
    upload.seek(0)
    check_upload(filename=upload.name or "", head=head)


def table_limits() -> dict[str, int]:
    """The caps read_table applies to every import (settings, see README)."""
    return {
        "max_bytes": settings.UPLOAD_MAX_BYTES,
        "max_columns": settings.IMPORT_MAX_COLUMNS,
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_cells": settings.IMPORT_MAX_CELLS,
        "max_cell_chars": settings.IMPORT_MAX_CELL_CHARS,
        "max_shared_strings": settings.IMPORT_MAX_SHARED_STRINGS,
        "max_xml_part_bytes": settings.IMPORT_MAX_XML_PART_BYTES,
    }


def import_validate(*, schema: ImportSchema, data: Any, filename: str, context: ImportContext) -> ValidationReport:
    """Read and validate a whole file without writing anything."""
    try:
        table = read_table(data=data, filename=filename, **table_limits())
    except TableError as exc:
        return ValidationReport(None, [], [RowError(0, "", "", exc.code, exc.message)], [], [], {}, fatal=exc.message)
    headers = map_headers(table.headers, schema.aliases, required=schema.required)
    if headers.missing_required:
        missing = "、".join(schema.labels[f][0] for f in headers.missing_required)
        missing_en = ", ".join(schema.labels[f][1] for f in headers.missing_required)
        message = f"缺少必需的列：{missing} / Missing required columns: {missing_en}"
        error = RowError(1, "", "", "missing_columns", message)
        return ValidationReport(table, [], [error], [], headers.unknown_columns, headers.mapping, fatal=message)
    if context.today is None:
        context.today = timezone.localdate()  # once per file, not per row
    valid: list[tuple[int, dict]] = []
    errors: list[RowError] = []
    warnings = [RowError(0, "", "", w.code, w.message) for w in table.warnings]
    for line, values in table:
        raw = {name: values.get(column, "") for name, column in headers.mapping.items()}
        cleaned, problems = schema.validate_row(line, raw, context)
        row_errors = [p for p in problems if not p.code.startswith("warn:")]
        warnings.extend(p for p in problems if p.code.startswith("warn:"))
        if row_errors or cleaned is None:
            errors.extend(row_errors)
        else:
            valid.append((line, cleaned))
    cross = schema.check_rows(valid, context)
    warnings.extend(e for e in cross if e.code.startswith("warn:"))
    cross = [e for e in cross if not e.code.startswith("warn:")]
    if cross:
        errors.extend(cross)
        bad = {e.line for e in cross}
        valid = [(line, row) for line, row in valid if line not in bad]
    errors.sort(key=lambda e: (e.line, e.field))
    return ValidationReport(table, valid, errors, warnings, headers.unknown_columns, headers.mapping)
