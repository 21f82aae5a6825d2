"""Writes of the dashboards app: (re)seeding the IPC concordance (its writes move the cache generation on,
core.cache_generation)."""

import csv
from pathlib import Path

from core.cache_generation import dashboard_cache_invalidate
from dashboards.models import IpcIndustryMapping, ipc_normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
CONCORDANCE_FILE = DATA_DIR / "ipc_sei_concordance.csv"
# the files the data migrations seed, in their order (0002, 0003): the starter table, then the 2021 additions
CONCORDANCE_FILES = (CONCORDANCE_FILE, DATA_DIR / "ipc_sei_concordance_2021_additions.csv")


def concordance_seed(*, paths: tuple[Path, ...] = CONCORDANCE_FILES) -> int:
    """Add the rows of `paths` whose prefix is not in the table yet (as the data migrations do); returns how many
    were added."""
    rows = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh))
    existing = set(IpcIndustryMapping.objects.values_list("ipc_prefix", flat=True))
    new = []
    for row in rows:
        prefix = ipc_normalize(row["ipc_prefix"])
        if prefix not in existing:
            existing.add(prefix)
            new.append(IpcIndustryMapping(ipc_prefix=prefix, category=row["category"], note=row["note"]))
    IpcIndustryMapping.objects.bulk_create(new)
    dashboard_cache_invalidate()
    return len(new)
