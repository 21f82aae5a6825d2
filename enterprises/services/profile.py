"""Writes to an enterprise's profile."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction

from accounts.models import User
from core.models import City
from core.services import audit_log_record
from enterprises.errors import not_found
from enterprises.industry import industry_division_sections, industry_sections
from enterprises.models import Enterprise

PROFILE_FIELDS = (
    "name",
    "city",
    "industry_section",
    "industry_division",
    "size",
    "business_scope",
    "products",
    "website",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def industry_validate(*, section: str, division: str) -> None:
    """Raise unless the section exists and the division (if any) is one of its GB/T 4754-2017 divisions."""
    sections = {s.code for s in industry_sections()}
    if section and section not in sections:
        raise ValidationError({"industry_section": [f"行业门类 {section} 不存在 / Unknown industry section {section}"]})
    if not division:
        return
    owner = industry_division_sections().get(division)
    if owner is None:
        raise ValidationError(
            {"industry_division": [f"行业大类 {division} 不存在 / Unknown industry division {division}"]}
        )
    if owner != section:
        raise ValidationError(
            {
                "industry_division": [
                    f"行业大类 {division} 不属于门类 {section or '（未选）'}，应属门类 {owner} / "
                    f"Industry division {division} does not belong to section {section or '(none)'}; "
                    f"it belongs to section {owner}"
                ]
            }
        )


def _contact_validate(*, enterprise: Enterprise) -> None:
    """Bilingual messages for the checks full_clean would otherwise report in one language only."""
    errors: dict[str, list[str]] = {}
    if not enterprise.name:
        errors["name"] = ["请填写企业名称 / Enterprise name is required"]
    if enterprise.website:
        try:
            URLValidator(schemes=["http", "https"])(enterprise.website)
        except ValidationError:
            errors["website"] = [
                "请输入以 http:// 或 https:// 开头的网址 / Enter a URL starting with http:// or https://"
            ]
    if enterprise.contact_email:
        try:
            validate_email(enterprise.contact_email)
        except ValidationError:
            errors["contact_email"] = ["请输入有效的邮箱地址 / Enter a valid e-mail address"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def enterprise_profile_update(*, enterprise: Enterprise, actor: User, data: dict[str, Any]) -> Enterprise:
    """Update the profile fields present in `data` (others are left alone); the USCC never changes here."""
    if actor.enterprise_id != enterprise.pk:
        raise not_found()
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({field: ["不可修改 / Not editable"] for field in sorted(unknown)})
    city = data.get("city", enterprise.city) or None
    if isinstance(city, str):
        city = City.objects.filter(code=city).first() or City(code=city, province_id="")
    if city is not None and city.province_id != settings.PLATFORM_PROVINCE_CODE:
        raise ValidationError({"city": ["请选择本省的城市 / Choose a city of the province"]})
    section = data.get("industry_section", enterprise.industry_section) or ""
    division = data.get("industry_division", enterprise.industry_division) or ""
    industry_validate(section=section, division=division)
    changed = []
    for field in PROFILE_FIELDS:
        if field not in data:
            continue
        value = city if field == "city" else (data[field] or "").strip()
        if getattr(enterprise, field) != value:
            setattr(enterprise, field, value)
            changed.append(field)
    _contact_validate(enterprise=enterprise)
    enterprise.full_clean(exclude=["uscc", "reviewed_by"])
    if changed:
        enterprise.save(update_fields=[*changed, "updated_at"])
        audit_log_record(actor=actor, action="enterprise.profile.update", target=enterprise, detail={"fields": changed})
    return enterprise
