"""IPC subclasses for the demo's KPPatent-ZH patents, which the source gives none: a vote of their nearest real
titles of cn-patent-ipc (which carry their real IPC subclasses), ranked by the platform's matching engine.

Run once by `python manage.py demo_ipc_infer`, which writes demo_data/kppatent-zh/ipc_inferred.csv; `load_demo` reads
that file (the demo stays fast and every load gives the same codes). A derived label, never a real classification:
demo_data/README.md and the file's PROVENANCE say so.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from matching.engine import Need, match_records
from matching.engine import Patent as EnginePatent

NEIGHBOURS = 20  # real titles that vote (20: the best main-subclass agreement on held-out titles, 44 %)
KEEP_SHARE = 0.5  # a subclass is kept when its vote reaches this share of the best one's
MOST_CODES = 4


@dataclass(frozen=True)
class LabelledTitle:
    """A real patent title with its real IPC subclasses."""

    key: str
    title: str
    subclasses: tuple[str, ...]


@dataclass(frozen=True)
class InferredIpc:
    """The subclasses inferred for one text, best first, and the nearest title that voted."""

    subclasses: tuple[str, ...]
    nearest: str
    score: float


def ipc_infer(*, texts: dict[str, str], titles: Sequence[LabelledTitle]) -> dict[str, InferredIpc]:
    """For each text (key → title and abstract), the subclasses its `NEIGHBOURS` most similar titles vote for, each
    with the sum of their matching scores; kept from the best down to `KEEP_SHARE` of its vote, at most `MOST_CODES`.
    A text sharing no word with any title gets nothing (it stays unclassified)."""
    by_key = {t.key: t for t in titles}
    rows = match_records(
        patents=[EnginePatent(t.key, t.title, "") for t in titles],
        needs=[Need(key, text) for key, text in texts.items()],
        top=NEIGHBOURS,
        n_terms=1,
    )
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    nearest: dict[str, tuple[str, float]] = {}
    for row in rows:
        for subclass in by_key[row.patent_id].subclasses:
            votes[row.need_id][subclass] += row.score
        if row.rank == 1:
            nearest[row.need_id] = (row.patent_id, row.score)
    inferred = {}
    for key, tally in votes.items():
        ranked = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
        best = ranked[0][1]
        kept = tuple(code for code, vote in ranked if vote >= KEEP_SHARE * best)[:MOST_CODES]
        inferred[key] = InferredIpc(subclasses=kept, nearest=nearest[key][0], score=nearest[key][1])
    return inferred
