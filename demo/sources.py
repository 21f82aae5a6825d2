"""The real records the demo is built from, read from demo_data/ (never from anywhere else), cleaned by rule.

Patents: the 696 full KPPatent-ZH patents and its 3,024 abstracts (IPC subclasses inferred, see demo.ipc_infer) and
the 9,740 cn-patent-ipc titles with their real IPC subclasses. A repeated publication number or abstract is read
once; a junk title (demo.titles) is replaced by one derived from the abstract, and a patent left without a title is
left out. Enterprises: the 3,000-row sample of the Hubei registrations.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from demo.titles import title_from_abstract, title_is_junk

DEMO_DIR = Path(settings.BASE_DIR) / "demo_data"
KPPATENT_FULL = DEMO_DIR / "kppatent-zh" / "patents_full.csv"
KPPATENT_ABSTRACTS = DEMO_DIR / "kppatent-zh" / "patents_abstracts.csv"
KPPATENT_IPC = DEMO_DIR / "kppatent-zh" / "ipc_inferred.csv"
TITLES_IPC = DEMO_DIR / "cn-patent-ipc" / "titles_ipc.csv"
ENTERPRISES = DEMO_DIR / "hubei-enterprises-sample" / "enterprises_sample.csv"
UNIVERSITIES = DEMO_DIR / "cn-universities" / "universities.csv"


@dataclass(frozen=True)
class PatentRow:
    """One demo patent's texts. `key` identifies it across loads: its publication number, else its row in the source
    ("full-31", "abstract-7"; numbered from 0), or "synthetic-<n>"."""

    key: str
    publication_number: str
    title: str
    abstract: str
    claims: str
    ipc: tuple[str, ...]
    ipc_inferred: bool = False


@dataclass(frozen=True)
class EnterpriseRow:
    """One enterprise of the registration sample (the columns load_demo uses)."""

    name: str
    uscc: str
    registered: str
    region: str
    business_scope: str


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def kppatent_texts() -> dict[str, tuple[str, str]]:
    """The KPPatent-ZH patents by key: (a usable title or "", abstract) — first occurrence of a repeated key."""
    texts: dict[str, tuple[str, str]] = {}
    for index, row in enumerate(read_csv(KPPATENT_FULL)):
        title = "" if title_is_junk(row["title"]) else row["title"].strip()
        texts.setdefault(row["publication_number"] or f"full-{index}", (title, row["abstract"].strip()))
    for index, row in enumerate(read_csv(KPPATENT_ABSTRACTS)):
        texts.setdefault(f"abstract-{index}", ("", row["abstract"].strip()))
    return texts


def _inferred_ipc() -> dict[str, tuple[str, ...]]:
    return {row["key"]: tuple(c for c in row["ipc_subclasses"].split("|") if c) for row in read_csv(KPPATENT_IPC)}


@cache
def real_patent_rows() -> tuple[PatentRow, ...]:
    """Every real patent of the demo, in a fixed order (full texts, abstracts, titles), junk titles left out."""
    real_ipc = {row["publication_number"]: tuple(row["ipc_subclasses"].split("|")) for row in read_csv(TITLES_IPC)}
    inferred = _inferred_ipc()
    rows: list[PatentRow] = []
    seen: set[str] = set()  # keys, publication numbers and abstracts already read

    def add(row: PatentRow) -> None:
        marks = {row.key, row.publication_number, row.abstract} - {""}
        if marks & seen or title_is_junk(row.title):
            return
        seen.update(marks)
        rows.append(row)

    for index, row in enumerate(read_csv(KPPATENT_FULL)):
        number, abstract = row["publication_number"], row["abstract"].strip()
        key = number or f"full-{index}"  # 32 rows of the source have no publication number
        title = row["title"].strip()
        if title_is_junk(title):
            title = title_from_abstract(abstract)
        ipc = real_ipc.get(number) or inferred.get(key, ())
        add(PatentRow(key, number, title, abstract, row["claims"].strip(), ipc, number not in real_ipc))
    for index, row in enumerate(read_csv(KPPATENT_ABSTRACTS)):
        key, abstract = f"abstract-{index}", row["abstract"].strip()
        add(PatentRow(key, "", title_from_abstract(abstract), abstract, "", inferred.get(key, ()), True))
    for row in read_csv(TITLES_IPC):
        number = row["publication_number"]
        add(PatentRow(number, number, row["title"].strip(), "", "", real_ipc[number]))
    return tuple(rows)


def real_enterprise_rows() -> list[EnterpriseRow]:
    return [
        EnterpriseRow(
            name=row["企业名称"].strip(),
            uscc=row["统一社会信用代码"].strip(),
            registered=row["注册日期"],
            region=row["地区"],
            business_scope=row["经营范围"].strip("；; "),
        )
        for row in read_csv(ENTERPRISES)
    ]
