"""Writes for reference data and the audit log."""

import csv
from pathlib import Path
from typing import Any

from django.db import transaction

from core.models import AuditLog, City, Province

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def regions_ensure(*, province_model: type[Province] = Province, city_model: type[City] = City) -> tuple[int, int]:
    """Load GB/T 2260 provinces and prefecture-level cities; idempotent (also used by the data migration)."""
    with (DATA_DIR / "provinces.csv").open(encoding="utf-8") as fh:
        provinces = [province_model(code=row["code"], name=row["name"]) for row in csv.DictReader(fh)]
    province_model.objects.bulk_create(provinces, ignore_conflicts=True)
    with (DATA_DIR / "cities.csv").open(encoding="utf-8") as fh:
        cities = [
            city_model(code=row["code"], name=row["name"], province_id=row["provinceCode"])
            for row in csv.DictReader(fh)
        ]
    city_model.objects.bulk_create(cities, ignore_conflicts=True)
    return province_model.objects.count(), city_model.objects.count()


def audit_log_record(
    *,
    actor: Any | None,
    action: str,
    target: Any | None = None,
    detail: dict | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """Append one audit entry; `target` is any model instance (its class name and pk are stored)."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
        ip_address=ip_address,
    )
