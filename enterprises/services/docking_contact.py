"""A docking request's contact, checked as the docking form checks it (pure: the demo's builders use it too)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.validators import single_line_text

CONTACT_MAX_LENGTHS = {"contact_name": 64, "contact_phone": 32, "contact_email": 254}
CONTACT_REQUIRED_MESSAGE = (
    "请填写联系电话或联系邮箱，高校据此联系您 / Enter a phone number or an e-mail address the institution can reach"
)
PHONE_MIN_DIGITS = 7


def docking_contact_check(*, values: dict[str, str]) -> dict[str, str]:
    """A docking request's contact (contact_name, contact_phone, contact_email) stripped and checked: lengths, one
    line, a valid e-mail, and a phone (of at least PHONE_MIN_DIGITS digits) or an e-mail. Raises ValidationError."""
    values = {key: value.strip() for key, value in values.items()}
    errors: dict[str, list[str]] = {}
    for key, value in values.items():
        most = CONTACT_MAX_LENGTHS[key]
        try:
            if len(value) > most:
                raise ValidationError(f"最多 {most} 个字符 / At most {most} characters")
            if key == "contact_email" and value:
                try:
                    validate_email(value)
                except ValidationError as exc:
                    raise ValidationError("请输入有效的邮箱地址 / Enter a valid e-mail address") from exc
            elif key != "contact_email":
                single_line_text(value)
        except ValidationError as exc:
            errors[key] = exc.messages
    phone, email = values["contact_phone"], values["contact_email"]
    if not phone and not email:
        errors.setdefault("contact_phone", [CONTACT_REQUIRED_MESSAGE])
    elif phone and "contact_phone" not in errors and sum(c.isdigit() for c in phone) < PHONE_MIN_DIGITS:
        errors["contact_phone"] = [
            f"请填写有效的联系电话（至少 {PHONE_MIN_DIGITS} 位数字）/ "
            f"Enter a valid phone number (at least {PHONE_MIN_DIGITS} digits)"
        ]
    if errors:
        raise ValidationError(errors)
    return values
