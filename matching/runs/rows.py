"""A chunk's recommendation rows as arrays, and their PostgreSQL COPY text — no per-row Python objects.

The explaining terms of every (enterprise, patent) pair come as term numbers from the engine
(``matching.engine.explain_pairs``, one compiled pass over both sparse rows); :func:`terms_json` turns them into the
stored JSON lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np

COPY_COLUMNS = ("run_id", "enterprise_id", "patent_id", "rank", "score", "semantic", "final_score", "terms")
# The columns' binary types (big-endian), as the migrations create them: bigint keys, smallint rank, double
# precision scores; matching.runs.writes checks them against the model's database types before the first COPY.
COPY_TYPES = {
    "run_id": ("bigint", ">i8"),
    "enterprise_id": ("bigint", ">i8"),
    "patent_id": ("bigint", ">i8"),
    "rank": ("smallint", ">i2"),
    "score": ("double precision", ">f8"),
    "semantic": ("double precision", ">f8"),
    "final_score": ("double precision", ">f8"),
    "terms": ("jsonb", ""),
}
# Each row: its number of fields, then each field's byte size and bytes; the terms' bytes follow the fixed part.
_ROW_HEAD = np.dtype(
    [("fields", ">i2")]
    + [pair for name in COPY_COLUMNS[:-1] for pair in ((f"{name}_size", ">i4"), (name, COPY_TYPES[name][1]))]
    + [("terms_size", ">i4")]
)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")  # signature, flags, extension
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)


def terms_json(*, terms: list[str], term_ids: np.ndarray) -> list[str]:
    """Each row of term numbers (-1 only after the terms) as the JSON list of its terms (Recommendation.terms)."""
    used = np.unique(term_ids[term_ids >= 0])
    pieces = np.full(len(terms) + 1, "", dtype=object)  # the last one stands for -1
    pieces[used] = [json.dumps(terms[t], ensure_ascii=False) for t in used.tolist()]
    following = np.full(len(terms) + 1, "", dtype=object)
    following[used] = ", " + pieces[used]
    slots = np.where(term_ids >= 0, term_ids, len(terms))
    # object-array additions concatenate the strings column by column in C, not row by row in Python
    joined = "[" + pieces[slots[:, 0]] if term_ids.shape[1] else np.full(len(term_ids), "[", dtype=object)
    for column in range(1, term_ids.shape[1]):
        joined = joined + following[slots[:, column]]
    return (joined + "]").tolist()


@dataclass
class RecommendationRows:
    """Rows of the recommendation table, one array per column (``terms`` already JSON text)."""

    run_id: int
    enterprise_ids: np.ndarray
    patent_ids: np.ndarray
    ranks: np.ndarray
    scores: np.ndarray
    semantic: np.ndarray  # the semantic part of each score (matching.engine.semantic)
    final_scores: np.ndarray
    terms: list[str]

    def __len__(self) -> int:
        return len(self.terms)

    def subset(self, keep: np.ndarray) -> RecommendationRows:
        """The rows a boolean mask selects, in their order."""
        at = np.flatnonzero(keep)
        return RecommendationRows(
            run_id=self.run_id,
            enterprise_ids=self.enterprise_ids[at],
            patent_ids=self.patent_ids[at],
            ranks=self.ranks[at],
            scores=self.scores[at],
            semantic=self.semantic[at],
            final_scores=self.final_scores[at],
            terms=[self.terms[i] for i in at.tolist()],
        )

    @cached_property
    def copy_buffer(self) -> bytes:
        """copy_binary(), built once."""
        return self.copy_binary()

    def copy_binary(self) -> bytes:
        """The rows in PostgreSQL's binary COPY format, in the order of ``COPY_COLUMNS``.

        The numbers go in as their big-endian bytes, straight from the arrays: no number is formatted here or parsed
        by the server (the text format would turn every float into text here and parse it back there), and every
        float is stored exactly as computed. ``jsonb`` in binary is a
        version byte (1) before the JSON text.
        """
        n = len(self)
        fixed = np.empty(n, dtype=_ROW_HEAD)
        fixed["fields"] = len(COPY_COLUMNS)
        for name, column in zip(
            COPY_COLUMNS[:-1],
            (
                np.full(n, self.run_id), self.enterprise_ids, self.patent_ids, self.ranks,
                self.scores, self.semantic, self.final_scores,
            ),
            strict=True,
        ):  # fmt: skip
            fixed[f"{name}_size"] = fixed.dtype[name].itemsize
            fixed[name] = column
        terms = [b"\x01" + t.encode() for t in self.terms]
        fixed["terms_size"] = np.fromiter(map(len, terms), dtype=np.int32, count=n)
        head, size = fixed.tobytes(), fixed.itemsize
        pieces: list[bytes] = [b""] * (2 * n)
        pieces[0::2] = [head[i : i + size] for i in range(0, n * size, size)]
        pieces[1::2] = terms
        return _COPY_HEADER + b"".join(pieces) + _COPY_TRAILER
