"""Patent-to-enterprise matching engine (plain Python: no Django imports).

Typical flow::

    from matching import engine as me

    docs = me.patent_tokens_many(patents=[me.PatentText(t, a, c) for t, a, c in rows], processes=2)
    index = me.fit_index(documents=docs, patent_ids=ids)          # persist: index.to_bytes()
    query = index.transform_query(me.enterprise_query_tokens(needs=..., business_scope=..., products=...))
    best = me.rank_one(index=index, query=query, k=20, patent_mask=mask)   # fused lexical + semantic score
    why = me.explain(index=index, query=query, patent_row=best.indices[0, 0])  # why.lexical, why.semantic, why.terms

Modules: ``clean`` (text normalisation), ``tokenize`` (segmentation),
``documents`` (field weighting), ``vectorize`` (TF-IDF index), ``semantic``
(LSA space fused with the lexical score), ``rank`` (top-k), ``explain``,
``feedback``, ``coverage`` (term coverage of short searches), ``batch`` (CSV in/out), ``lexicon`` (user
dictionary build).
"""

from .batch import BatchInputError, MatchRow, Need, Patent, match_files, match_records
from .coverage import CoverageConfig, QueryWords, coverage_factors, query_words, words_held, words_missing
from .documents import (
    FieldWeights,
    PatentText,
    QueryWeights,
    enterprise_query_text,
    enterprise_query_tokens,
    patent_tokens,
    patent_tokens_many,
)
from .explain import Explanation, ScoreParts, TermContribution, explain, explain_many, score_parts
from .feedback import FeedbackEvent, adjust_scores
from .rank import TopK, mask_from_ids, rank_index, rank_one, rank_queries, top_k_both, top_k_patents
from .semantic import SemanticSpace, fit_semantic, fuse
from .tokenize import Tokenizer, default_tokenizer
from .vectorize import IndexConfig, MatchIndex, fit_index

__all__ = [
    "BatchInputError",
    "CoverageConfig",
    "Explanation",
    "FeedbackEvent",
    "FieldWeights",
    "IndexConfig",
    "MatchIndex",
    "MatchRow",
    "Need",
    "Patent",
    "PatentText",
    "QueryWords",
    "QueryWeights",
    "ScoreParts",
    "SemanticSpace",
    "TermContribution",
    "Tokenizer",
    "TopK",
    "adjust_scores",
    "coverage_factors",
    "default_tokenizer",
    "enterprise_query_text",
    "enterprise_query_tokens",
    "explain",
    "explain_many",
    "fit_index",
    "fit_semantic",
    "fuse",
    "mask_from_ids",
    "match_files",
    "match_records",
    "patent_tokens",
    "patent_tokens_many",
    "query_words",
    "rank_index",
    "rank_one",
    "rank_queries",
    "score_parts",
    "top_k_both",
    "top_k_patents",
    "words_held",
    "words_missing",
]
