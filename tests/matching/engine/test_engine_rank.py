"""Exact top-k in both directions, masks, ties, single-query path; numba and scipy backends agree."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import (
    IndexConfig,
    available_rank_backend,
    fit_index,
    mask_from_ids,
    rank_index,
    rank_one,
    top_k_both,
    top_k_patents,
)

BACKENDS = ["scipy"] + (["numba"] if available_rank_backend() == "numba" else [])


def _random_matrix(rows: int, cols: int, seed: int) -> sp.csr_matrix:
    # Values 0.5/1/2 make every dot product exact in float32, so ties are real ties.
    rng = np.random.default_rng(seed)
    dense = rng.choice([0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 2.0], size=(rows, cols)).astype(np.float32)
    return sp.csr_matrix(dense)


def _brute_force(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    indices = np.full((scores.shape[0], k), -1, np.int32)
    values = np.zeros((scores.shape[0], k), np.float32)
    for i, row in enumerate(scores):
        order = sorted((j for j in range(row.size) if row[j] > 0), key=lambda j: (-row[j], j))[:k]
        indices[i, : len(order)] = order
        values[i, : len(order)] = row[order]
    return indices, values


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_directions_match_brute_force(backend):
    # given
    queries, patents = _random_matrix(37, 12, seed=1), _random_matrix(53, 12, seed=2)
    dense = (queries @ patents.T).toarray()

    # when
    per_query, per_patent = top_k_both(queries=queries, patents=patents, k=5, backend=backend, chunk_rows=8)

    # then
    expected_q = _brute_force(dense, 5)
    expected_p = _brute_force(dense.T, 5)
    np.testing.assert_array_equal(per_query.indices, expected_q[0])
    np.testing.assert_array_equal(per_query.scores, expected_q[1])
    np.testing.assert_array_equal(per_patent.indices, expected_p[0])
    np.testing.assert_array_equal(per_patent.scores, expected_p[1])


@pytest.mark.parametrize("backend", BACKENDS)
def test_ties_are_broken_by_lower_index_and_short_rows_are_padded(backend):
    # given: patents 0, 1 and 3 tie; patent 2 shares nothing with the query
    queries = sp.csr_matrix(np.array([[1.0, 0.0]], np.float32))
    patents = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], np.float32))

    # when
    best = top_k_patents(queries=queries, patents=patents, k=5, backend=backend)

    # then
    assert best.indices.tolist() == [[0, 1, 3, -1, -1]]
    assert best.scores.tolist() == [[1.0, 1.0, 1.0, 0.0, 0.0]]
    assert best.row(0) == [(0, 1.0), (1, 1.0), (3, 1.0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_patent_mask_filters_both_directions(backend):
    # given
    queries, patents = _random_matrix(20, 10, seed=3), _random_matrix(30, 10, seed=4)
    mask = np.arange(30) % 3 == 0
    dense = (queries @ patents.T).toarray()
    dense[:, ~mask] = 0.0

    # when
    per_query, per_patent = top_k_both(queries=queries, patents=patents, k=4, patent_mask=mask, backend=backend)

    # then
    np.testing.assert_array_equal(per_query.indices, _brute_force(dense, 4)[0])
    np.testing.assert_array_equal(per_patent.indices, _brute_force(dense.T, 4)[0])
    assert (per_patent.indices[~mask] == -1).all()


def test_backends_agree_on_real_tfidf_vectors():
    # given
    docs = ["锂电池 正极 材料", "锂电池 回收", "污水 处理 过滤器", "图像 识别", "污水 沉淀 回收", "正极 材料 涂层"]
    index = fit_index(documents=docs, patent_ids=[f"P{i}" for i in range(6)])
    queries = index.transform_queries(["锂电池 材料", "污水 回收", "图像", "未知"])

    # when
    results = {b: top_k_both(queries=queries, patents=index.matrix, k=3, backend=b) for b in BACKENDS}

    # then
    reference = results["scipy"]
    for per_query, per_patent in results.values():
        np.testing.assert_array_equal(per_query.indices, reference[0].indices)
        np.testing.assert_allclose(per_query.scores, reference[0].scores, rtol=1e-6)
        np.testing.assert_array_equal(per_patent.indices, reference[1].indices)
    assert reference[0].indices[0].tolist() == [0, 1, 5]  # P1 is shorter than P5: same idf, larger weight
    assert reference[0].indices[3].tolist() == [-1, -1, -1]


def test_rank_one_equals_batch_ranking_and_honours_allowed_ids():
    # given
    docs = ["锂电池 正极 材料", "锂电池 回收", "污水 处理 过滤器", "图像 识别", "污水 沉淀 回收", "正极 材料 涂层"]
    lexical_config = IndexConfig(semantic_components=0)
    lexical = fit_index(documents=docs, patent_ids=[f"P{i}" for i in range(6)], config=lexical_config)
    fused = fit_index(documents=docs, patent_ids=[f"P{i}" for i in range(6)])
    query = lexical.transform_query("锂电池 回收 污水")
    allowed = mask_from_ids(index=lexical, allowed_ids=["P1", "P4", "P9-unknown"])

    # when
    single = rank_one(index=lexical, query=query, k=4)
    batch = top_k_patents(queries=query, patents=lexical.matrix, k=4, backend="scipy")
    filtered = rank_one(index=lexical, query=query, k=4, patent_mask=allowed)
    single_fused = rank_one(index=fused, query=query, k=4)
    batch_fused = {b: rank_index(index=fused, queries=query, k=4, backend=b) for b in BACKENDS}

    # then
    assert lexical.semantic is None
    np.testing.assert_array_equal(single.indices, batch.indices)
    np.testing.assert_allclose(single.scores, batch.scores, rtol=1e-6)
    assert allowed.tolist() == [False, True, False, False, True, False]
    assert [row for row, _ in filtered.row(0)] == [1, 4]
    for result in batch_fused.values():
        np.testing.assert_array_equal(single_fused.indices, result.indices)
        np.testing.assert_allclose(single_fused.scores, result.scores, rtol=1e-6)


def test_invalid_arguments_are_rejected():
    # given
    queries, patents = _random_matrix(2, 3, seed=5), _random_matrix(4, 3, seed=6)

    # when / then
    with pytest.raises(ValueError, match="k must be >= 1"):
        top_k_patents(queries=queries, patents=patents, k=0)
    with pytest.raises(ValueError, match=r"patent_mask must have shape \(4,\)"):
        top_k_patents(queries=queries, patents=patents, k=1, patent_mask=np.ones(3, bool))
    with pytest.raises(ValueError, match="queries have 2 terms, patents 3"):
        top_k_patents(queries=queries[:, :2], patents=patents, k=1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_inputs_and_k_larger_than_the_corpus(backend):
    # given
    patents = _random_matrix(3, 4, seed=7)
    no_queries = sp.csr_matrix((0, 4), dtype=np.float32)
    one_query = sp.csr_matrix(np.array([[1.0, 1.0, 1.0, 1.0]], np.float32))

    # when
    empty_q, empty_p = top_k_both(queries=no_queries, patents=patents, k=2, backend=backend)
    wide = top_k_patents(queries=one_query, patents=patents, k=5, backend=backend)

    # then
    assert empty_q.indices.shape == (0, 2)
    assert empty_p.indices.tolist() == [[-1, -1]] * 3
    np.testing.assert_array_equal(wide.indices[0, :3], _brute_force((one_query @ patents.T).toarray(), 3)[0][0])
    assert wide.indices[0, 3:].tolist() == [-1, -1]


def test_concurrent_calls_from_threads_give_the_same_result():
    # given
    queries, patents = _random_matrix(200, 30, seed=8), _random_matrix(300, 30, seed=9)
    expected = top_k_patents(queries=queries, patents=patents, k=5)

    # when
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: top_k_patents(queries=queries, patents=patents, k=5), range(8)))

    # then
    for result in results:
        np.testing.assert_array_equal(result.indices, expected.indices)
