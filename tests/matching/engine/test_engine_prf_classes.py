"""The hits' classes in the need feedback (matching.engine.prf ``class_vote``): the query's class distribution is voted
on by its first-pass hits' own IPC subclasses; exact, deterministic (one query as in many, ties by the lower row),
without a class prior it changes nothing, and on real titles it finds more patents of the query's own subclass."""

import csv
from pathlib import Path

import numpy as np
import pytest
from engine_corpus import NEEDS, PATENTS

from matching.engine import (
    DEFAULT_PSEUDO_FEEDBACK,
    PatentText,
    PseudoFeedback,
    available_rank_backend,
    default_tokenizer,
    enterprise_query_tokens,
    expand_queries,
    feedback_vectors,
    fit_index,
    patent_tokens_many,
    rank_index,
    rank_one,
)
from matching.engine.classes import class_distribution

BACKENDS = ["scipy"] + (["numba"] if available_rank_backend() == "numba" else [])
DATA = Path(__file__).resolve().parents[3] / "demo_data"
VOTE_ONLY = PseudoFeedback(top=3, weight=0.0, class_vote=1.0)


def _titles(n: int = 1500) -> tuple[list[str], list[str], list[list[str]]]:
    """Real patent titles (cn-patent-ipc, demo_data), tokenized as the product does, with their IPC subclasses."""
    tokenizer = default_tokenizer()
    with (DATA / "cn-patent-ipc" / "titles_ipc.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for _, row in zip(range(n), csv.DictReader(handle), strict=False)]
    documents = [" ".join(tokenizer.tokenize(row["title"])) for row in rows]
    return documents, [row["publication_number"] for row in rows], [row["ipc_subclasses"].split("|") for row in rows]


@pytest.fixture(scope="module")
def titles():
    """1,500 real titles; the 200 queried (every seventh title) keep no label, so no query's own subclass is seen;
    the queries are those titles' own tokens, their relevant patents the others sharing a subclass."""
    documents, ids, labels = _titles()
    queried = list(range(0, len(documents), 7))[:200]
    hidden = set(queried)
    index = fit_index(
        documents=documents, patent_ids=ids, labels=[[] if i in hidden else own for i, own in enumerate(labels)]
    )
    queries = index.transform_queries([documents[i].split() for i in queried])
    return index, queries, queried, labels


def test_mean_of_is_the_mean_class_distribution_of_the_hits_left_out_none():
    # given: the small corpus, its 4th patent unlabelled (a predicted distribution)
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
    labels = [["H01M"], ["G06V", "G06N"], ["C02F"], [], ["H01M"], ["F16D"]]
    index = fit_index(documents=docs, patent_ids=[pid for pid, *_ in PATENTS], labels=labels)
    prior = index.semantic.classes
    own = prior.patents.toarray()

    # when
    mean = prior.mean_of(np.array([[0, 1, -1], [3, -1, -1], [-1, -1, -1], [2, 2, 5]]))

    # then
    names = prior.names
    expected_first = np.zeros(len(names), np.float32)
    expected_first[names.index("H01M")] = 0.5
    expected_first[[names.index("G06V"), names.index("G06N")]] = 0.25
    np.testing.assert_allclose(mean[0], expected_first, atol=1e-7)
    np.testing.assert_allclose(mean[1], own[3], atol=1e-7)  # the unlabelled patent's own (predicted) distribution
    np.testing.assert_array_equal(mean[2], np.zeros(len(names), np.float32))
    np.testing.assert_allclose(mean[3], (2 * own[2] + own[5]) / 3, atol=1e-7)


def test_the_class_part_ranked_is_the_hits_vote_mixed_with_the_prediction(titles):
    # given
    index, queries, _, _ = titles
    space = index.semantic
    dims = space.n_components
    hits = rank_index(index=index, queries=queries, k=3).indices
    hits[0] = -1  # a query without a hit keeps its own vectors

    for feedback in (PseudoFeedback(top=3, weight=1.0, class_vote=1.0), PseudoFeedback(top=2, class_vote=0.5)):
        # when
        vectors = feedback_vectors(index=index, queries=queries, hits=hits, feedback=feedback)
        old = space.transform(expand_queries(index=index, queries=queries, hits=hits, feedback=feedback))

        # then: the latent part is the expanded query's, the class part the mix, kept to the prior's top classes
        np.testing.assert_array_equal(vectors[:, :dims], old[:, :dims])
        vote = space.classes.mean_of(hits[1:, : feedback.top])
        share = np.float32(feedback.class_vote)
        expected = class_distribution((1 - share) * old[1:, dims:] + share * vote, top=space.classes.top)
        np.testing.assert_allclose(vectors[1:, dims:], expected, atol=1e-7)
        np.testing.assert_array_equal(vectors[0], old[0])
        assert ((vectors[1:, dims:] > 0).sum(axis=1) <= space.classes.top).all()
        np.testing.assert_allclose(vectors[1:, dims:].sum(axis=1), 1.0, atol=1e-6)

    # a vote of 0 is the centroid prediction of the expanded query, as before the vote existed
    silent = PseudoFeedback(top=3, weight=1.0, class_vote=0.0)
    np.testing.assert_array_equal(
        feedback_vectors(index=index, queries=queries, hits=hits, feedback=silent),
        space.transform(expand_queries(index=index, queries=queries, hits=hits, feedback=silent)),
    )
    # with weight 0 the query's own words: its latent part is the query's, only the class part is voted on
    alone = feedback_vectors(index=index, queries=queries, hits=hits, feedback=VOTE_ONLY)
    np.testing.assert_array_equal(alone[:, :dims], space.transform(queries)[:, :dims])


@pytest.mark.parametrize("backend", BACKENDS)
def test_without_a_class_prior_a_vote_only_feedback_ranks_exactly_as_none(backend):
    # given: patents without IPC codes (the keyphrase sets' case): no class prior to vote on
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
    index = fit_index(documents=docs, patent_ids=[pid for pid, *_ in PATENTS])
    queries = index.transform_queries([enterprise_query_tokens(needs=text) for _, text in NEEDS])
    assert index.semantic is not None
    assert index.semantic.classes is None

    # when
    plain = rank_index(index=index, queries=queries, k=6, backend=backend)
    voted = rank_index(index=index, queries=queries, k=6, backend=backend, feedback=VOTE_ONLY)
    one = rank_one(index=index, query=queries[0], k=6, feedback=VOTE_ONLY)

    # then
    np.testing.assert_array_equal(voted.indices, plain.indices)
    np.testing.assert_array_equal(voted.scores, plain.scores)
    np.testing.assert_array_equal(one.indices[0], plain.indices[0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_vote_ranks_the_same_twice_in_one_query_and_in_many(titles, backend):
    # given
    index, queries, _, _ = titles
    n = 60

    for feedback in (DEFAULT_PSEUDO_FEEDBACK, VOTE_ONLY):
        # when
        first = rank_index(index=index, queries=queries[:n], k=10, backend=backend, feedback=feedback)
        again = rank_index(index=index, queries=queries[:n], k=10, backend=backend, feedback=feedback)
        one = [rank_one(index=index, query=queries[i], k=10, feedback=feedback) for i in range(n)]

        # then
        np.testing.assert_array_equal(first.indices, again.indices)
        np.testing.assert_array_equal(first.scores, again.scores)
        np.testing.assert_array_equal(np.vstack([t.indices for t in one]), first.indices)
        np.testing.assert_allclose(np.vstack([t.scores for t in one]), first.scores, rtol=0, atol=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_vote_ties_are_broken_by_the_lower_row(backend):
    # given: every labelled patent twice, so each score is tied with its twin's
    twice = [p for p in PATENTS for _ in (0, 1)]
    labels = [own for own in (["H01M"], ["G06V"], ["C02F"], ["A01G"], ["H01M"], ["F16D"]) for _ in (0, 1)]
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in twice])
    index = fit_index(documents=docs, patent_ids=[f"{pid}-{n}" for n, (pid, *_) in enumerate(twice)], labels=labels)
    queries = index.transform_queries([enterprise_query_tokens(needs=text) for _, text in NEEDS])

    # when
    top = rank_index(index=index, queries=queries, k=len(twice), backend=backend, feedback=VOTE_ONLY)

    # then: twins side by side, the lower row first
    for row in top.indices.tolist():
        kept = [j for j in row if j >= 0]
        assert all(a % 2 == 0 and b == a + 1 for a, b in zip(kept[::2], kept[1::2], strict=True))
    assert sum(j >= 0 for j in top.indices.ravel().tolist()) >= 4  # at least two pairs of twins ranked


def test_on_real_titles_the_vote_finds_more_patents_of_the_querys_own_subclass(titles):
    # given: each query's relevant patents are the other titles sharing one of its (hidden) subclasses
    index, queries, queried, labels = titles
    relevant = [{j for j, own in enumerate(labels) if j != q and set(own) & set(labels[q])} for q in queried]

    def precision(feedback: PseudoFeedback | None) -> float:
        top = rank_index(index=index, queries=queries, k=11, feedback=feedback).indices
        found = []
        for i, row in enumerate(top):
            kept = [j for j in row.tolist() if j >= 0 and j != queried[i]][:10]  # the query's own title left out
            found.append(sum(j in relevant[i] for j in kept) / 10)
        return float(np.mean(found))

    # when
    without, voted = precision(None), precision(VOTE_ONLY)

    # then
    print(f"P@10 same subclass: without {without:.4f}, with the vote {voted:.4f}")
    assert voted > without * 1.03, (without, voted)
