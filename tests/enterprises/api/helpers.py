"""What the enterprise API tests share."""

from django.utils import timezone


def local_iso(value) -> str:
    return timezone.localtime(value).isoformat()
