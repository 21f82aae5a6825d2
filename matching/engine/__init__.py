"""Patent-to-enterprise matching engine (plain Python: no Django imports, numba optional).

This package is the engine's one public face: code outside ``matching/engine`` imports these names from
``matching.engine``, never a submodule (``tests/matching/test_engine_facade.py`` scans for it). Typical flow::

    from matching import engine as me

    docs = me.patent_tokens_many(patents=[me.PatentText(t, a, c) for t, a, c in rows], processes=2)
    index = me.fit_index(documents=docs, patent_ids=ids, labels=ipc_subclasses)   # persist: index.to_bytes()
    query = index.transform_query(me.enterprise_query_tokens(needs=..., business_scope=..., products=...))
    best = me.rank_one(index=index, query=query, k=20, patent_mask=mask)   # fused lexical + semantic score
    why = me.explain(index=index, query=query, patent_row=best.indices[0, 0])  # why.lexical, why.semantic, why.terms

Modules (README.md beside this file): ``clean`` (text normalisation), ``tokenize`` (segmentation), ``lexicon`` (user
dictionary build, a command), ``documents`` (field weighting), ``vectorize`` (TF-IDF index), ``semantic`` (LSA space
fused with the lexical score), ``classes`` (IPC class prior), ``extend`` (patents added to or removed from a fitted
index), ``rank`` (top-k), ``prf`` (pseudo-relevance feedback of needs), ``explain`` (why a pair matched),
``feedback``, ``coverage`` (term coverage of short searches), ``push`` (push-list scoring), ``batch`` (CSV
in/out), ``backend`` (numba or numpy/scipy), ``_kernels`` (the numba kernels), ``warm_up``.
"""

from .backend import RankBackend, available_rank_backend
from .batch import (
    BatchInputError,
    MatchRow,
    Need,
    Patent,
    match_files,
    match_records,
    read_needs_csv,
    read_patents_csv,
    write_results_csv,
)
from .classes import ClassPrior, class_distribution, fit_class_prior
from .clean import clean_text
from .coverage import (
    CoverageConfig,
    QueryWords,
    coverage_applies,
    coverage_factors,
    query_words,
    words_held,
    words_missing,
)
from .documents import (
    FieldWeights,
    PatentText,
    QueryWeights,
    enterprise_query_text,
    enterprise_query_tokens,
    patent_tokens,
    patent_tokens_many,
)
from .explain import (
    Explanation,
    ScoreParts,
    TermContribution,
    explain,
    explain_many,
    explain_pairs,
    score_parts,
)
from .extend import index_apply, index_pivot, index_rows, index_shard
from .feedback import DEFAULT_STRENGTHS, FeedbackEvent, FeedbackKind, adjust_scores, adjust_scores_apart
from .merge import top_k_merge
from .prf import DEFAULT_PSEUDO_FEEDBACK, PseudoFeedback, expand_queries, feedback_vectors
from .push import PushConfig, enterprise_term_weights, push_scores, single_term_pairs
from .rank import (
    TopK,
    mask_from_ids,
    rank_index,
    rank_one,
    rank_queries,
    top_k_both,
    top_k_patents,
)
from .semantic import SemanticSpace, fit_semantic, fuse
from .tokenize import Tokenizer, available_backends, default_tokenizer, read_stopwords
from .vectorize import Document, IndexConfig, MatchIndex, fit_index, row_norms
from .warm_up import kernels_warm_up

__all__ = [
    "DEFAULT_PSEUDO_FEEDBACK",
    "DEFAULT_STRENGTHS",
    "BatchInputError",
    "ClassPrior",
    "CoverageConfig",
    "Document",
    "Explanation",
    "FeedbackEvent",
    "FeedbackKind",
    "FieldWeights",
    "IndexConfig",
    "MatchIndex",
    "MatchRow",
    "Need",
    "Patent",
    "PatentText",
    "PseudoFeedback",
    "PushConfig",
    "QueryWeights",
    "QueryWords",
    "RankBackend",
    "ScoreParts",
    "SemanticSpace",
    "TermContribution",
    "Tokenizer",
    "TopK",
    "adjust_scores",
    "adjust_scores_apart",
    "available_backends",
    "available_rank_backend",
    "class_distribution",
    "clean_text",
    "coverage_applies",
    "coverage_factors",
    "default_tokenizer",
    "enterprise_query_text",
    "enterprise_query_tokens",
    "explain",
    "explain_many",
    "enterprise_term_weights",
    "explain_pairs",
    "expand_queries",
    "feedback_vectors",
    "fit_class_prior",
    "fit_index",
    "fit_semantic",
    "fuse",
    "index_apply",
    "index_pivot",
    "index_rows",
    "index_shard",
    "kernels_warm_up",
    "mask_from_ids",
    "match_files",
    "match_records",
    "patent_tokens",
    "patent_tokens_many",
    "push_scores",
    "query_words",
    "rank_index",
    "rank_one",
    "rank_queries",
    "read_needs_csv",
    "read_patents_csv",
    "read_stopwords",
    "row_norms",
    "score_parts",
    "single_term_pairs",
    "top_k_both",
    "top_k_merge",
    "top_k_patents",
    "words_held",
    "words_missing",
    "write_results_csv",
]
