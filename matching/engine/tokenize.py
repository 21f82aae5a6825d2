"""Chinese word segmentation with jieba semantics.

Pipeline for one text: :func:`clean_text` (lower-case, full-width folding,
boilerplate, reference signs, numbers, punctuation/emoji/control characters)
-> jieba segmentation with HMM **off** in "search" mode -> stop-word filter
(which also drops the units left behind by number removal).

Two interchangeable backends produce identical tokens:

* ``"rjieba"`` – the jieba-rs binding, ~15x faster; used when installed;
* ``"jieba"`` – the reference Python implementation (fallback).

Why HMM off: with HMM on the two implementations disagree on rare Viterbi ties
(e.g. runs of repeated characters), with HMM off they are token-identical
(``tests/matching/engine/test_engine_backend_identity.py`` checks this on the
real claims corpus). The technical-term user dictionary restores the compounds
HMM would otherwise have guessed. Every dictionary entry has an explicit
frequency and is only added when absent from the main dictionary, because the
two implementations update the dictionary total differently otherwise.

Why search mode: it emits a long word *and* its dictionary sub-words
(计算机软件 -> 计算机, 软件, 计算机软件), so a short need written with the
sub-word still meets the patent using the compound.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cached_property
from itertools import filterfalse
from pathlib import Path
from typing import Literal, Protocol

from .clean import clean_text
from .lexicon import DEFAULT_USER_DICT, read_user_dict

__all__ = [
    "DEFAULT_STOPWORDS",
    "Backend",
    "Tokenizer",
    "available_backends",
    "default_tokenizer",
    "read_stopwords",
]

Backend = Literal["auto", "rjieba", "jieba"]

DEFAULT_STOPWORDS = Path(__file__).with_name("data") / "stopwords.txt"

# Whitespace separates cleaned runs; both backends emit it as tokens.
_ALWAYS_DROP = frozenset({" ", "  ", "\n", "\t", ""})


class _Segmenter(Protocol):
    def __call__(self, text: str) -> list[str]: ...


def read_stopwords(path: Path = DEFAULT_STOPWORDS) -> frozenset[str]:
    """Read a stop-word file: one token per line, ``#`` comments and blank lines ignored."""
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


def available_backends() -> list[str]:
    """Names of the segmentation backends importable in this environment, fastest first."""
    names = []
    for name in ("rjieba", "jieba"):
        try:
            __import__(name)
        except ImportError:
            continue
        names.append(name)
    return names


def _build_rjieba(entries: Sequence[tuple[str, int]], search: bool) -> _Segmenter:
    import rjieba  # deferred: an optional backend, loaded only when chosen

    engine = rjieba.Jieba()
    for word, freq in entries:
        if not engine.has_word(word):
            engine.add_word(word, freq, None)
    if search:
        return lambda text: engine.cut_for_search(text, hmm=False)
    return lambda text: engine.cut(text, hmm=False)


def _build_jieba(entries: Sequence[tuple[str, int]], search: bool) -> _Segmenter:
    import logging  # deferred: jieba's own logger is configured only when jieba is used

    import jieba  # deferred: an optional backend (slow import), loaded only when chosen

    logging.getLogger("jieba").setLevel(logging.WARNING)
    engine = jieba.Tokenizer()  # private instance: never mutate the global jieba.dt
    engine.initialize()
    for word, freq in entries:
        if not engine.FREQ.get(word):
            engine.add_word(word, freq)
    if search:
        return lambda text: engine.lcut_for_search(text, HMM=False)
    return lambda text: engine.lcut(text, HMM=False)


class Tokenizer:
    """Segment texts into filtered tokens; picklable (the backend is rebuilt lazily)."""

    def __init__(
        self,
        *,
        backend: Backend = "auto",
        user_dict: Path | None = DEFAULT_USER_DICT,
        stopwords: Iterable[str] | None = None,
        search_mode: bool = True,
        min_len: int = 1,
    ) -> None:
        """Create a tokenizer.

        ``user_dict=None`` disables the technical-term dictionary;
        ``stopwords=None`` uses the shipped list (pass ``()`` for none);
        ``min_len`` drops shorter tokens (1 keeps meaningful single characters such as 泵, 阀).
        """
        if backend == "auto":
            found = available_backends()
            if not found:
                raise ImportError("neither rjieba nor jieba is installed / 未安装 rjieba 或 jieba")
            backend = "rjieba" if "rjieba" in found else "jieba"
        if backend not in ("rjieba", "jieba"):
            raise ValueError(f"unknown backend {backend!r}")
        self.backend: str = backend
        self.user_dict = user_dict
        self.search_mode = search_mode
        self.min_len = min_len
        words = read_stopwords() if stopwords is None else frozenset(stopwords)
        self.stopwords: frozenset[str] = words | _ALWAYS_DROP

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state.pop("_segment", None)  # compiled backends are not picklable; rebuild in the worker
        return state

    @cached_property
    def _segment(self) -> _Segmenter:
        entries = read_user_dict(self.user_dict) if self.user_dict is not None else []
        build = _build_rjieba if self.backend == "rjieba" else _build_jieba
        return build(entries, self.search_mode)

    def _kept(self, text: str | None) -> Iterator[str]:
        cleaned = clean_text(text or "")
        if not cleaned.strip():
            return iter(())
        # filterfalse with the set's bound __contains__ runs in C: faster than a comprehension.
        kept = filterfalse(self.stopwords.__contains__, self._segment(cleaned))
        if self.min_len > 1:
            min_len = self.min_len
            return (w for w in kept if len(w) >= min_len)
        return kept

    def tokenize(self, text: str | None) -> list[str]:
        """Tokens of one text, in order, stop words and noise removed. ``None``/"" give ``[]``."""
        return list(self._kept(text))

    def tokenize_joined(self, text: str | None) -> str:
        """Tokens of one text joined by single spaces (tokens never contain whitespace)."""
        return " ".join(self._kept(text))

    def tokenize_many(self, texts: Sequence[str | None], *, processes: int = 1) -> list[list[str]]:
        """Tokenize many texts; ``processes > 1`` spreads the work over CPUs (see :meth:`tokenize_many_joined`)."""
        if not _worth_forking(processes=processes, n_texts=len(texts)):
            return [self.tokenize(text) for text in texts]
        return [doc.split() for doc in self._parallel(texts, processes=processes, own_share=0.85)]

    def tokenize_many_joined(self, texts: Sequence[str | None], *, processes: int = 1) -> list[str]:
        """Tokenize many texts into space-joined strings: the compact bulk format.

        One string per document pickles ~20x faster than a list of small
        strings (so worker processes pay off), stores well in a text column, and
        :func:`matching.engine.vectorize.fit_index` accepts it directly.

        With ``processes > 1`` the calling process works too while
        ``processes - 1`` forked children take the other shares. Inside a
        daemonic process (e.g. a Celery prefork worker), which may not have
        children, the work silently stays in the calling process.
        """
        if not _worth_forking(processes=processes, n_texts=len(texts)):
            return [self.tokenize_joined(text) for text in texts]
        return self._parallel(texts, processes=processes, own_share=0.97)

    def _parallel(self, texts: Sequence[str | None], *, processes: int, own_share: float) -> list[str]:
        """Joined tokens of ``texts`` computed by the caller plus ``processes - 1`` children, in order.

        ``own_share`` < 1 shrinks the caller's share of the characters when it
        has extra work to do on the children's output afterwards.
        """
        _ = self._segment  # build the backend once, before forking, so children inherit it
        child_blocks, own = _partition(texts=texts, processes=processes, own_share=own_share)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        # Frozen objects are ignored by the children's garbage collector, which would
        # otherwise walk (and copy-on-write) the parent's whole heap.
        gc.freeze()
        try:
            with ProcessPoolExecutor(
                max_workers=processes - 1,
                mp_context=multiprocessing.get_context(method),
                initializer=_init_worker,
                initargs=(self,),
            ) as pool:
                futures = [pool.submit(_tokenize_joined, block) for block in child_blocks]
                own_joined = [self.tokenize_joined(text) for text in own]
                result = [doc for future in futures for doc in future.result()]
        finally:
            gc.unfreeze()
        result.extend(own_joined)
        return result


def _worth_forking(*, processes: int, n_texts: int) -> bool:
    """More than one process asked for, enough texts to share, and allowed to have children."""
    return processes > 1 and n_texts >= 4 * processes and not multiprocessing.current_process().daemon


def _partition(
    *, texts: Sequence[str | None], processes: int, own_share: float
) -> tuple[list[list[str | None]], list[str | None]]:
    """Split ``texts`` into blocks for the children (in order) and a tail for the caller.

    Shares are by characters, not documents; the caller gets ``own_share`` of a fair share.
    """
    sizes = [len(text or "") for text in texts]
    own_chars = sum(sizes) / processes * own_share
    cut, acc = len(texts), 0
    while cut > 1 and acc + sizes[cut - 1] <= own_chars:
        cut -= 1
        acc += sizes[cut]
    head = list(texts[:cut])
    # Several blocks per child keep each pickled message small.
    per_block = max(1, -(-len(head) // ((processes - 1) * 4)))
    blocks = [head[i : i + per_block] for i in range(0, len(head), per_block)]
    return blocks, list(texts[cut:])


_WORKER: Tokenizer | None = None


def _init_worker(tokenizer: Tokenizer) -> None:
    global _WORKER
    _WORKER = tokenizer


def _tokenize_joined(texts: list[str | None]) -> list[str]:
    assert _WORKER is not None
    return [_WORKER.tokenize_joined(text) for text in texts]


_DEFAULT: Tokenizer | None = None


def default_tokenizer() -> Tokenizer:
    """Process-wide tokenizer with the shipped dictionary and stop words (built on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Tokenizer()
    return _DEFAULT
