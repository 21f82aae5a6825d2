"""Shared helpers for the matching-engine benchmarks: data loading, synthetic text, timing, tables.

Real data is read from ``../shared/data`` (override with ``MATCH_BENCH_DATA``).
Synthetic text is built only by recombining real sentences and is always
labelled as synthetic by the benchmarks.
"""

from __future__ import annotations

import csv
import os
import random
import re
import resource
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the project, on sys.path
    sys.path.insert(0, str(ROOT))

DATA = Path(os.environ.get("MATCH_BENCH_DATA", ROOT.parent / "shared" / "data"))

_SENTENCE_END = re.compile(r"(?<=[。；;！？])")


@dataclass(frozen=True)
class RealPatent:
    """One patent from KPPatent-ZH (``claims`` empty for abstract-only rows)."""

    title: str
    abstract: str
    claims: str
    keyphrases: tuple[str, ...]


def read_csv(path: Path) -> list[dict[str, str]]:
    """All rows of a UTF-8 (BOM tolerated) CSV file as dicts."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def kp_full() -> list[RealPatent]:
    """The 696 full KPPatent-ZH patents (title, abstract, claims, keyphrases)."""
    return [
        RealPatent(r["title"], r["abstract"], r["claims"], _phrases(r["keyphrases"]))
        for r in read_csv(DATA / "kppatent-zh" / "patents_full.csv")
    ]


def kp_abstracts() -> list[RealPatent]:
    """The 3,024 KPPatent-ZH abstracts with keyphrases (no title, no claims)."""
    return [
        RealPatent("", r["abstract"], "", _phrases(r["keyphrases"]))
        for r in read_csv(DATA / "kppatent-zh" / "patents_abstracts.csv")
    ]


def ipc_titles() -> list[tuple[str, frozenset[str]]]:
    """The 9,740 (title, IPC subclasses) pairs of cn-patent-ipc."""
    return [
        (r["title"], frozenset(s for s in r["ipc_subclasses"].split("|") if s))
        for r in read_csv(DATA / "cn-patent-ipc" / "titles_ipc.csv")
    ]


def ipc_title_labels() -> dict[str, frozenset[str]]:
    """IPC subclasses by title (cn-patent-ipc): the labels a synthetic patent inherits from its real title (titles
    drawn from KPPatent have none, like an inventory row without 分类号)."""
    labels: dict[str, frozenset[str]] = {}
    for title, subclasses in ipc_titles():
        labels[title] = labels.get(title, frozenset()) | subclasses
    return labels


def business_scopes() -> list[str]:
    """Real business scopes (经营范围) of Hubei enterprises, non-empty only (CC BY-NC-SA, bench use only)."""
    rows = read_csv(DATA / "hubei-enterprises" / "enterprises.csv")
    return [r["经营范围"] for r in rows if r["经营范围"].strip()]


def _phrases(raw: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in raw.split(",") if p.strip())


def sentences(text: str) -> list[str]:
    """Split Chinese text into sentence-like pieces (kept with their punctuation)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if len(s.strip()) > 4]


def synthetic_patents(*, n: int, seed: int = 7, target_chars: int = 680) -> list[tuple[str, str, str, str]]:
    """``n`` synthetic patents ``(id, title, abstract, claims)`` of ~``target_chars`` characters (~2 KB UTF-8).

    Each one takes a real title (cn-patent-ipc or KPPatent) and a real "base"
    patent, and fills abstract and claims with the base's sentences mixed with
    sentences of one other random patent, so vocabulary and topic structure stay
    realistic while texts do not repeat verbatim.
    """
    rng = random.Random(seed)
    bases = [(p.abstract, p.claims) for p in kp_full()] + [(p.abstract, "") for p in kp_abstracts()]
    pools = [sentences(a) + sentences(c) for a, c in bases]
    pools = [pool for pool in pools if pool]
    titles = [t for t, _ in ipc_titles()] + [p.title for p in kp_full() if p.title]
    out = []
    for i in range(n):
        base, other = rng.choice(pools), rng.choice(pools)
        abstract_parts: list[str] = []
        claim_parts: list[str] = []
        length = 0
        while length < target_chars:
            source = base if rng.random() < 0.7 else other
            sentence = rng.choice(source)
            (abstract_parts if length < target_chars * 0.4 else claim_parts).append(sentence)
            length += len(sentence)
        out.append((f"S{i:07d}", rng.choice(titles), "".join(abstract_parts), "".join(claim_parts)))
    return out


def synthetic_needs(*, n: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """``n`` enterprise queries ``(id, needs, business_scope)``: a real business scope
    (cycled when ``n`` exceeds the 40k rows) plus a synthetic need made of one or
    two real patent sentences."""
    rng = random.Random(seed)
    scopes = business_scopes()
    pool = [s for p in kp_full() + kp_abstracts() for s in sentences(p.abstract)]
    out = []
    for i in range(n):
        need = "".join(rng.sample(pool, rng.choice((1, 2))))
        out.append((f"E{i:07d}", need, scopes[i % len(scopes)]))
    return out


@contextmanager
def timer(store: dict[str, float], key: str) -> Iterator[None]:
    """Record the wall time of the block in ``store[key]`` (seconds)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        store[key] = time.perf_counter() - start


def best_of(fn: Callable[[], object], *, repeat: int) -> float:
    """Fastest wall time of ``repeat`` calls (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_note() -> str:
    """One-line note on machine load, since other work on a 2-core box skews timings."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def print_table(*, headers: Sequence[str], rows: Sequence[Sequence[object]], title: str = "") -> None:
    """Print a plain aligned text table (CJK-safe enough for ASCII headers)."""
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    if title:
        print(f"\n{title}")
    for j, row in enumerate(cells):
        print("  ".join(c.rjust(w) if j and _numeric(c) else c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if j == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.4f}" if abs(value) < 1 else f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+x]?[\d.,]+%?", text))
