"""The fast rjieba backend must give exactly jieba's tokens (HMM off, same user dictionary)."""

import csv
from pathlib import Path

import pytest
from engine_corpus import NEEDS, PATENTS

from matching.engine import Tokenizer

pytest.importorskip("rjieba")

REAL_CLAIMS = Path(__file__).resolve().parents[4] / "shared" / "data" / "kppatent-zh" / "patents_full.csv"


@pytest.mark.parametrize("search_mode", [True, False])
def test_backends_agree_on_fixed_corpus(search_mode):
    # given
    texts = [part for row in PATENTS for part in row[1:]] + [text for _, text in NEEDS]
    fast = Tokenizer(backend="rjieba", search_mode=search_mode)
    reference = Tokenizer(backend="jieba", search_mode=search_mode)

    # when
    fast_tokens = [fast.tokenize(t) for t in texts]
    reference_tokens = [reference.tokenize(t) for t in texts]

    # then
    assert fast_tokens == reference_tokens


@pytest.mark.skipif(not REAL_CLAIMS.exists(), reason="real KPPatent-ZH data not available")
def test_backends_agree_on_real_claims_corpus():
    # given: 696 real patents, ~2.8 MB of titles, abstracts and claims
    with REAL_CLAIMS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [f"{r['title']}\n{r['abstract']}\n{r['claims']}" for r in rows]
    fast = Tokenizer(backend="rjieba")
    reference = Tokenizer(backend="jieba")

    # when
    fast_tokens = fast.tokenize_many(texts)
    reference_tokens = reference.tokenize_many(texts)

    # then
    assert len(rows) == 696
    assert fast_tokens == reference_tokens
