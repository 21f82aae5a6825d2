"""Build and load the technical-term user dictionary (``data/user_dict.txt``).

The shipped dictionary was produced once, offline, by::

    python -m matching.engine.lexicon \\
        --abstracts ../shared/data/kppatent-zh/patents_abstracts.csv \\
        --out matching/engine/data/user_dict.txt

Sources (KPPatent-ZH abstracts, MIT licence):

* author keyphrases that jieba's main dictionary lacks, that occur verbatim in
  at least ``min_text_df`` abstracts (drops typos), and that look like whole
  words: at least ``min_contexts`` distinct characters on each side across
  those occurrences (drops truncated fragments such as 聚氧乙, which are always
  followed by 烯).

The engine segments with HMM *off* (so the fast backend is token-identical to
jieba); the dictionary restores technical compounds that HMM would otherwise
have guessed. Mining HMM discoveries directly was tried and rejected: most are
junk spans such as 值为 or 物及.

Every entry carries an explicit frequency (jieba's ``suggest_freq`` at build
time): an explicit frequency makes ``add_word`` behave identically in jieba
and jieba-rs, whose automatic frequency estimates differ slightly.

Only the abstracts file is used so that the full-patent set (696 documents) and
the IPC titles stay unseen for the quality benchmark.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["DEFAULT_USER_DICT", "build_user_dict", "read_user_dict", "write_user_dict"]

DEFAULT_USER_DICT = Path(__file__).with_name("data") / "user_dict.txt"

_HAN_WORD = re.compile(r"[\u4e00-\u9fd5]{2,8}")


def read_user_dict(path: Path) -> list[tuple[str, int]]:
    """Parse a jieba-format dictionary (``word freq [tag]`` per line) into ``(word, freq)`` pairs."""
    entries: list[tuple[str, int]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        entries.append((parts[0], int(parts[1])))
    return entries


def write_user_dict(*, entries: Iterable[tuple[str, int]], path: Path) -> None:
    """Write ``(word, freq)`` pairs in jieba's dictionary format, sorted for stable diffs."""
    lines = [f"{word} {freq}" for word, freq in sorted(entries)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_user_dict(
    *,
    keyphrase_lists: Sequence[Sequence[str]],
    texts: Sequence[str],
    min_text_df: int = 2,
    min_contexts: int = 2,
) -> list[tuple[str, int]]:
    """Return new technical terms with explicit jieba frequencies.

    ``keyphrase_lists[i]`` are the annotated keyphrases of ``texts[i]``.
    Requires the ``jieba`` package (build time only).
    """
    import jieba  # deferred: jieba (slow import) loads only when the user dictionary is built

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    known = tokenizer.FREQ

    def is_new(word: str) -> bool:
        return bool(_HAN_WORD.fullmatch(word)) and not known.get(word)

    candidates: set[str] = set()
    phrases = {p.strip().lower() for plist in keyphrase_lists for p in plist}
    for phrase in phrases:
        if not is_new(phrase):
            continue
        containing = [text for text in texts if phrase in text]
        if len(containing) < min_text_df:
            continue
        left, right = _contexts(phrase=phrase, texts=containing)
        if len(left) >= min_contexts and len(right) >= min_contexts:
            candidates.add(phrase)

    # Frequencies are computed against the untouched main dictionary so that
    # the result does not depend on insertion order.
    return [(word, tokenizer.suggest_freq(word, False)) for word in sorted(candidates)]


def _contexts(*, phrase: str, texts: Sequence[str]) -> tuple[Counter[str], Counter[str]]:
    """Count the characters seen just before and just after ``phrase`` ('' = text edge)."""
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for text in texts:
        for match in re.finditer(re.escape(phrase), text):
            left[text[match.start() - 1] if match.start() else ""] += 1
            right[text[match.end()] if match.end() < len(text) else ""] += 1
    return left, right


def _main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--abstracts", type=Path, required=True, help="KPPatent-ZH patents_abstracts.csv")
    parser.add_argument("--out", type=Path, default=DEFAULT_USER_DICT)
    args = parser.parse_args()
    with args.abstracts.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    entries = build_user_dict(
        keyphrase_lists=[row["keyphrases"].split(",") for row in rows],
        texts=[row["abstract"] for row in rows],
    )
    write_user_dict(entries=entries, path=args.out)
    print(f"wrote {len(entries)} entries to {args.out}")


if __name__ == "__main__":
    _main()
