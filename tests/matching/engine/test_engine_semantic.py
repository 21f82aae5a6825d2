"""Latent-semantic layer: deterministic fit, fused ranking equal to brute force, persistence round trip."""

import numpy as np
import pytest
from engine_corpus import NEEDS, PATENTS

from matching.engine import (
    IndexConfig,
    MatchIndex,
    PatentText,
    SemanticSpace,
    available_rank_backend,
    enterprise_query_tokens,
    fit_index,
    fit_semantic,
    fuse,
    mask_from_ids,
    patent_tokens_many,
    rank_index,
    rank_one,
    rank_queries,
)

BACKENDS = ["scipy"] + (["numba"] if available_rank_backend() == "numba" else [])
DOCS = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
IDS = [pid for pid, *_ in PATENTS]
QUERIES = [enterprise_query_tokens(needs=text) for _, text in NEEDS]


def _brute_force(index: MatchIndex, queries, k: int, mask=None) -> list[list[tuple[int, float]]]:
    assert index.semantic is not None
    lexical = (queries @ index.matrix.T).toarray()
    semantic = index.semantic.similarities(index.semantic.transform(queries))
    dense = fuse(lexical=lexical, semantic=semantic, weight=index.semantic.weight)
    out = []
    for row in dense:
        allowed = [j for j in range(row.size) if row[j] > 0 and (mask is None or mask[j])]
        out.append([(j, float(row[j])) for j in sorted(allowed, key=lambda j: (-row[j], j))[:k]])
    return out


def test_two_fits_give_identical_ids_and_scores():
    # given
    first = fit_index(documents=DOCS, patent_ids=IDS)
    second = fit_index(documents=list(DOCS), patent_ids=list(IDS))

    # when
    ranked = [rank_index(index=ix, queries=ix.transform_queries(QUERIES), k=6) for ix in (first, second)]
    single = [rank_one(index=ix, query=ix.transform_query(QUERIES[0]), k=6) for ix in (first, second)]

    # then
    assert first.semantic is not None
    assert second.semantic is not None
    np.testing.assert_array_equal(first.semantic.components, second.semantic.components)
    np.testing.assert_array_equal(first.semantic.patent_vectors, second.semantic.patent_vectors)
    np.testing.assert_array_equal(ranked[0].indices, ranked[1].indices)
    np.testing.assert_array_equal(ranked[0].scores, ranked[1].scores)
    np.testing.assert_array_equal(single[0].indices, single[1].indices)
    np.testing.assert_array_equal(single[0].scores, single[1].scores)


@pytest.mark.parametrize("backend", BACKENDS)
def test_fused_ranking_equals_brute_force_with_and_without_mask(backend):
    # given
    index = fit_index(documents=DOCS, patent_ids=IDS)
    queries = index.transform_queries(QUERIES)
    mask = mask_from_ids(index=index, allowed_ids=["P1", "P3", "P5"])

    # when
    ranked = rank_index(index=index, queries=queries, k=4, backend=backend, chunk_rows=3)
    masked = rank_index(index=index, queries=queries, k=4, patent_mask=mask, backend=backend)

    # then
    for got, expected in ((ranked, _brute_force(index, queries, 4)), (masked, _brute_force(index, queries, 4, mask))):
        for i, pairs in enumerate(expected):
            assert [row for row, _ in got.row(i)] == [row for row, _ in pairs]
            np.testing.assert_allclose([s for _, s in got.row(i)], [s for _, s in pairs], rtol=1e-5)
    assert ranked.row(3) == []  # "zzz 无关 😀": no known term, so no lexical and no semantic part
    assert {row for i in range(3) for row, _ in masked.row(i)} <= {0, 2, 4}


def test_semantic_part_ranks_a_patent_sharing_no_term():
    # given: the query shares a term with P0 only; P1 uses P0's other words
    docs = ["电池 正极 材料 锂", "锂 电池 回收 材料", "污水 处理 过滤", "图像 识别 网络"]
    index = fit_index(documents=docs, patent_ids=["P0", "P1", "P2", "P3"])
    query = index.transform_query("正极")

    # when
    pairs = rank_one(index=index, query=query, k=4).row(0)
    lexical_only = (query @ index.matrix.T).toarray().ravel()

    # then
    assert lexical_only.tolist()[1:] == [0.0, 0.0, 0.0]
    assert [row for row, _ in pairs][:2] == [0, 1]
    assert {row for row, _ in pairs} == {0, 1}  # the floor keeps rounding noise (cos ~1e-8) of P2, P3 out


def test_semantic_space_survives_the_byte_round_trip():
    # given
    index = fit_index(documents=DOCS, patent_ids=IDS)

    # when
    restored = MatchIndex.from_bytes(index.to_bytes(compress=True))

    # then
    assert index.semantic is not None
    assert restored.semantic is not None
    np.testing.assert_array_equal(restored.semantic.components, index.semantic.components)
    np.testing.assert_array_equal(restored.semantic.patent_vectors, index.semantic.patent_vectors)
    assert (restored.semantic.weight, restored.semantic.floor) == (index.semantic.weight, index.semantic.floor)
    queries = index.transform_queries(QUERIES)
    before, after = rank_index(index=index, queries=queries, k=6), rank_index(index=restored, queries=queries, k=6)
    np.testing.assert_array_equal(before.indices, after.indices)
    np.testing.assert_array_equal(before.scores, after.scores)


def test_small_corpus_caps_the_dimensions_and_zero_components_turn_the_layer_off():
    # given / when
    capped = fit_index(documents=DOCS, patent_ids=IDS, config=IndexConfig(semantic_components=300))
    lexical = fit_index(documents=DOCS, patent_ids=IDS, config=IndexConfig(semantic_components=0))
    single = fit_semantic(matrix=lexical.matrix[:1], n_components=10, weight=0.1)

    # then
    assert capped.semantic is not None
    assert capped.semantic.n_components == 5  # six patents: at most n - 1 dimensions
    assert capped.semantic.patent_vectors.shape == (6, 5)
    assert lexical.semantic is None
    assert single is None


@pytest.mark.parametrize(
    ("weight", "floor", "message"),
    [(1.5, 0.0, r"semantic weight must be in \[0, 1\]"), (0.1, 1.0, r"semantic floor must be in \[0, 1\)")],
)
def test_invalid_semantic_parameters_are_rejected(weight, floor, message):
    # given / when / then
    with pytest.raises(ValueError, match=message):
        SemanticSpace(components=np.zeros((2, 3), np.float32), patent_vectors=np.zeros((4, 2), np.float32),
                      weight=weight, floor=floor)  # fmt: skip


def test_floor_removes_weak_cosines_and_rescales_the_rest():
    # given
    space = SemanticSpace(
        components=np.eye(2, dtype=np.float32),
        patent_vectors=np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], np.float32),
        weight=0.2,
        floor=0.5,
    )

    # when
    parts = space.similarities(np.array([[1.0, 0.0]], np.float32))

    # then
    np.testing.assert_allclose(parts, [[1.0, 0.2, 0.0]], atol=1e-6)  # (0.6 - 0.5) / 0.5 = 0.2


def test_rank_queries_gives_the_fused_column_of_one_patent():
    # given
    index = fit_index(documents=DOCS, patent_ids=IDS)
    queries = index.transform_queries(QUERIES)
    assert index.semantic is not None
    vectors = index.semantic.transform(queries)

    # when
    best = rank_queries(index=index, queries=queries, patent_row=2, k=3)
    kept = rank_queries(index=index, queries=queries, patent_row=2, k=3, query_vectors=vectors)

    # then
    lexical = (queries @ index.matrix[2].T).toarray().ravel()
    semantic = index.semantic.similarities(vectors)[:, 2]
    column = fuse(lexical=lexical, semantic=semantic, weight=index.semantic.weight)
    expected = sorted((i for i in range(4) if column[i] > 0), key=lambda i: (-column[i], i))[:3]
    assert [row for row, _ in best.row(0)] == expected
    np.testing.assert_allclose([s for _, s in best.row(0)], column[expected], rtol=1e-6)
    np.testing.assert_array_equal(kept.indices, best.indices)
    assert best.row(0)[0][0] == 1  # the sewage need is the best one for the sewage patent
    assert 3 not in expected  # the need with no known term scores zero


def test_a_sampled_fit_projects_every_patent_and_stays_deterministic():
    # given
    docs = [f"{DOCS[i % 6]} 编号{i % 3}" for i in range(30)]
    ids = [f"X{i}" for i in range(30)]
    config = IndexConfig(semantic_sample_rows=12)

    # when
    first = fit_index(documents=docs, patent_ids=ids, config=config)
    second = fit_index(documents=docs, patent_ids=ids, config=config)

    # then
    assert first.semantic is not None
    assert second.semantic is not None
    assert first.semantic.patent_vectors.shape == (30, 11)  # fitted on 12 rows: at most 11 dimensions
    np.testing.assert_array_equal(first.semantic.patent_vectors, second.semantic.patent_vectors)
    expected = first.semantic.transform(first.matrix)  # every row projected like a query
    np.testing.assert_allclose(first.semantic.patent_vectors, expected, atol=1e-6)
