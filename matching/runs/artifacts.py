"""Files of a matching run in the artifacts storage (settings.STORAGES["artifacts"]: the media directory by default,
an S3-compatible bucket when configured, so workers on other hosts read what the preparing one wrote).

Every run writes, in its own directory, the fitted index and the enterprises' query matrix (.npz), which the chunk
workers and the readers load (cached per process). A run sharded by patents (settings.MATCHING_SHARD_PATENTS) also
writes, so that a chunk worker loads only what its task needs:

- ``shard-<s>.npz``: the index cut to shard s's patents (matching.engine.index_shard);
- ``queries-<n>.npz``: chunk n's query rows and enterprise ids;
- ``feedback-<n>.npz``: chunk n's feedback events, taken when the run was prepared, with their patents' vectors
  (an event's patent may be in any shard);
- ``candidates-<n>-<s>.npz``: what a chunk task ranked of chunk n against shard s, until the chunk is merged.

Every chunk also keeps ``demand-<n>.npz``, its share of the run's supply and demand (matching.runs.chunk_demand).

Finalising a newer run removes the directories of runs no reader can reach any more.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from matching.engine import FeedbackEvent, FeedbackKind, MatchIndex
from matching.models import MatchRun

logger = logging.getLogger(__name__)

FEEDBACK_KIND_CODES: tuple[FeedbackKind, ...] = ("declined", "withdrawn", "followed", "signed")


def artifacts_storage():  # noqa: ANN201 - a Storage (django-storages' S3Storage or FileSystemStorage)
    """The storage of the runs' files: STORAGES["artifacts"]."""
    return storages["artifacts"]


def _queries_path(index_path: str) -> str:
    return index_path.replace("index.npz", "queries.npz")


def _in_run(index_path: str, name: str) -> str:
    return f"{index_path.rsplit('/', 1)[0]}/{name}"


def _replace(path: str, payload: bytes) -> None:
    storage = artifacts_storage()
    if storage.exists(path):
        storage.delete(path)
    storage.save(path, ContentFile(payload))


def _npz(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]  # numpy's stub types the keywords as allow_pickle
    return buffer.getvalue()


def _csr_arrays(prefix: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {
        f"{prefix}data": matrix.data,
        f"{prefix}indices": matrix.indices,
        f"{prefix}indptr": matrix.indptr,
        f"{prefix}shape": np.array(matrix.shape),
    }


def _csr(archive, prefix: str = "") -> sp.csr_matrix:  # noqa: ANN001 - an open NpzFile
    return sp.csr_matrix(
        (archive[f"{prefix}data"], archive[f"{prefix}indices"], archive[f"{prefix}indptr"]),
        shape=tuple(archive[f"{prefix}shape"]),
    )


def _read(path: str) -> bytes:
    with artifacts_storage().open(path, "rb") as fh:
        return fh.read()


def run_artifacts_save(*, run: MatchRun, index: MatchIndex, queries: sp.csr_matrix, enterprise_ids: np.ndarray) -> str:
    """Store a run's index and query matrix; returns the index path (the run's `index_path`)."""
    # the creation time in the path: databases sharing one media root (staging restored from production, a bench
    # database beside the demo) reuse run numbers, and one run's index must never be read as another's
    index_path = f"matching/runs/{run.pk}-{run.created_at:%Y%m%dT%H%M%S%f}/index.npz"
    _replace(index_path, index.to_bytes())
    _replace(
        _queries_path(index_path),
        _npz(**_csr_arrays("", queries), enterprise_ids=np.asarray(enterprise_ids, dtype=np.int64)),
    )
    return index_path


def run_artifacts(run: MatchRun) -> tuple[MatchIndex, sp.csr_matrix, np.ndarray]:
    """Index, enterprise query matrix and enterprise ids of a run (cached per worker process)."""
    return _load(run.pk, run.created_at.isoformat(), run.index_path)


@lru_cache(maxsize=2)
def _load(run_pk: int, created: str, index_path: str) -> tuple[MatchIndex, sp.csr_matrix, np.ndarray]:
    # keyed by creation time too: a reused primary key (tests, restored backups) must not hit a stale entry
    index = MatchIndex.from_bytes(_read(index_path))
    with np.load(io.BytesIO(_read(_queries_path(index_path)))) as archive:
        queries, enterprise_ids = _csr(archive), archive["enterprise_ids"]
    return index, queries, enterprise_ids


# ------------------------------------------------------------------------------------------ sharded runs
def run_shard_save(*, index_path: str, shard: int, index: MatchIndex) -> None:
    """Store shard `shard`'s index (matching.engine.index_shard of the run's index)."""
    _replace(_in_run(index_path, f"shard-{shard}.npz"), index.to_bytes())


def run_shard(run: MatchRun, shard: int) -> MatchIndex:
    """Shard `shard`'s index of a sharded run (cached per process: one shard at a time, so a worker holds one)."""
    return _load_shard(run.pk, run.created_at.isoformat(), run.index_path, shard)


@lru_cache(maxsize=1)
def _load_shard(run_pk: int, created: str, index_path: str, shard: int) -> MatchIndex:
    return MatchIndex.from_bytes(_read(_in_run(index_path, f"shard-{shard}.npz")))


def run_chunk_save(
    *,
    index_path: str,
    number: int,
    queries: sp.csr_matrix,
    enterprise_ids: np.ndarray,
    events: dict[int, list[FeedbackEvent]],
    patent_matrix: sp.csr_matrix,
) -> None:
    """Store chunk `number`'s query rows and enterprise ids, and its feedback `events` (by enterprise) with the
    vectors of their patents (rows of the run's whole `patent_matrix`)."""
    _replace(
        _in_run(index_path, f"queries-{number}.npz"),
        _npz(**_csr_arrays("", queries), enterprise_ids=np.asarray(enterprise_ids, dtype=np.int64)),
    )
    owners = [int(e) for e in enterprise_ids if int(e) in events]
    flat = [(owner, event) for owner in owners for event in events[owner]]
    rows = np.array([event.patent_row for _, event in flat], dtype=np.int64)
    _replace(
        _in_run(index_path, f"feedback-{number}.npz"),
        _npz(
            enterprise_ids=np.array([owner for owner, _ in flat], dtype=np.int64),
            rows=rows,
            kinds=np.array([FEEDBACK_KIND_CODES.index(event.kind) for _, event in flat], dtype=np.int8),
            **_csr_arrays("vectors_", sp.csr_matrix(patent_matrix[rows])),
        ),
    )


@dataclass(frozen=True)
class ChunkFeedback:
    """A chunk's feedback as its run was prepared: each enterprise's events (patent rows of the whole index) and
    the vectors of the events' patents, in the same order."""

    events: dict[int, list[FeedbackEvent]]
    vectors: dict[int, sp.csr_matrix]


def run_chunk(run: MatchRun, number: int) -> tuple[sp.csr_matrix, np.ndarray, ChunkFeedback]:
    """Chunk `number`'s query rows, enterprise ids and feedback, of a sharded run."""
    with np.load(io.BytesIO(_read(_in_run(run.index_path, f"queries-{number}.npz")))) as archive:
        queries, enterprise_ids = _csr(archive), archive["enterprise_ids"]
    with np.load(io.BytesIO(_read(_in_run(run.index_path, f"feedback-{number}.npz")))) as archive:
        owners, rows, kinds = archive["enterprise_ids"], archive["rows"], archive["kinds"]
        vectors = _csr(archive, "vectors_")
    events: dict[int, list[FeedbackEvent]] = {}
    at: dict[int, list[int]] = {}
    for i, (owner, row, kind) in enumerate(zip(owners.tolist(), rows.tolist(), kinds.tolist(), strict=True)):
        events.setdefault(owner, []).append(FeedbackEvent(row, FEEDBACK_KIND_CODES[kind]))
        at.setdefault(owner, []).append(i)
    return queries, enterprise_ids, ChunkFeedback(events, {owner: vectors[places] for owner, places in at.items()})


def run_candidates_save(*, run: MatchRun, number: int, shard: int, arrays: dict[str, np.ndarray]) -> None:
    """Store what chunk `number` ranked against shard `shard` until the chunk is merged."""
    _replace(_in_run(run.index_path, f"candidates-{number}-{shard}.npz"), _npz(**arrays))


def run_candidates_exist(*, run: MatchRun, number: int, shard: int) -> bool:
    return artifacts_storage().exists(_in_run(run.index_path, f"candidates-{number}-{shard}.npz"))


def run_candidates(*, run: MatchRun, number: int, shard: int) -> dict[str, np.ndarray]:
    """What chunk `number` ranked against shard `shard` (run_candidates_save)."""
    with np.load(io.BytesIO(_read(_in_run(run.index_path, f"candidates-{number}-{shard}.npz")))) as archive:
        return {name: archive[name] for name in archive.files}


def run_candidates_delete(*, run: MatchRun, number: int, shards: int) -> None:
    """Remove chunk `number`'s candidates once its rows are written (a file already gone is fine)."""
    _delete([_in_run(run.index_path, f"candidates-{number}-{shard}.npz") for shard in range(shards)])


# ------------------------------------------------------------------------------------------ a run's other files
def run_file_save(*, run: MatchRun, name: str, arrays: dict[str, np.ndarray]) -> None:
    """Store `arrays` as the run's file `name` (replacing it)."""
    _replace(_in_run(run.index_path, name), _npz(**arrays))


def run_file_read(*, run: MatchRun, name: str) -> bytes | None:
    """The bytes of the run's file `name`, or None when there is none."""
    path = _in_run(run.index_path, name)
    if not artifacts_storage().exists(path):
        return None
    return _read(path)


# ------------------------------------------------------------------------------------------------ clean-up
def run_artifacts_delete(*, index_paths: list[str]) -> None:
    """Remove every file of runs no reader can reach any more (one province run is ~30 MB unsharded)."""
    storage = artifacts_storage()
    for index_path in index_paths:
        paths = [index_path, _queries_path(index_path)]
        try:
            _, files = storage.listdir(index_path.rsplit("/", 1)[0])
            paths += [_in_run(index_path, name) for name in files if _in_run(index_path, name) not in paths]
        except (OSError, NotImplementedError):  # the directory is gone, or a storage that cannot list
            pass
        _delete(paths)


def _delete(paths: list[str]) -> None:
    storage = artifacts_storage()
    for path in paths:
        try:
            if storage.exists(path):
                storage.delete(path)
        except OSError:  # a file already gone or unreadable must not fail the run that replaced it
            logger.warning("could not delete matching artifact %s", path, exc_info=True)
