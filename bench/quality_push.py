"""Push lists over real business scopes (bench/quality.py): how many top-20 pairs one term carries, with and without
the push rules (matching.engine.push: enterprise-side idf, single-term pairs lowered).

Enterprises: the real Hubei business scopes (../shared/data/hubei-enterprises, 40,074 non-empty; the bench only),
each an enterprise query as a run builds it (business scope only: no needs in that data). Patents: the KPPatent-ZH
full patents and abstracts (3,720, no IPC codes), one index. For a seeded sample of patents, the push list (the
best 20 enterprises) is ranked by the served fused score ("before") and by the push score ("after").

A pair is *carried by a single term* when one shared term makes at least 80 % of its lexical part (the plain
``q_t · d_t`` contributions, the same measure before and after; a pair sharing one term is too). A term is
*generic* when at least 1 % of the enterprises hold it. There is no labelled push-list set, so the rules' constants
(``PushConfig``) were set by reasoning, not tuned on these figures.
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict

import _common as C  # also puts the project root on sys.path
import numpy as np
import scipy.sparse as sp

from matching.engine import (
    PatentText,
    PushConfig,
    QueryWeights,
    Tokenizer,
    enterprise_term_weights,
    fit_index,
    patent_tokens_many,
    rank_queries,
    single_term_pairs,
)

PUSH_SEED = 5
PUSH_K = 20
GENERIC_SHARE = 0.01


def push_list_figures(*, quick: bool) -> dict[str, object]:
    """The single-term share of top-20 push pairs before/after, the generic share of the first pair's lead term,
    and the ms per push list, as one dict (printed as a table too)."""
    tokenizer = Tokenizer()
    scopes = C.business_scopes()
    assert QueryWeights().business_scope == 1  # a scope-only enterprise query is the scope's tokens
    started = time.perf_counter()
    queries_tokens = tokenizer.tokenize_many_joined(scopes, processes=2)
    patents = [PatentText(p.title, p.abstract, p.claims) for p in C.kp_full()]
    patents += [PatentText(abstract=p.abstract) for p in C.kp_abstracts()]
    docs = patent_tokens_many(patents=patents, tokenizer=tokenizer, processes=2)
    index = fit_index(documents=docs, patent_ids=[str(i) for i in range(len(docs))])
    queries = index.transform_queries(queries_tokens)
    prepared = time.perf_counter() - started
    weights = enterprise_term_weights(queries)
    queries_t = sp.csr_matrix(queries.T)
    holders = np.bincount(queries.indices, minlength=queries.shape[1])
    vectors = index.semantic.transform(queries) if index.semantic is not None else None
    rows = random.Random(PUSH_SEED).sample(range(len(docs)), 100 if quick else 400)
    rules = PushConfig()
    tallies = {name: {"pairs": 0, "single": 0, "first": 0, "first_single": 0, "first_generic": 0, "seconds": 0.0}
               for name in ("before", "after")}  # fmt: skip
    by_term = {"before": dict[str, int](), "after": dict[str, int]()}
    for row in rows:
        for name, push in (("before", None), ("after", rules)):
            tick = time.perf_counter()
            top = rank_queries(
                index=index, queries=queries, patent_row=row, k=PUSH_K, query_vectors=vectors, push=push,
                term_weights=weights, queries_t=queries_t,
            )  # fmt: skip
            tallies[name]["seconds"] += time.perf_counter() - tick
            picked = top.indices[0][top.indices[0] >= 0]
            if picked.size == 0:
                continue
            patent = index.matrix[row]
            contributions = _contributions(queries[picked], patent)
            single = single_term_pairs(contributions=contributions, dominant_share=rules.dominant_share)
            tally = tallies[name]
            tally["pairs"] += picked.size
            tally["single"] += int(single.sum())
            tally["first"] += 1
            if single[0]:
                tally["first_single"] += 1
                first = contributions[0]
                lead = int(patent.indices[first.indices[np.argmax(first.data)]])
                if holders[lead] >= GENERIC_SHARE * queries.shape[0]:
                    tally["first_generic"] += 1
                    by_term[name][index.terms[lead]] = by_term[name].get(index.terms[lead], 0) + 1
    figures: dict[str, object] = {
        "enterprises": queries.shape[0],
        "patents": len(docs),
        "patents_sampled": len(rows),
        "prepare_seconds": round(prepared, 1),
        "rules": asdict(rules),
    }
    for name, t in tallies.items():
        figures[name] = {
            "single_term_share_top20": t["single"] / max(t["pairs"], 1),
            "first_single_term_share": t["first_single"] / max(t["first"], 1),
            "first_single_generic_share": t["first_generic"] / max(t["first"], 1),
            "ms_per_push_list": 1000 * t["seconds"] / len(rows),
            "generic_first_terms": dict(sorted(by_term[name].items(), key=lambda kv: (-kv[1], kv[0]))[:8]),
        }
    C.print_table(
        title=f"Push lists: {len(rows)} patents x {queries.shape[0]:,} real business scopes, top {PUSH_K}",
        headers=["scoring", "top-20 pairs by one term", "first by one term", "first by one generic term", "ms/list"],
        rows=[
            [name, f"{f['single_term_share_top20']:.1%}", f"{f['first_single_term_share']:.1%}",
             f"{f['first_single_generic_share']:.1%}", f"{f['ms_per_push_list']:.1f}"]
            for name in ("before", "after")
            for f in [figures[name]]  # type: ignore[index]
        ],
    )  # fmt: skip
    print(f"  generic first terms before: {figures['before']['generic_first_terms']}")  # type: ignore[index]
    print(f"  generic first terms after: {figures['after']['generic_first_terms']}")  # type: ignore[index]
    return figures


def _contributions(queries: sp.csr_matrix, patent: sp.csr_matrix) -> sp.csr_matrix:
    """Each query row's plain per-term contributions ``q_t · d_t`` with one patent row."""
    return sp.csr_matrix(queries[:, patent.indices] @ sp.diags(patent.data.astype(np.float32)))
