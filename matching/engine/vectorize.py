"""TF-IDF index of patents: fitting, query transformation and pickle-free persistence.

Term weights are scikit-learn's ``TfidfVectorizer``'s bit for bit (its counts are taken with a faster
loop, its ``TfidfTransformer`` is used as is; a test compares the two): ``tf = 1 + ln(count)``
(sublinear), ``idf = ln((1 + n) / (1 + df)) + 1`` (smooth), float32.

Queries are L2-normalised. Patent rows use *pivoted* length normalisation
(Singhal, Buckley & Mitra 1996): a row is divided by ``(1 - s) * mean_norm +
s * norm`` instead of by its own L2 ``norm``. Plain cosine (``s = 1``) favours
short patents; ``s = 0.6`` gives long ones a fair chance and was the best
setting on every labelled set of ``bench/quality.py``. A score is still the dot
product ``q . d``, so per-term contributions still add up to it, and for one
patent the order of the queries is the same as with cosine (a constant factor).

Queries are transformed by a small re-implementation of the same formula, so
one query costs microseconds instead of a vectorizer round trip; a test pins
the two together.
"""

from __future__ import annotations

import io
import json
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from .classes import ClassPrior
from .semantic import SemanticSpace, fit_semantic
from .unit import l2_rows

__all__ = ["Document", "IndexConfig", "MatchIndex", "fit_index", "row_norms"]

# A document or query: a token list, or the same tokens joined by spaces.
Document = Sequence[str] | str

_FORMAT_VERSION = 2  # 2 adds the latent-semantic arrays; version 1 archives load without them
_READABLE_VERSIONS = (1, 2)


@dataclass(frozen=True)
class IndexConfig:
    """Vectorizer settings; the defaults are the ones chosen by ``bench/quality.py``.

    ``min_df``/``max_df`` follow scikit-learn (int = document count, float =
    fraction of documents); ``pivot_slope`` is ``s`` of the pivoted
    normalisation (1.0 = plain L2 rows); ``bigrams`` adds adjacent token pairs
    as extra terms (rejected by the evaluation, kept for experiments).

    ``semantic_components`` is the size of the latent-semantic (LSA) space
    fitted with the index (0 = none: lexical ranking only) and
    ``semantic_weight`` its share ``w`` of the fused score, ``semantic_floor``
    the cosine below which it adds nothing, ``semantic_sample_rows`` how many
    patents the SVD is fitted on (all are projected; see
    :mod:`matching.engine.semantic`); both were tuned on the development split
    of ``bench/quality.py``, never on the queries it reports.

    ``class_weight`` is the share of the class-aware prior (:mod:`matching.engine.classes`), used only when
    ``fit_index`` is given ``labels`` (the patents' IPC subclasses) and the semantic space exists; ``class_top``
    classes are kept per text, ``class_centroid_terms`` terms per class centroid.
    """

    min_df: int | float = 1
    max_df: int | float = 0.5
    sublinear_tf: bool = True
    pivot_slope: float = 0.6
    bigrams: bool = False
    semantic_components: int = 100
    semantic_weight: float = 0.05
    semantic_floor: float = 0.1
    semantic_sample_rows: int = 10_000
    class_weight: float = 0.3
    class_top: int = 3
    class_centroid_terms: int = 300


def _as_tokens(doc: Document) -> Sequence[str]:
    return doc.split() if isinstance(doc, str) else doc


def _with_bigrams(tokens: Sequence[str]) -> list[str]:
    # A space cannot occur inside a token, so "a b" is unambiguous as a bigram term.
    return [*tokens, *(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))]


def _analyzer(bigrams: bool) -> Callable[[Document], Sequence[str]]:
    if bigrams:
        return lambda doc: _with_bigrams(_as_tokens(doc))
    return _as_tokens


def term_counts(
    documents: Iterable[Document], analyzer: Callable[[Document], Sequence[str]], *, min_df: float, max_df: float
) -> tuple[list[str], sp.csr_matrix]:
    """The sorted terms and the documents x terms count matrix (float32) left by the document-frequency cut-offs:
    what scikit-learn's ``CountVectorizer`` computes — same terms, same counts, same ``min_df`` / ``max_df`` rule —
    with each document counted by ``collections.Counter`` (in C) instead of sklearn's loop over every token in
    Python, which is faster. Raises ``ValueError`` where sklearn does."""
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new term gets the next id (sklearn's own trick)
    indices, values, indptr = array("i"), array("i"), array("q", [0])
    for doc in documents:
        counts = Counter(analyzer(doc))
        indices.extend(map(vocabulary.__getitem__, counts))
        values.extend(counts.values())
        indptr.append(len(indices))
    if not vocabulary:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    n_docs, n_terms = len(indptr) - 1, len(vocabulary)
    names = sorted(vocabulary)
    sorted_id = np.empty(n_terms, dtype=np.int32)
    sorted_id[np.fromiter((vocabulary[name] for name in names), dtype=np.int64, count=n_terms)] = np.arange(
        n_terms, dtype=np.int32
    )
    counts_matrix = sp.csr_matrix(
        (
            np.frombuffer(values, dtype=np.intc).astype(np.float32),
            sorted_id.take(np.frombuffer(indices, dtype=np.intc)),
            np.frombuffer(indptr, dtype=np.int64),
        ),
        shape=(n_docs, n_terms),
        dtype=np.float32,
    )
    high = max_df if isinstance(max_df, Integral) else max_df * n_docs
    low = min_df if isinstance(min_df, Integral) else min_df * n_docs
    if high < low:
        raise ValueError("max_df corresponds to < documents than min_df")
    df = np.bincount(counts_matrix.indices, minlength=n_terms)
    kept = np.flatnonzero((df <= high) & (df >= low))
    if kept.size == 0:
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    return [names[i] for i in kept], sp.csr_matrix(counts_matrix[:, kept])


def tfidf_fit(documents: Iterable[Document], *, config: IndexConfig) -> tuple[list[str], np.ndarray, sp.csr_matrix]:
    """Terms, idf (float32) and the raw TF-IDF rows (sorted CSR, float32): exactly what
    ``TfidfVectorizer(norm=None, sublinear_tf=…, min_df=…, max_df=…, dtype=float32)`` fits (a test compares them
    bit for bit), from :func:`term_counts` and sklearn's own ``TfidfTransformer``."""
    terms, counts = term_counts(documents, _analyzer(config.bigrams), min_df=config.min_df, max_df=config.max_df)
    tfidf = TfidfTransformer(norm=None, sublinear_tf=config.sublinear_tf).fit(counts)
    matrix = sp.csr_matrix(tfidf.transform(counts, copy=False))
    matrix.sort_indices()
    return terms, tfidf.idf_.astype(np.float32), matrix


@dataclass
class MatchIndex:
    """A fitted patent index: ``matrix[i]`` is the (pivot-normalised) vector of ``patent_ids[i]``."""

    terms: list[str]
    idf: np.ndarray
    matrix: sp.csr_matrix
    patent_ids: list[str]
    config: IndexConfig = field(default_factory=IndexConfig)
    semantic: SemanticSpace | None = None
    # the mean raw row norm the rows were pivot-normalised with (engine.extend weighs added patents with it);
    # None in archives written before it was kept
    pivot: float | None = None
    vocabulary: dict[str, int] = field(init=False, repr=False)
    _row_of: dict[str, int] | None = field(default=None, init=False, repr=False)
    _matrix_t: sp.csr_matrix | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.vocabulary = {term: col for col, term in enumerate(self.terms)}
        if self.matrix.shape != (len(self.patent_ids), len(self.terms)):
            raise ValueError(f"matrix shape {self.matrix.shape} does not match ids/terms")
        if self.semantic is not None and (
            self.semantic.components.shape[1] != len(self.terms)
            or self.semantic.patent_vectors.shape[0] != len(self.patent_ids)
        ):
            raise ValueError("semantic space does not match ids/terms")

    # ----------------------------------------------------------------- queries
    def transform_query(self, tokens: Document) -> sp.csr_matrix:
        """1 x n_terms unit vector of one query; unknown tokens are ignored (an all-zero row if none match)."""
        return self.transform_queries([tokens])

    def transform_queries(self, docs: Sequence[Document]) -> sp.csr_matrix:
        """n_docs x n_terms matrix of unit-length query vectors, weighted like the patents."""
        return l2_rows(self.weigh(docs), copy=False)

    def weigh(self, docs: Sequence[Document]) -> sp.csr_matrix:
        """n_docs x n_terms TF-IDF rows of ``docs`` with the fitted vocabulary and idf, not normalised (unknown
        tokens are ignored)."""
        vocab = self.vocabulary
        analyze = _analyzer(self.config.bigrams)
        indptr = [0]
        cols: list[int] = []
        counts: list[int] = []
        for doc in docs:
            tally = Counter(col for col in map(vocab.get, analyze(doc)) if col is not None)
            cols.extend(tally.keys())
            counts.extend(tally.values())
            indptr.append(len(cols))
        col_arr = np.asarray(cols, dtype=np.int32)
        tf = np.asarray(counts, dtype=np.float32)
        if self.config.sublinear_tf:
            tf = np.log(tf, out=tf) + np.float32(1.0)
        matrix = sp.csr_matrix(
            (tf * self.idf[col_arr], col_arr, np.asarray(indptr, dtype=np.int32)),
            shape=(len(docs), len(self.terms)),
            dtype=np.float32,
        )
        matrix.sort_indices()
        return matrix

    # ----------------------------------------------------------------- lookups
    def row_of(self, patent_id: str) -> int:
        """Matrix row of ``patent_id`` (KeyError if absent)."""
        return self._row_lookup()[patent_id]

    def _row_lookup(self) -> dict[str, int]:
        if self._row_of is None:
            self._row_of = {pid: row for row, pid in enumerate(self.patent_ids)}
        return self._row_of

    @property
    def matrix_t(self) -> sp.csr_matrix:
        """Transposed matrix (terms x patents, CSR: the postings lists), built once and cached."""
        if self._matrix_t is None:
            self._matrix_t = self.matrix.T.tocsr()
            self._matrix_t.sort_indices()
        return self._matrix_t

    @property
    def nbytes(self) -> int:
        """Approximate memory held by the numeric arrays (matrix + idf + semantic space)."""
        m = self.matrix
        semantic = self.semantic.nbytes if self.semantic is not None else 0
        return int(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes + self.idf.nbytes + semantic)

    # ------------------------------------------------------------- persistence
    def to_bytes(self, *, compress: bool = False) -> bytes:
        """Serialise to an ``.npz`` archive (no pickle): arrays as-is, strings as UTF-8 JSON.

        ``compress=True`` roughly halves the size for ~10x the time.
        """
        meta = {"format": _FORMAT_VERSION, "config": asdict(self.config), "shape": list(self.matrix.shape)}
        if self.pivot is not None:
            meta["pivot"] = self.pivot
        arrays: dict[str, Any] = {
            "data": self.matrix.data,
            "indices": self.matrix.indices,
            "indptr": self.matrix.indptr,
            "idf": self.idf,
            "terms": _json_bytes(self.terms),
            "patent_ids": _json_bytes(self.patent_ids),
            "meta": _json_bytes(meta),
        }
        if self.semantic is not None:
            arrays["semantic_components"] = self.semantic.components
            arrays["semantic_patents"] = self.semantic.patent_vectors
            meta["semantic_weight"] = self.semantic.weight
            meta["semantic_floor"] = self.semantic.floor
            prior = self.semantic.classes
            if prior is not None:  # optional arrays: archives without them load without the class prior
                meta["class_share"] = self.semantic.class_share
                meta["class_top"] = prior.top
                meta["class_shapes"] = [list(prior.centroids.shape), list(prior.patents.shape)]
                arrays["class_names"] = _json_bytes(prior.names)
                for key, matrix in (("class_centroids", prior.centroids), ("class_patents", prior.patents)):
                    arrays[f"{key}_data"], arrays[f"{key}_indices"] = matrix.data, matrix.indices
                    arrays[f"{key}_indptr"] = matrix.indptr
            arrays["meta"] = _json_bytes(meta)
        buffer = io.BytesIO()
        (np.savez_compressed if compress else np.savez)(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> MatchIndex:
        """Inverse of :meth:`to_bytes`; refuses pickled content and unknown format versions."""
        with np.load(io.BytesIO(payload), allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes())
            if meta.get("format") not in _READABLE_VERSIONS:
                raise ValueError(f"unsupported index format {meta.get('format')!r}")
            matrix = sp.csr_matrix((archive["data"], archive["indices"], archive["indptr"]), shape=tuple(meta["shape"]))
            semantic = None
            if "semantic_components" in archive.files:
                semantic = SemanticSpace(
                    components=archive["semantic_components"],
                    patent_vectors=archive["semantic_patents"],
                    weight=float(meta["semantic_weight"]),
                    floor=float(meta["semantic_floor"]),
                )
                if "class_names" in archive.files:
                    c_shape, p_shape = (tuple(shape) for shape in meta["class_shapes"])
                    semantic.classes = ClassPrior(
                        names=json.loads(archive["class_names"].tobytes()),
                        centroids=sp.csr_matrix(
                            tuple(archive[f"class_centroids_{k}"] for k in ("data", "indices", "indptr")), shape=c_shape
                        ),
                        patents=sp.csr_matrix(
                            tuple(archive[f"class_patents_{k}"] for k in ("data", "indices", "indptr")), shape=p_shape
                        ),
                        top=int(meta["class_top"]),
                    )
                    semantic.class_share = float(meta["class_share"])
            return cls(
                terms=json.loads(archive["terms"].tobytes()),
                idf=archive["idf"],
                matrix=matrix,
                patent_ids=json.loads(archive["patent_ids"].tobytes()),
                config=IndexConfig(**meta["config"]),
                semantic=semantic,
                pivot=meta.get("pivot"),
            )


def _json_bytes(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def row_norms(matrix: sp.csr_matrix) -> np.ndarray:
    """L2 norm of every row of a CSR matrix (float32)."""
    squares = np.multiply(matrix.data, matrix.data)
    sums = np.add.reduceat(squares, matrix.indptr[:-1]) if squares.size else np.zeros(matrix.shape[0])
    sums[np.diff(matrix.indptr) == 0] = 0.0  # reduceat repeats a value for empty rows
    return np.sqrt(sums).astype(np.float32)


def _pivot_normalise(matrix: sp.csr_matrix, *, slope: float) -> float:
    """Divide each row in place by ``(1 - slope) * mean_norm + slope * norm`` (see module docstring); returns the
    pivot ``mean_norm``."""
    norms = row_norms(matrix)
    nonzero = norms > 0
    pivot = float(norms[nonzero].mean()) if nonzero.any() else 1.0
    divisor = (1.0 - slope) * pivot + slope * norms
    divisor[~nonzero] = 1.0
    matrix.data /= np.repeat(divisor, np.diff(matrix.indptr)).astype(np.float32)
    return pivot


def fit_index(
    *,
    documents: Sequence[Document],
    patent_ids: Sequence[str],
    config: IndexConfig | None = None,
    labels: Sequence[Sequence[str]] | None = None,
) -> MatchIndex:
    """Fit TF-IDF on patent documents (token lists or space-joined tokens, e.g. from
    :func:`matching.engine.documents.patent_tokens`) and return the index.

    ``labels``: each patent's IPC subclasses (empty when unknown), for the class-aware prior of the semantic part.

    Raises ``ValueError`` when lengths differ, ids repeat, or no term survives the df cut-offs.
    """
    config = config or IndexConfig()
    if len(documents) != len(patent_ids):
        raise ValueError(f"{len(documents)} documents but {len(patent_ids)} patent ids")
    if len(set(patent_ids)) != len(patent_ids):
        raise ValueError("patent ids must be unique")
    max_df = config.max_df
    if isinstance(max_df, float) and len(documents) < 20:
        max_df = 1.0  # a fraction is meaningless on tiny corpora; keep every term
    try:
        terms, idf, matrix = tfidf_fit(documents, config=replace(config, max_df=max_df))
    except ValueError as exc:  # "empty vocabulary" / "After pruning, no terms remain"
        raise ValueError(f"no indexable terms in the documents ({exc})") from exc
    pivot = _pivot_normalise(matrix, slope=config.pivot_slope)
    semantic = None
    if config.semantic_components > 0 and config.semantic_weight > 0:
        semantic = fit_semantic(
            matrix=matrix,
            n_components=config.semantic_components,
            weight=config.semantic_weight,
            floor=config.semantic_floor,
            sample_rows=config.semantic_sample_rows,
            labels=labels,
            class_weight=config.class_weight,
            class_top=config.class_top,
            class_centroid_terms=config.class_centroid_terms,
        )
    return MatchIndex(
        terms=terms,
        idf=idf,
        matrix=matrix,
        patent_ids=[str(pid) for pid in patent_ids],
        config=config,
        semantic=semantic,
        pivot=pivot,
    )
