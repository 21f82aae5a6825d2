"""Files of a matching run in default_storage: the fitted index and the enterprises' query matrix (.npz).

A run writes them once when it is prepared; chunk workers and readers load them (cached per process); finalising a
newer run removes the files of runs no reader can reach any more.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from matching.engine import MatchIndex
from matching.models import MatchRun

logger = logging.getLogger(__name__)


def _queries_path(index_path: str) -> str:
    return index_path.replace("index.npz", "queries.npz")


def _replace(path: str, payload: bytes) -> None:
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(payload))


def run_artifacts_save(*, run: MatchRun, index: MatchIndex, queries: sp.csr_matrix, enterprise_ids: np.ndarray) -> str:
    """Store a run's index and query matrix; returns the index path (the run's `index_path`)."""
    # the creation time in the path: databases sharing one media root (staging restored from production, a bench
    # database beside the demo) reuse run numbers, and one run's index must never be read as another's
    index_path = f"matching/runs/{run.pk}-{run.created_at:%Y%m%dT%H%M%S%f}/index.npz"
    _replace(index_path, index.to_bytes())
    buffer = io.BytesIO()
    np.savez(
        buffer,
        data=queries.data,
        indices=queries.indices,
        indptr=queries.indptr,
        shape=np.array(queries.shape),
        enterprise_ids=np.asarray(enterprise_ids, dtype=np.int64),
    )
    _replace(_queries_path(index_path), buffer.getvalue())
    return index_path


def run_artifacts(run: MatchRun) -> tuple[MatchIndex, sp.csr_matrix, np.ndarray]:
    """Index, enterprise query matrix and enterprise ids of a run (cached per worker process)."""
    return _load(run.pk, run.created_at.isoformat(), run.index_path)


@lru_cache(maxsize=2)
def _load(run_pk: int, created: str, index_path: str) -> tuple[MatchIndex, sp.csr_matrix, np.ndarray]:
    # keyed by creation time too: a reused primary key (tests, restored backups) must not hit a stale entry
    with default_storage.open(index_path, "rb") as fh:
        index = MatchIndex.from_bytes(fh.read())
    with default_storage.open(_queries_path(index_path), "rb") as fh, np.load(fh) as archive:
        queries = sp.csr_matrix((archive["data"], archive["indices"], archive["indptr"]), shape=tuple(archive["shape"]))
        enterprise_ids = archive["enterprise_ids"]
    return index, queries, enterprise_ids


def run_artifacts_delete(*, index_paths: list[str]) -> None:
    """Remove the index and query files of runs no reader can reach any more (one province run is ~30 MB)."""
    for index_path in index_paths:
        for path in (index_path, _queries_path(index_path)):
            try:
                if default_storage.exists(path):
                    default_storage.delete(path)
            except OSError:  # a file already gone or unreadable must not fail the run that replaced it
                logger.warning("could not delete matching artifact %s", path, exc_info=True)
