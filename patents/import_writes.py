"""The write of an institution's validated inventory rows (the patent import's service): an upsert by application
number that compares fingerprints, so unchanged rows are not touched."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from core.cache_generation import dashboard_cache_invalidate
from imports.validation import WriteCounts
from patents.models import Institution, InventoryStatus, Patent, PatentLegalStatusChange, PatentStatusChange

BATCH = 1000

# The fields a re-import compares and writes; anything else on the patent (notes, terms set in the UI) is kept.
WRITABLE_FIELDS = [
    "college_id",
    "publication_number",
    "title",
    "abstract",
    "claims",
    "ipc_main",
    "ipc_codes",
    "ipc_section",
    "patent_type",
    "application_date",
    "grant_date",
    "legal_status",
    "applicant",
    "inventors",
    "transfer_modes",
    "price_min",
    "price_max",
    "price_negotiable",
    "value_grade",
    "inventory_status",
    "contact",
]


def _comparable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def import_hash(row: dict) -> str:
    """A stable fingerprint of a row's importable values (what a re-upload compares)."""
    # a row without a college fingerprints as rows did before colleges existed, so re-uploads stay "unchanged"
    fields = [k for k in WRITABLE_FIELDS if k != "college_id" or row.get(k) is not None]
    payload = json.dumps([[k, str(row.get(k))] for k in fields], ensure_ascii=False)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


def patent_rows_upsert(
    *, rows: list[dict], institution: Institution, user: User | None, progress: Callable[[int, int], None]
) -> WriteCounts:
    """Create new patents and update changed ones by application number; unchanged rows are not touched.

    A row is unchanged when its fingerprint equals the one stored at the last import of that patent, so an
    edit made in the UI since then survives re-uploading the same file. The caller holds the transaction;
    rows were validated (and checked against other owners) beforehand.
    """
    counts = WriteCounts()
    now = timezone.now()
    total = len(rows)
    for start in range(0, total, BATCH):
        chunk = rows[start : start + BATCH]
        hashes = {row["application_number"]: import_hash(row) for row in chunk}
        stored = dict(
            Patent.objects.filter(institution=institution, application_number__in=list(hashes)).values_list(
                "application_number", "import_hash"
            )
        )
        dirty = [n for n in hashes if n in stored and stored[n] != hashes[n]]
        existing = {
            p.application_number: p
            for p in Patent.objects.filter(institution=institution, application_number__in=dirty).only(
                "pk", "application_number", "import_hash", *WRITABLE_FIELDS
            )
        }
        new: list[Patent] = []
        changed: list[Patent] = []
        history: list[PatentStatusChange] = []
        legal: list[PatentLegalStatusChange] = []
        for row in chunk:
            number = row["application_number"]
            if number not in stored:
                values = {k: v for k, v in row.items() if k in WRITABLE_FIELDS}
                values["inventory_status"] = values.get("inventory_status") or InventoryStatus.INVENTORIED
                new.append(
                    Patent(application_number=number, institution=institution, import_hash=hashes[number], **values)
                )
                continue
            patent = existing.get(number)
            if patent is None:
                counts.unchanged += 1
                continue
            diff = {
                k: v
                for k, v in row.items()
                if k in WRITABLE_FIELDS and v is not None and _comparable(getattr(patent, k)) != _comparable(v)
            }
            patent.import_hash = hashes[number]
            if not diff:  # same values, different fingerprint (an older import): record it, count unchanged
                Patent.objects.filter(pk=patent.pk).update(import_hash=hashes[number])
                counts.unchanged += 1
                continue
            if "inventory_status" in diff:
                history.append(
                    PatentStatusChange(
                        patent=patent,
                        from_status=patent.inventory_status,
                        to_status=diff["inventory_status"],
                        source="import",
                        actor=user,
                    )
                )
            if "legal_status" in diff:  # the patent's legal history (its page lists it)
                legal.append(
                    PatentLegalStatusChange(
                        patent=patent,
                        from_status=patent.legal_status,
                        to_status=diff["legal_status"],
                        source="import",
                        actor=user,
                    )
                )
            for key, value in diff.items():
                setattr(patent, key, value)
            patent.updated_at = now
            changed.append(patent)
        # New patents get no history row: their ImportJob and created_at already say when and how they came in.
        Patent.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            Patent.objects.bulk_update(changed, [*WRITABLE_FIELDS, "import_hash", "updated_at"], batch_size=BATCH)
        PatentStatusChange.objects.bulk_create(history, batch_size=BATCH)
        PatentLegalStatusChange.objects.bulk_create(legal, batch_size=BATCH)
        counts.created += len(new)
        counts.updated += len(changed)
        progress(start + len(chunk), total)
    dashboard_cache_invalidate()
    return counts
