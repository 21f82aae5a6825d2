"""Term coverage of short queries: the words of a query, what each patent holds, the factors, and the ranking they
give through rank_one (a patent holding every word before one holding a single word strongly)."""

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import (
    CoverageConfig,
    IndexConfig,
    QueryWords,
    coverage_applies,
    coverage_factors,
    fit_index,
    query_words,
    rank_one,
    words_held,
    words_missing,
)

# Search-mode tokens of 锂电池 隔膜: the word 锂电池 comes with its sub-words 锂电 and 电池.
QUERY = ["锂电", "电池", "锂电池", "隔膜"]
FILLER = [
    "齿轮 减速器 箱体",
    "污水 沉淀池 过滤器",
    "图像 识别 卷积",
    "刹车片 陶瓷 纤维",
    "温室 传感器 灌溉",
    "光纤 涂层 拉丝",
]


def _index(documents: list[str], *, semantic: bool = False):
    config = IndexConfig() if semantic else IndexConfig(semantic_components=0)
    return fit_index(documents=documents, patent_ids=[str(i) for i in range(len(documents))], config=config)


def _documents() -> list[str]:
    strong_one_word = " ".join(["锂电 电池 锂电池"] * 3)  # a short title that is the word itself, weighted x3
    both_words = "锂电 电池 锂电池 隔膜 " + " ".join(f"材料{i} 工艺{i}" for i in range(15))  # long, each word once
    return [strong_one_word, both_words, *FILLER]


def _ranked(index, tokens, factors=None) -> list[tuple[int, float]]:
    return rank_one(index=index, query=index.transform_query(tokens), k=10, score_factors=factors).row(0)


def test_the_words_of_a_query_are_its_known_tokens_not_part_of_a_longer_one():
    vocabulary = {"锂电": 0, "电池": 1, "锂电池": 2, "隔膜": 3}
    # when / then: sub-words fold into their word; repeats and unknown tokens are no words
    words = query_words(tokens=[*QUERY, "隔膜", "未知词"], vocabulary=vocabulary)
    assert words == QueryWords((2, 3), ("锂电池", "隔膜"))
    # a word the index does not know leaves its known parts as words
    assert query_words(tokens=QUERY, vocabulary={"锂电": 0, "电池": 1, "隔膜": 3}) == QueryWords(
        (0, 1, 3), ("锂电", "电池", "隔膜")
    )
    assert query_words(tokens=[], vocabulary=vocabulary) == QueryWords((), ())


def test_words_held_counts_the_words_of_each_patent_from_the_postings():
    # given
    index = _index(_documents())
    words = query_words(tokens=QUERY, vocabulary=index.vocabulary)
    # when
    held = words_held(patents_t=index.matrix_t, words=words)
    # then: the same as reading each patent's row
    dense = (index.matrix[:, list(words.columns)].toarray() != 0).sum(axis=1)
    assert held.tolist() == dense.tolist() == [1, 2, 0, 0, 0, 0, 0, 0]


def test_each_missing_word_multiplies_by_the_factor():
    config = CoverageConfig(missing_factor=0.25, max_words=3)
    factors = coverage_factors(held=np.array([2, 1, 0]), n_words=2, config=config)
    assert factors is not None
    assert factors.dtype == np.float32
    assert factors.tolist() == [1.0, 0.25, 0.0625]
    three = coverage_factors(held=np.array([3, 2, 1, 0]), n_words=3, config=config)
    assert three is not None
    assert three.tolist() == [1.0, 0.25, 0.0625, 0.015625]


@pytest.mark.parametrize("n_words", [0, 1, 4, 12])
def test_one_word_and_long_queries_are_not_covered(n_words):
    config = CoverageConfig(missing_factor=0.25, max_words=3)
    assert not coverage_applies(n_words=n_words, config=config)
    assert coverage_factors(held=np.zeros(5, np.int32), n_words=n_words, config=config) is None


def test_a_factor_of_one_turns_coverage_off():
    assert coverage_factors(held=np.array([0, 1]), n_words=2, config=CoverageConfig(missing_factor=1.0)) is None


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"missing_factor": 0.0}, "missing_factor"),
        ({"missing_factor": 1.5}, "missing_factor"),
        ({"min_words": 1}, "min_words"),
        ({"min_words": 3, "max_words": 2}, "min_words"),
    ],
)
def test_config_refuses_nonsense(bad, message):
    with pytest.raises(ValueError, match=message):
        CoverageConfig(**bad)


@pytest.mark.parametrize("semantic", [False, True])
def test_a_patent_with_both_words_outranks_one_holding_a_single_word_strongly(semantic):
    # given: without coverage the short one-word title wins
    index = _index(_documents(), semantic=semantic)
    plain = _ranked(index, QUERY)
    assert [row for row, _ in plain[:2]] == [0, 1]
    words = query_words(tokens=QUERY, vocabulary=index.vocabulary)
    factors = coverage_factors(
        held=words_held(patents_t=index.matrix_t, words=words), n_words=len(words), config=CoverageConfig()
    )
    # when
    covered = _ranked(index, QUERY, factors)
    # then: both words first; the one-word patent keeps its score times the factor for its missing word
    assert [row for row, _ in covered[:2]] == [1, 0]
    scores = dict(plain)
    assert dict(covered)[1] == scores[1]
    assert dict(covered)[0] == np.float32(scores[0]) * np.float32(0.25)
    assert [s for _, s in covered] == sorted((s for _, s in covered), reverse=True)


def test_ties_keep_the_lower_row_first_and_stay_tied():
    # given: two identical patents holding both words, one holding one word
    both = "锂电 电池 锂电池 隔膜 涂布"
    index = _index([both, "锂电 电池 锂电池 涂布", both, *FILLER])
    words = query_words(tokens=QUERY, vocabulary=index.vocabulary)
    factors = coverage_factors(
        held=words_held(patents_t=index.matrix_t, words=words), n_words=len(words), config=CoverageConfig()
    )
    # when
    covered = _ranked(index, QUERY, factors)
    # then
    assert [row for row, _ in covered] == [0, 2, 1]
    assert covered[0][1] == covered[1][1]


@pytest.mark.parametrize("tokens", [["锂电", "电池", "锂电池"], ["隔膜"]])
def test_a_single_word_query_is_ranked_as_before(tokens):
    # given
    index = _index(_documents())
    words = query_words(tokens=tokens, vocabulary=index.vocabulary)
    # when
    factors = coverage_factors(
        held=words_held(patents_t=index.matrix_t, words=words), n_words=len(words), config=CoverageConfig()
    )
    # then
    assert len(words) == 1
    assert factors is None
    assert _ranked(index, tokens, factors) == _ranked(index, tokens)


def test_factors_apply_under_a_patent_mask_too():
    # given: the two-word patent is masked out
    index = _index(_documents())
    words = query_words(tokens=QUERY, vocabulary=index.vocabulary)
    factors = coverage_factors(
        held=words_held(patents_t=index.matrix_t, words=words), n_words=len(words), config=CoverageConfig()
    )
    mask = np.ones(len(index.patent_ids), dtype=bool)
    mask[1] = False
    query = index.transform_query(QUERY)
    # when
    got = rank_one(index=index, query=query, k=5, patent_mask=mask, score_factors=factors).row(0)
    # then
    plain = dict(rank_one(index=index, query=query, k=5).row(0))
    assert got == [(0, float(np.float32(plain[0]) * np.float32(0.25)))]


def test_words_missing_names_what_each_row_lacks():
    # given
    index = _index(_documents())
    words = query_words(tokens=QUERY, vocabulary=index.vocabulary)
    # when
    got = words_missing(patents_t=index.matrix_t, rows=[1, 0, 2], words=words)
    # then: the same as reading the patents' rows
    assert got == [(), ("隔膜",), ("锂电池", "隔膜")]
    rows = index.matrix[[1, 0, 2]][:, list(words.columns)].toarray() != 0
    assert got == [tuple(n for n, has in zip(words.names, row, strict=True) if not has) for row in rows]
    assert words_missing(patents_t=index.matrix_t, rows=[], words=words) == []
    assert words_missing(patents_t=sp.csr_matrix((3, 1)), rows=[0], words=QueryWords((), ())) == [()]


def test_words_missing_of_very_many_words_is_the_same_row_by_row():
    # given: 70 words, more than a bit mask holds; patent 0 holds the even ones
    n = 70
    patents_t = sp.csr_matrix(np.array([[1.0 if w % 2 == 0 else 0.0, 1.0] for w in range(n)], np.float32))
    words = QueryWords(tuple(range(n)), tuple(f"w{w}" for w in range(n)))
    # when
    got = words_missing(patents_t=patents_t, rows=[0, 1], words=words)
    # then
    assert got == [tuple(f"w{w}" for w in range(1, n, 2)), ()]
