"""Validation issues with bilingual (Chinese first, then English) messages.

Validators never raise for bad input: they return a result carrying a list of
:class:`Issue` objects.  The importer adds the row number and the column label
with :meth:`Issue.format`, giving messages such as
"第12行 申请号: 校验位错误，应为 5 / Row 12, application number: wrong check digit, expected 5".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Severity(StrEnum):
    """How bad an issue is: errors reject the value, warnings only inform."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a value.

    ``code`` is a stable machine-readable identifier (tests and the UI key on
    it); the two message halves are kept apart so callers can prefix each one
    in its own language.
    """

    code: str
    message_zh: str
    message_en: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        """True when the issue makes the value unusable."""
        return self.severity is Severity.ERROR

    @property
    def message(self) -> str:
        """The bilingual message without row or field context."""
        return self.format()

    def format(self, *, row: int | None = None, field_zh: str | None = None, field_en: str | None = None) -> str:
        """Render "第{row}行 {field_zh}: 中文 / Row {row}, {field_en}: English"."""
        zh_prefix = (f"第{row}行 " if row is not None else "") + (f"{field_zh}: " if field_zh else "")
        en_parts = [f"Row {row}" if row is not None else "", f"{field_en}" if field_en else ""]
        en_prefix = ", ".join(part for part in en_parts if part)
        english = f"{en_prefix}: {self.message_en}" if en_prefix else _capitalise(self.message_en)
        return f"{zh_prefix}{self.message_zh} / {english}"


def _capitalise(text: str) -> str:
    # Only the first letter: identifiers such as "IPC" or "X" inside must keep their case.
    return text[:1].upper() + text[1:]


def error(code: str, message_zh: str, message_en: str) -> Issue:
    """Shorthand for an error issue."""
    return Issue(code=code, message_zh=message_zh, message_en=message_en, severity=Severity.ERROR)


def warning(code: str, message_zh: str, message_en: str) -> Issue:
    """Shorthand for a warning issue."""
    return Issue(code=code, message_zh=message_zh, message_en=message_en, severity=Severity.WARNING)


@dataclass(frozen=True, slots=True)
class FieldResult(Generic[T]):
    """Outcome of parsing one field: the value and its issues.

    ``value`` is None either because the cell was empty (then ``issues`` is empty: whether the
    field is required is the importer's decision) or because it was unusable (then there is
    at least one error).
    """

    value: T | None
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when no error was found (warnings allowed)."""
        return not any(issue.is_error for issue in self.issues)

    @property
    def errors(self) -> tuple[Issue, ...]:
        """Only the error issues."""
        return tuple(issue for issue in self.issues if issue.is_error)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """Only the warning issues."""
        return tuple(issue for issue in self.issues if not issue.is_error)
