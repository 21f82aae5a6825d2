"""The explaining terms of many pairs at once (a run's chunk): the numba kernel and the numpy path give exactly
explain_many's terms in explain_many's order, and exactly each other's; the engine keeps working without numba."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import (
    IndexConfig,
    PatentText,
    available_rank_backend,
    default_tokenizer,
    enterprise_query_tokens,
    explain_many,
    explain_pairs,
    fit_index,
    patent_tokens_many,
    rank_index,
)

BACKENDS = ["scipy"] + (["numba"] if available_rank_backend() == "numba" else [])
ROOT = Path(__file__).resolve().parents[3]


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


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_explain_pairs_gives_the_engines_terms_in_the_engines_order(backend, seed):
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
        backend=backend,
    )
    # then
    got = [[terms[t] for t in row if t >= 0] for row in ids.tolist()]
    assert got == [pair for query in expected for pair in query]
    assert sum(len(pair) for pair in got) > 7 * 12  # most pairs share terms: the comparison is not vacuous
    assert ids.dtype == np.int32
    assert ids.shape == (7 * 12, 5)
    assert (ids[patent_rows.ravel() < 0] == -1).all()


def _real_corpus(n_queries: int = 60) -> tuple[list[str], list[str], list[str]]:
    """Real patents (KPPatent-ZH: title, abstract, claims) and real business scopes as queries, tokenized and weighted
    as the product does."""
    tokenizer = default_tokenizer()
    data = ROOT / "demo_data"
    with (data / "kppatent-zh" / "patents_full.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (data / "hubei-enterprises-sample" / "enterprises_sample.csv").open(encoding="utf-8-sig", newline="") as fh:
        scopes = [row["经营范围"] for _, row in zip(range(n_queries), csv.DictReader(fh), strict=False)]
    documents = patent_tokens_many(
        patents=[PatentText(row["title"], row["abstract"], row["claims"]) for row in rows], tokenizer=tokenizer
    )
    queries = [enterprise_query_tokens(needs=scope, tokenizer=tokenizer) for scope in scopes]
    return documents, [str(i) for i in range(len(rows))], queries


@pytest.mark.skipif(available_rank_backend() != "numba", reason="numba is not installed")
def test_the_kernel_and_the_numpy_path_agree_bit_for_bit_on_a_run_like_chunk():
    # given: a chunk as a run explains it — every query with its 40 best patents by the fused score, 8 terms each
    documents, ids, query_tokens = _real_corpus()
    index = fit_index(documents=documents, patent_ids=ids, config=IndexConfig())
    queries = index.transform_queries(query_tokens)
    top = rank_index(index=index, queries=queries, k=40)
    query_rows = np.repeat(np.arange(queries.shape[0]), 40)
    patent_rows = top.indices.ravel()
    # the same queries as float64 with their indices out of order: both paths sort and take float32 themselves
    shuffled = sp.csr_matrix(queries, dtype=np.float64, copy=True)
    for row in range(shuffled.shape[0]):
        part = slice(shuffled.indptr[row], shuffled.indptr[row + 1])
        shuffled.indices[part], shuffled.data[part] = shuffled.indices[part][::-1], shuffled.data[part][::-1]
    shuffled.has_sorted_indices = False

    for given in (queries, shuffled):
        # when
        kernel = explain_pairs(
            matrix=index.matrix, queries=given, query_rows=query_rows, patent_rows=patent_rows, n_terms=8,
            backend="numba",
        )  # fmt: skip
        numpy_path = explain_pairs(
            matrix=index.matrix, queries=given, query_rows=query_rows, patent_rows=patent_rows, n_terms=8,
            backend="scipy",
        )  # fmt: skip
        # then
        np.testing.assert_array_equal(kernel, numpy_path)
        print((kernel >= 0).sum(), len(patent_rows))
    assert not shuffled.has_sorted_indices  # the caller's matrix was not sorted in place
    expected = explain_many(index=index, queries=queries, patent_rows=top.indices, n_terms=8)
    got = [[index.terms[t] for t in row if t >= 0] for row in kernel.tolist()]
    assert got == [pair for query in expected for pair in query]


NO_NUMBA_RUN = """
import json, sys
if sys.argv[1] == "blocked":
    sys.modules["numba"] = None  # `import numba` now raises ImportError
import numpy as np
from matching import engine as me
index = me.fit_index(
    documents=["锂电池 正极 材料", "锂电池 回收", "污水 处理 过滤器", "图像 识别", "污水 沉淀 回收", "正极 材料 涂层"],
    patent_ids=[str(i) for i in range(6)],
)
queries = index.transform_queries(["锂电池 材料", "污水 回收", "图像"])
top = me.rank_index(index=index, queries=queries, k=3)
terms = me.explain_pairs(
    matrix=index.matrix, queries=queries, query_rows=np.repeat(np.arange(3), 3), patent_rows=top.indices.ravel(),
    n_terms=3,
)
me.kernels_warm_up()
print(json.dumps([me.available_rank_backend(), top.indices.tolist(), top.scores.tolist(), terms.tolist()]))
"""


def test_the_engine_imports_and_ranks_without_numba_exactly_as_with_it():
    # given: the same work in a fresh interpreter in which numba cannot be imported, and in one in which it can
    def run(mode: str) -> list:
        done = subprocess.run(
            [sys.executable, "-c", NO_NUMBA_RUN, mode], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    # when
    without, usual = run("blocked"), run("usual")
    # then: numpy and scipy did the work, with the results of the kernels (when numba is installed here)
    assert without[0] == "scipy"
    assert usual[0] == available_rank_backend()
    assert without[1:] == usual[1:]
    assert [row[0] for row in without[1]] == [0, 4, 3]  # the best patent of each query
    assert sum(t >= 0 for row in without[3] for t in row) > 3


def test_importing_the_engine_does_not_import_numba():
    # given
    script = "import sys; import matching.engine; print('numba' in sys.modules)"
    # when
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    # then: numba (and its JIT) loads only when a kernel is first launched
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
