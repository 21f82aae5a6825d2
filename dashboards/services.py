"""Writes of the dashboards app: invalidating cached figures, (re)seeding the IPC concordance."""

import csv
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

from dashboards.cache import CACHE_VERSION_KEY
from dashboards.models import IpcIndustryMapping, ipc_normalize

CONCORDANCE_FILE = Path(__file__).resolve().parent / "data" / "ipc_sei_concordance.csv"


def dashboard_cache_invalidate() -> None:
    """Move the cache generation on, so every cached figure is recomputed on next read.

    Every service that writes rows the figures count calls it (patents, enterprises, follows, needs, docking
    requests, the concordance); writes outside services (shell, migrations) show up after DASHBOARD_CACHE_SECONDS.

    Called now and again after commit: a read racing the writing transaction could otherwise cache old figures
    under the new generation.
    """

    def bump() -> None:
        try:
            cache.incr(CACHE_VERSION_KEY)
        except ValueError:  # key missing (evicted or never read): start a fresh generation
            cache.set(CACHE_VERSION_KEY, 2, timeout=None)

    bump()
    transaction.on_commit(bump)


def concordance_seed(*, path: Path = CONCORDANCE_FILE) -> int:
    """Add the starter rows of `path` whose prefix is not in the table yet; returns how many were added."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(IpcIndustryMapping.objects.values_list("ipc_prefix", flat=True))
    new = [
        IpcIndustryMapping(ipc_prefix=ipc_normalize(row["ipc_prefix"]), category=row["category"], note=row["note"])
        for row in rows
        if ipc_normalize(row["ipc_prefix"]) not in existing
    ]
    IpcIndustryMapping.objects.bulk_create(new)
    dashboard_cache_invalidate()
    return len(new)
