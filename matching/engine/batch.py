"""Batch matching from CSV files: the pure core behind ``manage.py match_file``.

Input, UTF-8 (a BOM is accepted):

* patents: ``id,title,abstract[,claims]`` – claims may be empty or the column absent;
* needs: ``id,text``.

Output: ``need_id,patent_id,rank,score,terms`` – ``rank`` from 1 per need,
``score`` with 6 decimals, ``terms`` = the explaining terms joined by ``;``.
Errors in the input raise :class:`BatchInputError` with a Chinese and an
English message.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .documents import PatentText, enterprise_query_tokens, patent_tokens_many
from .explain import explain_many
from .rank import rank_index
from .tokenize import Tokenizer, default_tokenizer
from .vectorize import IndexConfig, fit_index

__all__ = [
    "BatchInputError",
    "MatchRow",
    "Need",
    "Patent",
    "match_files",
    "match_records",
    "read_needs_csv",
    "read_patents_csv",
    "write_results_csv",
]

PATENT_COLUMNS = ("id", "title", "abstract")  # "claims" is optional
NEED_COLUMNS = ("id", "text")
RESULT_COLUMNS = ("need_id", "patent_id", "rank", "score", "terms")


class BatchInputError(ValueError):
    """Invalid batch input; ``str()`` gives the message in Chinese, then English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class Patent:
    """One row of the patents file."""

    id: str
    title: str
    abstract: str
    claims: str = ""


@dataclass(frozen=True)
class Need:
    """One row of the needs file."""

    id: str
    text: str


@dataclass(frozen=True)
class MatchRow:
    """One row of the results file."""

    need_id: str
    patent_id: str
    rank: int
    score: float
    terms: tuple[str, ...]


def _read_rows(*, source: Path | str, required: Sequence[str], label: str) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file (path) or CSV text (str), validated against ``required`` columns."""
    if isinstance(source, Path):
        try:
            text = source.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BatchInputError(f"{label} 不是 UTF-8 编码", f"{label} is not UTF-8 encoded") from exc
    else:
        text = source.removeprefix("\ufeff")
    if not text.strip():
        raise BatchInputError(f"{label} 是空文件", f"{label} is empty")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in required if name not in header]
    if missing:
        names = ", ".join(missing)
        raise BatchInputError(
            f"{label} 缺少列: {names}（需要 {','.join(required)}）",
            f"{label} is missing column(s): {names} (expected {','.join(required)})",
        )
    rows = [row for row in reader if any((value or "").strip() for value in row.values() if isinstance(value, str))]
    if not rows:
        raise BatchInputError(f"{label} 没有数据行", f"{label} has a header but no data rows")
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        row_id = (row.get("id") or "").strip()
        if not row_id:
            raise BatchInputError(f"{label} 第 {line} 行缺少 id", f"{label} row {line} has an empty id")
        if row_id in seen:
            raise BatchInputError(f"{label} 中 id 重复: {row_id}", f"{label} has a duplicate id: {row_id}")
        seen.add(row_id)
    return rows


def read_patents_csv(source: Path | str, *, label: str = "patents") -> list[Patent]:
    """Parse the patents file (a path, or the CSV text itself)."""
    rows = _read_rows(source=source, required=PATENT_COLUMNS, label=label)
    return [
        Patent(
            id=row["id"].strip(),
            title=row.get("title") or "",
            abstract=row.get("abstract") or "",
            claims=row.get("claims") or "",
        )
        for row in rows
    ]


def read_needs_csv(source: Path | str, *, label: str = "needs") -> list[Need]:
    """Parse the needs file (a path, or the CSV text itself)."""
    rows = _read_rows(source=source, required=NEED_COLUMNS, label=label)
    return [Need(id=row["id"].strip(), text=row.get("text") or "") for row in rows]


def match_records(
    *,
    patents: Sequence[Patent],
    needs: Sequence[Need],
    top: int = 10,
    n_terms: int = 5,
    tokenizer: Tokenizer | None = None,
    config: IndexConfig | None = None,
    processes: int = 1,
) -> list[MatchRow]:
    """Index ``patents``, rank them for every need, explain each hit.

    A need sharing no term with any patent gets no rows.
    """
    if top < 1:
        raise ValueError("top must be >= 1")
    tok = tokenizer or default_tokenizer()
    docs = patent_tokens_many(
        patents=[PatentText(p.title, p.abstract, p.claims) for p in patents], tokenizer=tok, processes=processes
    )
    try:
        index = fit_index(documents=docs, patent_ids=[p.id for p in patents], config=config)
    except ValueError as exc:
        raise BatchInputError("专利文本中没有可检索的词语", "the patents contain no indexable words") from exc
    queries = index.transform_queries([enterprise_query_tokens(needs=n.text, tokenizer=tok) for n in needs])
    best = rank_index(index=index, queries=queries, k=min(top, len(patents)))
    terms = explain_many(index=index, queries=queries, patent_rows=best.indices, n_terms=n_terms)
    rows: list[MatchRow] = []
    for i, need in enumerate(needs):
        for rank, (patent_row, score) in enumerate(best.row(i), start=1):
            rows.append(MatchRow(need.id, index.patent_ids[patent_row], rank, score, tuple(terms[i][rank - 1])))
    return rows


def write_results_csv(*, rows: Sequence[MatchRow], path: Path) -> None:
    """Write the results file (UTF-8 without BOM, ``\\n`` line ends)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(RESULT_COLUMNS)
        for row in rows:
            writer.writerow([row.need_id, row.patent_id, row.rank, f"{row.score:.6f}", ";".join(row.terms)])


def match_files(
    *,
    patents_csv: Path,
    needs_csv: Path,
    out_csv: Path,
    top: int = 10,
    processes: int = 1,
) -> int:
    """Read both files, match, write ``out_csv``; returns the number of result rows."""
    patents = read_patents_csv(patents_csv, label=patents_csv.name)
    needs = read_needs_csv(needs_csv, label=needs_csv.name)
    rows = match_records(patents=patents, needs=needs, top=top, processes=processes)
    write_results_csv(rows=rows, path=out_csv)
    return len(rows)
