"""Pseudo-relevance feedback of needs (matching.engine.prf): off gives the old ranking exactly, on it is
deterministic (ties by row), the same in one query and many, and acts on the semantic part only."""

import csv
from pathlib import Path

import numpy as np
import pytest
from engine_corpus import NEEDS, PATENTS

from matching.engine import (
    PatentText,
    PseudoFeedback,
    available_rank_backend,
    enterprise_query_tokens,
    expand_queries,
    feedback_vectors,
    fit_index,
    fuse,
    patent_tokens_many,
    rank_index,
    rank_one,
)

# Rocchio on (the default is the class vote alone, which an index without IPC codes has nothing for)
ROCCHIO = PseudoFeedback(top=3, weight=1.0, class_vote=0.0)
BACKENDS = ["scipy"] + (["numba"] if available_rank_backend() == "numba" else [])
DATA = Path(__file__).resolve().parents[3] / "demo_data" / "kppatent-zh" / "patents_abstracts.csv"


@pytest.fixture(scope="module")
def real():
    """300 real abstracts (KPPatent-ZH, demo_data) and 40 needs made of other abstracts' keyphrases."""
    with DATA.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    docs = patent_tokens_many(patents=[PatentText(abstract=r["abstract"]) for r in rows[:300]])
    index = fit_index(documents=docs, patent_ids=[f"P{i:03d}" for i in range(len(docs))])
    needs = [enterprise_query_tokens(needs=r["keyphrases"].replace(",", "，")) for r in rows[300:340]]
    return index, index.transform_queries(needs)


def _old_ranking(index, queries, k):
    """The ranking without feedback, brute force: the fused score of the query's own vectors, ties by lower row."""
    lexical = (queries @ index.matrix.T).toarray()
    dense = fuse(lexical=lexical, semantic=index.semantic.similarities(index.semantic.transform(queries)),
                 weight=index.semantic.weight)  # fmt: skip
    return [sorted(np.flatnonzero(row > 0).tolist(), key=lambda j: (-row[j], j))[:k] for row in dense]


@pytest.mark.parametrize("backend", BACKENDS)
def test_feedback_off_gives_the_old_ranking_exactly(real, backend):
    # given
    index, queries = real
    old = _old_ranking(index, queries, 10)

    # when
    many = rank_index(index=index, queries=queries, k=10, backend=backend, feedback=None)
    weightless = rank_index(index=index, queries=queries, k=10, backend=backend, feedback=PseudoFeedback(weight=0))
    plain = rank_index(index=index, queries=queries, k=10, backend=backend)
    one = [rank_one(index=index, query=queries[i], k=10, feedback=None) for i in range(queries.shape[0])]

    # then
    assert [[j for j in row if j >= 0] for row in many.indices.tolist()] == old
    assert [[j for j, _ in top.row(0)] for top in one] == old
    np.testing.assert_array_equal(weightless.indices, plain.indices)
    np.testing.assert_array_equal(weightless.scores, plain.scores)
    np.testing.assert_array_equal(many.scores, plain.scores)


@pytest.mark.parametrize("backend", BACKENDS)
def test_feedback_ranks_the_same_twice_in_one_query_and_in_many(real, backend):
    # given
    index, queries = real

    # when
    first = rank_index(index=index, queries=queries, k=10, backend=backend, feedback=ROCCHIO)
    again = rank_index(index=index, queries=queries, k=10, backend=backend, feedback=ROCCHIO)
    one = [rank_one(index=index, query=queries[i], k=10, feedback=ROCCHIO) for i in range(40)]

    # then: identical arrays twice; one query alone ranks as in a run
    np.testing.assert_array_equal(first.indices, again.indices)
    np.testing.assert_array_equal(first.scores, again.scores)
    np.testing.assert_array_equal(np.vstack([t.indices for t in one]), first.indices)
    np.testing.assert_allclose(np.vstack([t.scores for t in one]), first.scores, rtol=0, atol=1e-6)
    np.testing.assert_allclose(np.vstack([t.semantic for t in one]), first.semantic, rtol=0, atol=1e-6)


def test_feedback_changes_the_semantic_part_only(real):
    # given
    index, queries = real
    space = index.semantic
    first = rank_index(index=index, queries=queries, k=ROCCHIO.top)

    # when
    vectors = feedback_vectors(index=index, queries=queries, hits=first.indices, feedback=ROCCHIO)
    top = rank_index(index=index, queries=queries, k=10, feedback=ROCCHIO)
    before = rank_index(index=index, queries=queries, k=10)

    # then: each score is the query's own lexical part plus the expanded query's semantic part
    rows = np.maximum(top.indices, 0)
    lexical = np.take_along_axis((queries @ index.matrix.T).toarray(), rows, axis=1)
    semantic = np.take_along_axis(space.similarities(vectors), rows, axis=1)
    expected = np.where(top.indices >= 0, fuse(lexical=lexical, semantic=semantic, weight=space.weight), 0)
    np.testing.assert_allclose(top.scores, expected, rtol=0, atol=1e-6)
    assert int((top.indices != before.indices).any(axis=1).sum()) > 0  # the feedback moves some rankings


def test_an_expanded_query_keeps_its_terms_adds_the_heaviest_of_its_hits_and_is_unit_length(real):
    # given
    index, queries = real
    hits = rank_index(index=index, queries=queries, k=3).indices
    feedback = PseudoFeedback(top=3, weight=1.0, terms=20)

    # when
    expanded = expand_queries(index=index, queries=queries, hits=hits, feedback=feedback)
    again = expand_queries(index=index, queries=queries, hits=hits, feedback=feedback)

    # then
    assert (expanded != again).nnz == 0
    for i in range(queries.shape[0]):
        own = set(queries[i].indices.tolist())
        terms = set(expanded[i].indices.tolist())
        assert own <= terms
        assert len(terms - own) <= 20
        if (hits[i] >= 0).any():
            assert len(terms - own) > 0
    norms = np.sqrt(np.asarray(expanded.multiply(expanded).sum(axis=1)).ravel())
    np.testing.assert_allclose(norms[expanded.getnnz(axis=1) > 0], 1.0, atol=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_feedback_ties_are_broken_by_the_lower_row(backend):
    # given: every patent of the small corpus twice, so each score is tied with its twin's
    twice = [p for p in PATENTS for _ in (0, 1)]
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in twice])
    index = fit_index(documents=docs, patent_ids=[f"{pid}-{n}" for n, (pid, *_) in enumerate(twice)])
    queries = index.transform_queries([enterprise_query_tokens(needs=text) for _, text in NEEDS])

    # when
    top = rank_index(index=index, queries=queries, k=len(twice), backend=backend, feedback=ROCCHIO)
    one = rank_one(index=index, query=queries[0], k=len(twice), feedback=ROCCHIO)

    # then: twins side by side, the lower row first
    for row in [*top.indices.tolist(), one.indices[0].tolist()]:
        kept = [j for j in row if j >= 0]
        assert kept == [j for pair in zip(kept[::2], kept[1::2], strict=True) for j in pair]
        assert all(a % 2 == 0 and b == a + 1 for a, b in zip(kept[::2], kept[1::2], strict=True))
    assert len([j for j in top.indices[0] if j >= 0]) > 0
