"""Writes for technology needs (several per enterprise)."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from accounts.models import User
from core.cache_generation import dashboard_cache_invalidate
from core.errors import ConflictError
from core.services import audit_log_record
from enterprises.errors import not_found
from enterprises.hooks import need_changed
from enterprises.models import Enterprise, TechNeed
from patents.models import TransferMode

NEED_FIELDS = ("title", "description", "keywords", "budget_min", "budget_max", "preferred_mode", "deadline")
_KEYWORD_SEPARATORS = re.compile(r"[,，、;；\s]+")


def keywords_normalize(*, raw: str) -> str:
    """Split on commas, 、, semicolons and spaces (either width), drop repeats, join with 、."""
    words = [word for word in _KEYWORD_SEPARATORS.split(raw or "") if word]
    return "、".join(dict.fromkeys(words))


def _money(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({field: ["请输入金额 / Enter an amount"]}) from exc
    if amount < 0:
        raise ValidationError({field: ["金额不能为负 / The amount cannot be negative"]})
    return amount


def _cleaned(*, data: dict[str, Any], current: TechNeed | None) -> dict[str, Any]:
    """Validated values of the fields present in `data`, checked together with the ones already stored."""
    unknown = set(data) - set(NEED_FIELDS)
    if unknown:
        raise ValidationError({field: ["不可修改 / Not editable"] for field in sorted(unknown)})
    values: dict[str, Any] = {}
    for field in ("title", "description", "keywords", "preferred_mode"):
        if field in data:
            values[field] = (data[field] or "").strip()
    if "keywords" in values:
        values["keywords"] = keywords_normalize(raw=values["keywords"])
    for field in ("budget_min", "budget_max"):
        if field in data:
            values[field] = _money(data[field], field)
    if "deadline" in data:
        values["deadline"] = data["deadline"] or None
    merged = {field: values.get(field, getattr(current, field, None)) for field in NEED_FIELDS}
    errors: dict[str, list[str]] = {}
    if not merged["title"]:
        errors["title"] = ["请填写需求名称 / Title is required"]
    if merged["preferred_mode"] and merged["preferred_mode"] not in TransferMode.values:
        errors["preferred_mode"] = [f"未知的转化方式 {merged['preferred_mode']} / Unknown transfer mode"]
    if (
        merged["budget_min"] is not None
        and merged["budget_max"] is not None
        and merged["budget_min"] > merged["budget_max"]
    ):
        errors["budget_max"] = ["预算上限不能低于下限 / The budget maximum is below the minimum"]
    deadline = values.get("deadline")
    if isinstance(deadline, date) and deadline < timezone.localdate():
        errors["deadline"] = ["截止日期不能早于今天 / The deadline cannot be in the past"]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def tech_need_create(*, enterprise: Enterprise, actor: User, data: dict[str, Any]) -> TechNeed:
    """Publish a new (open) technology need for the actor's enterprise."""
    if actor.enterprise_id != enterprise.pk:
        raise not_found()
    need = TechNeed(enterprise=enterprise, **_cleaned(data=data, current=None))
    need.full_clean()
    need.save()
    audit_log_record(actor=actor, action="need.create", target=need, detail={"title": need.title})
    dashboard_cache_invalidate()
    _rematch(need.enterprise_id)
    return need


@transaction.atomic
def tech_need_update(*, need: TechNeed, actor: User, data: dict[str, Any]) -> TechNeed:
    """Change the fields present in `data`; the status changes only through close and reopen."""
    if actor.enterprise_id != need.enterprise_id:
        raise not_found()
    values = _cleaned(data=data, current=need)
    changed = [field for field, value in values.items() if getattr(need, field) != value]
    for field in changed:
        setattr(need, field, values[field])
    need.full_clean()
    if changed:
        need.save(update_fields=[*changed, "updated_at"])
        audit_log_record(actor=actor, action="need.update", target=need, detail={"fields": changed})
        _rematch(need.enterprise_id)
    return need


def _status_set(*, need: TechNeed, actor: User, status: str) -> TechNeed:
    if actor.enterprise_id != need.enterprise_id:
        raise not_found()
    if need.status != status:
        need.status = status
        need.save(update_fields=["status", "updated_at"])
        audit_log_record(actor=actor, action=f"need.{status}", target=need)
        _rematch(need.enterprise_id)
    return need


def _rematch(enterprise_id: int) -> None:
    """A changed need is ranked at once against the current index (no full run), after commit. The task is the one
    registered on enterprises.hooks.need_changed: matching sits above enterprises, so this module imports nothing of
    it."""
    need_changed.send(enterprise_id, critical=False)


@transaction.atomic
def tech_need_close(*, need: TechNeed, actor: User) -> TechNeed:
    """Close a need (idempotent): it stops being matched and offered to institutions."""
    return _status_set(need=need, actor=actor, status=TechNeed.Status.CLOSED)


@transaction.atomic
def tech_need_reopen(*, need: TechNeed, actor: User) -> TechNeed:
    """Open a closed need again (idempotent)."""
    return _status_set(need=need, actor=actor, status=TechNeed.Status.OPEN)


@transaction.atomic
def tech_need_delete(*, need: TechNeed, actor: User) -> None:
    """Delete a need nobody has docked on; one with docking requests can only be closed."""
    if actor.enterprise_id != need.enterprise_id:
        raise not_found()
    pk, title = need.pk, need.title
    try:
        with transaction.atomic():
            need.delete()
    except ProtectedError as exc:
        raise ConflictError(
            "该需求已有对接记录，不能删除，请改为关闭 / This need has docking requests and cannot be deleted; close it",
            {"pk": pk},
        ) from exc
    audit_log_record(actor=actor, action="need.delete", target=None, detail={"pk": pk, "title": title})
    dashboard_cache_invalidate()
