"""The labelled sets of bench/quality.py (its docstring describes them), development and reported queries apart."""

from __future__ import annotations

import random
from dataclasses import dataclass

import _common as C  # also puts the project root on sys.path
import numpy as np

from matching.engine import PatentText, read_stopwords

SEED = 42
DEV_SEED = 7
SHORT_SEED = 99
SHORT_SETS = ("short-full", "short-abs")


@dataclass
class LabelledSet:
    """Documents, queries, the relevant document rows of each query, and rows to exclude."""

    name: str
    docs: list[PatentText]
    queries: list[str]
    relevant: list[set[int]]
    exclude: list[int] | None
    note: str
    labels: list[list[str]] | None = None  # what fit_index may learn from (held-out query patents: empty)
    search: bool = False  # queries typed in the search box: plain tokens (not weighted as a need)


def build_sets(*, quick: bool) -> tuple[list[LabelledSet], list[LabelledSet]]:
    """``(development sets, reported sets)``: the three labelled sets of the module docstring, queries split."""
    ipc = C.ipc_titles()
    by_subclass: dict[str, set[int]] = {}
    for row, (_, subclasses) in enumerate(ipc):
        for sub in subclasses:
            by_subclass.setdefault(sub, set()).add(row)
    n_ipc = 500 if quick else 2000
    sample = random.Random(SEED).sample(range(len(ipc)), n_ipc)
    taken = set(sample)
    dev_sample = random.Random(DEV_SEED).sample([row for row in range(len(ipc)) if row not in taken], n_ipc)
    ipc_docs = [PatentText(title=title) for title, _ in ipc]
    # The class prior learns only from patents that are never a query (dev or reported): no query's own label leaks.
    held_out = taken | set(dev_sample)
    ipc_labels = [[] if row in held_out else sorted(subs) for row, (_, subs) in enumerate(ipc)]

    def ipc_set(name: str, rows: list[int]) -> LabelledSet:
        relevant = [set().union(*(by_subclass[s] for s in ipc[row][1])) - {row} for row in rows]
        mean = np.mean([len(r) for r in relevant])
        note = f"{len(rows)} title queries, relevant = shares an IPC subclass (mean {mean:.0f} docs)"
        return LabelledSet(name, ipc_docs, [ipc[row][0] for row in rows], relevant, rows, note, ipc_labels)

    full = C.kp_full()
    abstracts = C.kp_abstracts()
    if quick:
        abstracts = abstracts[:1000]

    def kp_set(name: str, docs: list[PatentText], patents: list[C.RealPatent], parity: int, what: str) -> LabelledSet:
        rows = [row for row in range(len(patents)) if row % 2 == parity]
        note = f"{len(rows)} keyphrase queries ({'even' if parity == 0 else 'odd'} rows) over {len(docs)} {what}"
        return LabelledSet(
            name, docs, ["，".join(patents[r].keyphrases) for r in rows], [{r} for r in rows], None, note
        )

    full_docs = [PatentText(p.title, p.abstract, p.claims) for p in full]
    abstract_docs = [PatentText(abstract=p.abstract) for p in abstracts]
    dev = [
        ipc_set("ipc", dev_sample),
        kp_set("kp-full", full_docs, full, 0, "full patents"),
        kp_set("kp-abs", abstract_docs, abstracts, 0, "abstracts"),
        short_set("short-full", full_docs, full, 0, "full patents"),
        short_set("short-abs", abstract_docs, abstracts, 0, "abstracts"),
    ]
    reported = [
        ipc_set("ipc", sample),
        kp_set("kp-full", full_docs, full, 1, "full patents"),
        kp_set("kp-abs", abstract_docs, abstracts, 1, "abstracts (user dict in-sample)"),
        short_set("short-full", full_docs, full, 1, "full patents"),
        short_set("short-abs", abstract_docs, abstracts, 1, "abstracts"),
    ]
    return dev, reported


def short_set(name: str, docs: list[PatentText], patents: list[C.RealPatent], parity: int, what: str) -> LabelledSet:
    """Short searches (module docstring): 2 or 3 keyphrases of each patent of the given row parity (seeded), typed
    as a search; relevant = every document whose text holds all of them. Rows with fewer than two usable
    keyphrases are skipped."""
    rng = random.Random(SHORT_SEED + parity)
    texts = [baseline_text(d).lower() for d in docs]
    stop = read_stopwords()
    holders: dict[str, set[int]] = {}

    def holding(phrase: str) -> set[int]:
        if phrase not in holders:
            holders[phrase] = {row for row, text in enumerate(texts) if phrase in text}
        return holders[phrase]

    queries: list[str] = []
    relevant: list[set[int]] = []
    for row in range(parity, len(patents), 2):
        usable = [
            p
            for p in dict.fromkeys(k.strip().lower() for k in patents[row].keyphrases)
            if len(p) >= 2 and p not in stop and p in texts[row]
        ]
        usable = [p for p in usable if not any(p != other and p in other for other in usable)]
        if len(usable) < 2:
            continue
        picked = rng.sample(usable, min(len(usable), rng.choice((2, 3))))
        queries.append(" ".join(picked))
        relevant.append(set.intersection(*(holding(p) for p in picked)))
    n_rel = [len(r) for r in relevant]
    note = (
        f"{len(queries)} searches of 2-3 keyphrases ({'even' if parity == 0 else 'odd'} rows) over {len(docs)} "
        f"{what}, relevant = holds them all (median {int(np.median(n_rel))}, mean {np.mean(n_rel):.1f} docs)"
    )
    return LabelledSet(name, docs, queries, relevant, None, note, search=True)


def baseline_text(doc: PatentText) -> str:
    """A document's fields as one text (what the baselines tokenize, and what a short query's phrases are found in)."""
    return "\n".join(part for part in (doc.title, doc.abstract, doc.claims) if part)
