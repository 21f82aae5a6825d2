"""Seed the IPC → industry concordance from the starter table shipped in dashboards/data/."""

import csv
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "ipc_sei_concordance.csv"


def seed(apps, schema_editor):
    mapping = apps.get_model("dashboards", "IpcIndustryMapping")
    with DATA_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(mapping.objects.values_list("ipc_prefix", flat=True))
    mapping.objects.bulk_create(
        mapping(ipc_prefix=row["ipc_prefix"], category=row["category"], note=row["note"])
        for row in rows
        if row["ipc_prefix"] not in existing
    )


def unseed(apps, schema_editor):
    apps.get_model("dashboards", "IpcIndustryMapping").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
