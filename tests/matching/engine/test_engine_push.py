"""Push-list scoring (matching.engine.push): the enterprise-side weights and the single-term rule exactly, the same
scores twice, and on real texts a patent's push list no longer led by an enterprise sharing one generic word."""

import csv
import math
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import (
    PatentText,
    PushConfig,
    Tokenizer,
    enterprise_query_tokens,
    enterprise_term_weights,
    fit_index,
    patent_tokens_many,
    push_scores,
    rank_queries,
    single_term_pairs,
)

DEMO = Path(__file__).resolve().parents[3] / "demo_data"


def test_enterprise_term_weights_are_the_smooth_idf_over_the_enterprises_scaled_to_one():
    # given: term 0 in all 3 enterprise queries, term 1 in one, term 2 in none
    queries = sp.csr_matrix(np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.3, 0.0, 0.0]], dtype=np.float32))

    # when
    weights = enterprise_term_weights(queries)

    # then
    top = math.log(4) + 1
    assert weights.dtype == np.float32
    np.testing.assert_allclose(weights, [1 / top, (math.log(2) + 1) / top, 1.0], rtol=1e-6)
    np.testing.assert_array_equal(weights, enterprise_term_weights(queries.copy()))


def test_single_term_pairs_are_those_one_term_carries():
    # given: per-term contributions of 4 pairs
    contributions = sp.csr_matrix(
        np.array([[0.9, 0.1, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 0.2], [0.0, 0.0, 0.0]], dtype=np.float32)
    )

    # when
    single = single_term_pairs(contributions=contributions, dominant_share=0.8)

    # then: 90 % by one term, two equal terms, one term only, nothing shared
    assert single.tolist() == [True, False, True, False]


@pytest.fixture(scope="module")
def real():
    """300 real abstracts (KPPatent-ZH) and 1,500 real Hubei business scopes (demo_data) as enterprise queries."""
    with (DEMO / "kppatent-zh" / "patents_abstracts.csv").open(encoding="utf-8-sig", newline="") as handle:
        abstracts = [r["abstract"] for r in csv.DictReader(handle)][:300]
    with (DEMO / "hubei-enterprises-sample" / "enterprises_sample.csv").open(encoding="utf-8-sig") as handle:
        scopes = [r["经营范围"] for r in csv.DictReader(handle) if r["经营范围"].strip()][:1500]
    docs = patent_tokens_many(patents=[PatentText(abstract=a) for a in abstracts])
    index = fit_index(documents=docs, patent_ids=[f"P{i:03d}" for i in range(len(docs))])
    tokenizer = Tokenizer()
    queries = index.transform_queries([enterprise_query_tokens(business_scope=s, tokenizer=tokenizer) for s in scopes])
    return index, queries


def _shared(index, queries, patent_row, query_row):
    patent = index.matrix[patent_row]
    contributions = sp.csr_matrix(queries[query_row][:, patent.indices] @ sp.diags(patent.data))
    return contributions, [index.terms[patent.indices[j]] for j in contributions.indices]


def test_push_scores_are_the_same_twice_and_never_above_the_served_score(real):
    # given
    index, queries = real
    weights = enterprise_term_weights(queries)

    # when
    first = push_scores(index=index, queries=queries, patent_row=140, config=PushConfig(), term_weights=weights)
    again = push_scores(index=index, queries=queries, patent_row=140, config=PushConfig())
    postings = push_scores(
        index=index, queries=queries, patent_row=140, config=PushConfig(), queries_t=sp.csr_matrix(queries.T)
    )
    served = rank_queries(index=index, queries=queries, patent_row=140, k=queries.shape[0])

    # then
    np.testing.assert_array_equal(first, again)
    np.testing.assert_allclose(postings, first, rtol=0, atol=1e-7)  # the caller's transposed queries: same scores
    fused = np.zeros(queries.shape[0], np.float32)
    fused[served.indices[0][served.indices[0] >= 0]] = served.scores[0][served.indices[0] >= 0]
    assert (first <= fused + 1e-7).all()
    assert (first > 0).sum() > 0


@pytest.mark.parametrize(("patent_row", "generic_word"), [(6, "管理"), (39, "加工"), (47, "生产"), (140, "电子")])
def test_a_push_list_is_no_longer_led_by_an_enterprise_sharing_one_generic_word(real, patent_row, generic_word):
    # given: the served score puts first an enterprise that shares one word with the patent, a word more than 10 %
    # of the enterprises write in their business scope
    index, queries = real
    served = rank_queries(index=index, queries=queries, patent_row=patent_row, k=5)
    contributions, words = _shared(index, queries, patent_row, served.indices[0, 0])
    holders = int((queries[:, index.vocabulary[generic_word]] != 0).sum())
    assert words == [generic_word]
    assert holders > 0.1 * queries.shape[0]

    # when
    pushed = rank_queries(
        index=index, queries=queries, patent_row=patent_row, k=5, push=PushConfig(),
        term_weights=enterprise_term_weights(queries),
    )  # fmt: skip

    # then: the first enterprise now shares more than one word, none carrying 80 % of the pair alone
    first = pushed.indices[0, 0]
    contributions, words = _shared(index, queries, patent_row, first)
    assert first != served.indices[0, 0]
    assert len(words) >= 2
    assert not single_term_pairs(contributions=contributions, dominant_share=0.8)[0]
    again = rank_queries(
        index=index, queries=queries, patent_row=patent_row, k=5, push=PushConfig(),
        term_weights=enterprise_term_weights(queries),
    )  # fmt: skip
    np.testing.assert_array_equal(pushed.indices, again.indices)


def test_push_ties_are_broken_by_the_lower_query_row(real):
    # given: every enterprise query twice
    index, queries = real
    doubled = sp.vstack([queries[i // 2] for i in range(200)]).tocsr()

    # when
    top = rank_queries(index=index, queries=doubled, patent_row=140, k=20, push=PushConfig())

    # then
    kept = [j for j in top.indices[0].tolist() if j >= 0]
    assert kept
    assert all(a % 2 == 0 and b == a + 1 for a, b in zip(kept[::2], kept[1::2], strict=True))
