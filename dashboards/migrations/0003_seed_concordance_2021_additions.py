"""Add the concordance rows of dashboards/data/ipc_sei_concordance_2021_additions.csv (each with its source: a branch
of the 2021 参照关系表 or the platform's own judgement, see dashboards/data/README.md). A prefix already in the table
(an administrator's row) is left as it is."""

import csv
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "ipc_sei_concordance_2021_additions.csv"


def _rows():
    with DATA_FILE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def seed(apps, schema_editor):
    mapping = apps.get_model("dashboards", "IpcIndustryMapping")
    existing = set(mapping.objects.values_list("ipc_prefix", flat=True))
    mapping.objects.bulk_create(
        mapping(ipc_prefix=row["ipc_prefix"], category=row["category"], note=row["note"])
        for row in _rows()
        if row["ipc_prefix"] not in existing
    )


def unseed(apps, schema_editor):
    mapping = apps.get_model("dashboards", "IpcIndustryMapping")
    for row in _rows():  # only the rows this migration added, as it added them
        mapping.objects.filter(ipc_prefix=row["ipc_prefix"], category=row["category"], note=row["note"]).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0002_seed_concordance")]

    operations = [migrations.RunPython(seed, unseed)]
