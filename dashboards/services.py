"""Writes of the dashboards app: (re)seeding the IPC concordance (its writes move the cache generation on,
core.cache_generation)."""

import csv
from pathlib import Path

from core.cache_generation import dashboard_cache_invalidate
from dashboards.models import IpcIndustryMapping, ipc_normalize

CONCORDANCE_FILE = Path(__file__).resolve().parent / "data" / "ipc_sei_concordance.csv"


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
