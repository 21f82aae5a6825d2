"""The chunk's rows as arrays: the engine's pair explanation turned into stored JSON equals explain_many term for
term, and the rows written (binary COPY on PostgreSQL) are read back exactly. (Both backends of explain_pairs:
tests/matching/engine/test_engine_explain_pairs.py.)"""

import json

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import explain_many, explain_pairs
from matching.models import MatchRun, Recommendation
from matching.runs.prepare import matchable_patents
from matching.runs.rows import RecommendationRows, terms_json
from matching.runs.tokens import patent_ipc_subclasses
from matching.runs.writes import recommendations_write
from patents.models import Patent


def _random_index(seed: int) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
    rng = np.random.default_rng(seed)
    matrix = sp.random(60, 40, density=0.3, random_state=rng, dtype=np.float32, format="csr")
    queries = sp.random(7, 40, density=0.25, random_state=rng, dtype=np.float32, format="csr")
    # equal weights make ties: the order among them must be the engine's too
    matrix.data = np.round(matrix.data * 4) / 4 + np.float32(0.25)
    queries.data = np.round(queries.data * 2) / 2 + np.float32(0.5)
    return matrix, queries, [f"词{t}" for t in range(40)]


class _Index:
    def __init__(self, matrix: sp.csr_matrix, terms: list[str]) -> None:
        self.matrix, self.terms = matrix, terms


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_explain_pairs_gives_the_engines_terms_in_the_engines_order(seed):
    # given
    matrix, queries, terms = _random_index(seed)
    patent_rows = np.random.default_rng(seed).integers(-1, 60, size=(7, 12))
    expected = explain_many(index=_Index(matrix, terms), queries=queries, patent_rows=patent_rows, n_terms=5)
    # when
    ids = explain_pairs(
        matrix=matrix,
        queries=queries,
        query_rows=np.repeat(np.arange(7), 12),
        patent_rows=patent_rows.ravel(),
        n_terms=5,
    )
    # then
    got = [json.loads(row) for row in terms_json(terms=terms, term_ids=ids)]
    assert got == [pair for query in expected for pair in query]
    assert sum(len(pair) for pair in got) > 7 * 12  # most pairs share terms: the comparison is not vacuous


def _awkward_rows(run_id: int) -> RecommendationRows:
    """Two rows whose terms need escaping in every COPY format and whose floats need all 17 digits."""
    return RecommendationRows(
        run_id=run_id,
        enterprise_ids=np.array([10, 2**40]),
        patent_ids=np.array([20, 21]),
        ranks=np.array([1, 100]),
        scores=np.array([0.1234567890123456789, 0.5]),
        semantic=np.array([np.float32(0.75) / 3, 0.0]),
        final_scores=np.array([0.02469135780246, 1e-300]),
        terms=terms_json(terms=["石油焦", "a\\b", "c\td\n"], term_ids=np.array([[0, 1, -1], [2, -1, -1]])),
    )


@pytest.mark.django_db
def test_rows_written_read_back_exactly():
    # given: on PostgreSQL the binary COPY, elsewhere the batched inserts
    run = MatchRun.objects.create()
    rows = _awkward_rows(run.pk)
    # when
    recommendations_write(rows)
    # then
    stored = list(
        Recommendation.objects.filter(run=run)
        .order_by("rank")
        .values_list("enterprise_id", "patent_id", "rank", "score", "semantic", "final_score", "terms")
    )
    assert stored == [
        (10, 20, 1, 0.1234567890123456789, float(np.float32(0.75) / 3), 0.02469135780246, ["石油焦", "a\\b"]),
        (2**40, 21, 100, 0.5, 0.0, 1e-300, ["c\td\n"]),
    ]
    assert len(rows) == 2


def test_the_binary_copy_buffer_has_one_fixed_head_and_the_terms_per_row():
    # given
    rows = _awkward_rows(3)
    # when
    data = rows.copy_binary()
    # then: signature, flags and extension; 2 rows of 8 fields; the trailer
    assert data[:19] == b"PGCOPY\n\xff\r\n\x00" + bytes(8)
    assert data[-2:] == b"\xff\xff"
    head = 2 + 3 * (4 + 8) + (4 + 2) + 3 * (4 + 8) + 4
    first_terms = b"\x01" + rows.terms[0].encode()
    assert data[19 : 19 + 2] == (8).to_bytes(2, "big")
    assert data[19 + head : 19 + head + len(first_terms)] == first_terms
    assert len(data) == 19 + 2 * head + sum(1 + len(t.encode()) for t in rows.terms) + 2


@pytest.mark.django_db
def test_ipc_subclasses_of_the_pooled_patents_are_the_class_labels(pooled_patents):
    # given: codes in the spellings inventories use, and one patent without a valid code
    first, second, third = pooled_patents[:3]
    Patent.objects.filter(pk=first.pk).update(ipc_main="H01M 4/58", ipc_codes=["h01m10/54", "C01B 25/45"])
    Patent.objects.filter(pk=second.pk).update(ipc_main="", ipc_codes=["G06V 10/82"])
    Patent.objects.filter(pk=third.pk).update(ipc_main="无", ipc_codes=[])
    # when
    labels = patent_ipc_subclasses(patents=matchable_patents(), patent_ids=[first.pk, second.pk, third.pk, 0])
    # then
    assert labels == [["C01B", "H01M"], ["G06V"], [], []]
