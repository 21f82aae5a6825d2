"""The numba fused kernel applies the semantic floor, the class part and the weights itself, per query row: its
ids, scores and semantic parts must be bit-for-bit those of the scipy path, which builds the whole semantic block
with numpy; the semantic part kept with each hit is the pair's own, and adds up with the lexical part to the score."""

import csv
from pathlib import Path

import numpy as np
import pytest

from matching.engine import (
    IndexConfig,
    available_rank_backend,
    default_tokenizer,
    enterprise_query_tokens,
    fit_index,
    rank_index,
)

pytestmark = pytest.mark.skipif(available_rank_backend() != "numba", reason="numba is not installed")

DATA = Path(__file__).resolve().parents[3] / "demo_data"


def _corpus(n_patents: int = 1500, n_queries: int = 120) -> tuple[list[str], list[str], list[list[str]], list[str]]:
    """Real patent titles with their IPC subclasses (every fifth left unlabelled: predicted from its text) and real
    business scopes as queries, tokenized as the product does."""
    tokenizer = default_tokenizer()
    with (DATA / "cn-patent-ipc" / "titles_ipc.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for _, row in zip(range(n_patents), csv.DictReader(handle), strict=False)]
    with (DATA / "hubei-enterprises-sample" / "enterprises_sample.csv").open(encoding="utf-8-sig", newline="") as fh:
        scopes = [row["经营范围"] for _, row in zip(range(n_queries), csv.DictReader(fh), strict=False)]
    documents = [" ".join(tokenizer.tokenize(row["title"])) for row in rows]
    labels = [[] if i % 5 == 4 else row["ipc_subclasses"].split("|") for i, row in enumerate(rows)]
    queries = [enterprise_query_tokens(needs=scope, tokenizer=tokenizer) for scope in scopes]
    return documents, [row["publication_number"] for row in rows], labels, queries


CORPUS = _corpus()


@pytest.mark.parametrize(
    ("with_labels", "floor"),
    [(True, 0.1), (False, 0.1), (True, 0.0), (False, 0.0)],
    ids=["classes", "latent", "classes-no-floor", "latent-no-floor"],
)
def test_fused_kernel_equals_the_scipy_path_bit_for_bit(with_labels, floor):
    # given
    documents, ids, labels, query_tokens = CORPUS
    index = fit_index(
        documents=documents,
        patent_ids=ids,
        config=IndexConfig(semantic_floor=floor),
        labels=labels if with_labels else None,
    )
    assert index.semantic is not None
    assert (index.semantic.classes is not None) is with_labels
    queries = index.transform_queries(query_tokens)
    mask = np.arange(len(ids)) % 3 != 0

    for patent_mask in (None, mask):
        # when
        kernel = rank_index(index=index, queries=queries, k=40, patent_mask=patent_mask, backend="numba", chunk_rows=50)
        numpy_path = rank_index(index=index, queries=queries, k=40, patent_mask=patent_mask, backend="scipy")

        # then
        np.testing.assert_array_equal(kernel.indices, numpy_path.indices)
        np.testing.assert_array_equal(kernel.scores, numpy_path.scores)
        np.testing.assert_array_equal(kernel.semantic, numpy_path.semantic)
        # the semantic part kept with each hit is the pair's own (up to the order of the cosine's sum), and with
        # the lexical part it makes the ranked score
        rows = np.repeat(np.arange(queries.shape[0]), kernel.indices.shape[1])
        pairs = index.semantic.pair_similarities(
            index.semantic.transform(queries), query_rows=rows, patent_rows=kernel.indices.ravel()
        )
        np.testing.assert_allclose(kernel.semantic.ravel(), pairs, rtol=0, atol=1e-6)
        valid = kernel.indices.ravel() >= 0
        lexical = np.asarray(
            queries[rows[valid]].multiply(index.matrix[kernel.indices.ravel()[valid]]).sum(axis=1)
        ).ravel()
        weight = index.semantic.weight
        np.testing.assert_allclose(
            (1 - weight) * lexical + weight * kernel.semantic.ravel()[valid], kernel.scores.ravel()[valid], atol=1e-6
        )
