"""Writes for the patent inventory: import upserts, pooling, terms, edits, with a status history."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.access import is_officer
from accounts.models import User
from core.cache_generation import dashboard_cache_invalidate
from core.errors import ApplicationError
from core.services import audit_log_record
from patents.hooks import pool_changed
from patents.models import (
    InventoryStatus,
    OpenLicencePayment,
    Patent,
    PatentLegalStatusChange,
    PatentStatusChange,
    TransferMode,
)


def _pool_changed(patent_ids: Iterable[int]) -> None:
    """Pooled, withdrawn or edited patents: matching re-ranks the enterprises they concern, after commit. The task is
    the one registered on patents.hooks.pool_changed: matching sits above patents, so this module imports nothing of
    it."""
    ids = sorted({int(pk) for pk in patent_ids})
    if ids:
        pool_changed.send(ids, critical=False)


def _status_change(*, patent: Patent, to_status: str, user: User, reason: str = "", source: str = "manual") -> None:
    if patent.inventory_status == to_status:
        return
    PatentStatusChange.objects.create(
        patent=patent,
        from_status=patent.inventory_status,
        to_status=to_status,
        reason=reason,
        actor=user,
        source=source,
    )
    patent.inventory_status = to_status


def status_change_record(*, patent: Patent, to_status: str, user: User, reason: str = "") -> None:
    """Record a change of `patent`'s inventory status (its history) and set it; the caller saves (patents.review)."""
    _status_change(patent=patent, to_status=to_status, user=user, reason=reason)


def open_licence_terms_check(
    *, payment: str, lump_sum: Decimal | None, royalty_rate: Decimal | None, entry_fee: Decimal | None
) -> None:
    """Open-licence terms must be complete for the chosen payment and within the configured national caps."""
    errors: dict[str, str] = {}
    caps = settings.OPEN_LICENCE_CAPS
    if payment == OpenLicencePayment.LUMP_SUM:
        if lump_sum is None or lump_sum <= 0:
            errors["open_licence_lump_sum"] = "一次性总额必须大于 0 / the lump sum must be above 0"
        elif lump_sum > caps["lump_sum_max"]:
            errors["open_licence_lump_sum"] = (
                f"一次性总额超过开放许可上限 {caps['lump_sum_max']} 元 / lump sum above the open-licence cap"
            )
    elif payment in (OpenLicencePayment.ROYALTY, OpenLicencePayment.ENTRY_PLUS_ROYALTY):
        if royalty_rate is None or royalty_rate <= 0:
            errors["open_licence_royalty_rate"] = "提成比例必须大于 0 / the royalty rate must be above 0"
        elif royalty_rate > caps["royalty_rate_max"]:
            errors["open_licence_royalty_rate"] = (
                f"提成比例超过开放许可上限 {caps['royalty_rate_max']}% / royalty rate above the open-licence cap"
            )
        if payment == OpenLicencePayment.ENTRY_PLUS_ROYALTY:
            if entry_fee is None or entry_fee <= 0:
                errors["open_licence_entry_fee"] = "入门费必须大于 0 / the entry fee must be above 0"
            elif entry_fee > caps["entry_fee_max"]:
                errors["open_licence_entry_fee"] = (
                    f"入门费超过开放许可上限 {caps['entry_fee_max']} 元 / entry fee above the open-licence cap"
                )
    else:
        errors["open_licence_payment"] = "开放许可须选择付费方式 / choose how the open licence is paid"
    if errors:
        raise ValidationError(errors)


NEGATIVE_AMOUNT_MESSAGE = "金额不能为负数 / an amount cannot be negative"


def patent_terms_clean(
    *,
    transfer_modes: list[str],
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
    price_negotiable: bool = False,
    contact: str = "",
    contact_phone: str = "",
    open_licence_payment: str = "",
    open_licence_lump_sum: Decimal | None = None,
    open_licence_royalty_rate: Decimal | None = None,
    open_licence_entry_fee: Decimal | None = None,
    open_licence_years: int | None = None,
) -> dict[str, Any]:
    """Pooling terms checked for completeness and the open-licence caps (after PatentTermsForm's field rules), as
    the values to store: modes once each, the open-licence fields emptied when the patent is not openly licensed.
    Raises ValidationError; writes nothing."""
    unknown = [m for m in transfer_modes if m not in TransferMode.values]
    if unknown or not transfer_modes:
        raise ValidationError(
            {"transfer_modes": "请至少选择一种有效的转化方式 / choose at least one valid transfer mode"}
        )
    amounts = {
        "price_min": price_min,
        "price_max": price_max,
        "open_licence_lump_sum": open_licence_lump_sum,
        "open_licence_royalty_rate": open_licence_royalty_rate,
        "open_licence_entry_fee": open_licence_entry_fee,
    }
    negative = {field: NEGATIVE_AMOUNT_MESSAGE for field, value in amounts.items() if value is not None and value < 0}
    if negative:  # PatentTermsForm refuses these first; a caller that skipped it is refused the same way
        raise ValidationError(negative)
    if price_min is not None and price_max is not None and price_min > price_max:
        raise ValidationError({"price_max": "价格上限不能低于下限 / the upper price is below the lower one"})
    if TransferMode.OPEN_LICENCE in transfer_modes:
        open_licence_terms_check(
            payment=open_licence_payment,
            lump_sum=open_licence_lump_sum,
            royalty_rate=open_licence_royalty_rate,
            entry_fee=open_licence_entry_fee,
        )
    else:
        open_licence_payment, open_licence_lump_sum, open_licence_royalty_rate = "", None, None
        open_licence_entry_fee, open_licence_years = None, None
    return {
        "transfer_modes": list(dict.fromkeys(transfer_modes)),
        "price_min": price_min,
        "price_max": price_max,
        "price_negotiable": price_negotiable,
        "contact": contact,
        "contact_phone": contact_phone,
        "open_licence_payment": open_licence_payment,
        "open_licence_lump_sum": open_licence_lump_sum,
        "open_licence_royalty_rate": open_licence_royalty_rate,
        "open_licence_entry_fee": open_licence_entry_fee,
        "open_licence_years": open_licence_years,
    }


@transaction.atomic
def patent_terms_set(
    *,
    patent: Patent,
    user: User,
    transfer_modes: list[str],
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
    price_negotiable: bool = False,
    contact: str = "",
    contact_phone: str = "",
    open_licence_payment: str = "",
    open_licence_lump_sum: Decimal | None = None,
    open_licence_royalty_rate: Decimal | None = None,
    open_licence_entry_fee: Decimal | None = None,
    open_licence_years: int | None = None,
) -> Patent:
    """Set the pooling terms (transfer modes, asking price, open-licence declaration, contact), checked by
    `patent_terms_clean`."""
    terms = patent_terms_clean(
        transfer_modes=transfer_modes,
        price_min=price_min,
        price_max=price_max,
        price_negotiable=price_negotiable,
        contact=contact,
        contact_phone=contact_phone,
        open_licence_payment=open_licence_payment,
        open_licence_lump_sum=open_licence_lump_sum,
        open_licence_royalty_rate=open_licence_royalty_rate,
        open_licence_entry_fee=open_licence_entry_fee,
        open_licence_years=open_licence_years,
    )
    for key, value in terms.items():
        setattr(patent, key, value)
    patent.save()
    audit_log_record(actor=user, action="patent.terms_set", target=patent, detail={"modes": patent.transfer_modes})
    return patent


def _owned(patents: Iterable[Patent], user: User) -> list[Patent]:
    patents = list(patents)
    if any(p.institution_id != user.institution_id for p in patents) or not is_officer(user):
        raise ApplicationError("只能操作本单位的专利 / you can only change your own institution's patents")
    return patents


@transaction.atomic
def patents_pool(*, patents: Iterable[Patent], user: User) -> int:
    """Mark patents transferable (入库). A patent needs terms (a transfer mode) and a living right to be pooled."""
    pooled: list[int] = []
    for patent in _owned(patents, user):
        if not patent.transfer_modes:
            raise ApplicationError(
                f"{patent.application_number} 尚未设置转化方式，请先设置许可条件 / set transfer terms before pooling",
                {"application_number": patent.application_number},
            )
        if patent.legal_status == "invalid":
            raise ApplicationError(
                f"{patent.application_number} 已失效，不能入库 / a lapsed patent cannot be pooled",
                {"application_number": patent.application_number},
            )
        if patent.inventory_status != InventoryStatus.POOLED:
            _status_change(patent=patent, to_status=InventoryStatus.POOLED, user=user)
            patent.save(update_fields=["inventory_status", "updated_at"])
            pooled.append(patent.pk)
    audit_log_record(actor=user, action="patent.pool", detail={"count": len(pooled)})
    dashboard_cache_invalidate()
    _pool_changed(pooled)
    return len(pooled)


@transaction.atomic
def patents_unpool(*, patents: Iterable[Patent], user: User, reason: str) -> int:
    """Take patents out of the pool (未入库) with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写未入库原因 / give the reason"})
    changed = 0
    for patent in _owned(patents, user):
        if patent.inventory_status != InventoryStatus.NOT_POOLED:
            _status_change(patent=patent, to_status=InventoryStatus.NOT_POOLED, user=user, reason=reason.strip())
            patent.not_pooled_reason = reason.strip()[:300]
            patent.save(update_fields=["inventory_status", "not_pooled_reason", "updated_at"])
            changed += 1
    audit_log_record(actor=user, action="patent.unpool", detail={"count": changed, "reason": reason[:300]})
    dashboard_cache_invalidate()
    return changed


@transaction.atomic
def patents_modes_set(*, patents: Iterable[Patent], user: User, transfer_modes: list[str]) -> int:
    """Bulk action: set the same transfer modes on several patents (open licence needs per-patent terms)."""
    if TransferMode.OPEN_LICENCE in transfer_modes:
        raise ValidationError({"transfer_modes": "开放许可须逐件声明付费条件 / declare open-licence terms per patent"})
    if not transfer_modes or any(m not in TransferMode.values for m in transfer_modes):
        raise ValidationError(
            {"transfer_modes": "请至少选择一种有效的转化方式 / choose at least one valid transfer mode"}
        )
    owned = _owned(patents, user)
    for patent in owned:
        patent.transfer_modes = list(dict.fromkeys(transfer_modes))
        patent.save(update_fields=["transfer_modes", "updated_at"])
    audit_log_record(actor=user, action="patent.modes_set", detail={"count": len(owned), "modes": transfer_modes})
    return len(owned)


EDITABLE_FIELDS = [
    "title",
    "abstract",
    "claims",
    "legal_status",
    "value_grade",
    "internal_notes",
    "inventors",
    "applicant",
    "grant_date",
    "application_date",
]


@transaction.atomic
def patent_update(*, patent: Patent, user: User, data: dict[str, Any]) -> Patent:
    """Edit a patent's descriptive fields (the number and owner never change here)."""
    _owned([patent], user)
    legal_before = patent.legal_status
    for key, value in data.items():
        if key in EDITABLE_FIELDS:
            setattr(patent, key, value)
    patent.full_clean(exclude=["institution"])
    patent.save()
    if patent.legal_status != legal_before:  # the patent's legal history (its page lists it)
        PatentLegalStatusChange.objects.create(
            patent=patent, from_status=legal_before, to_status=patent.legal_status, source="manual", actor=user
        )
    audit_log_record(actor=user, action="patent.update", target=patent, detail={"fields": sorted(data)})
    dashboard_cache_invalidate()
    if patent.is_pooled:
        _pool_changed([patent.pk])
    return patent
