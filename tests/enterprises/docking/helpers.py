"""What the docking service tests share: a fixed now, contract files, and the count of what a request writes."""

from datetime import datetime
from zoneinfo import ZoneInfo

from core.models import AuditLog
from enterprises.models import DockingEvent, DockingRequest, Notification

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docking_counts() -> tuple[int, int, int, int]:
    return (
        DockingRequest.objects.count(),
        DockingEvent.objects.count(),
        AuditLog.objects.count(),
        Notification.objects.count(),
    )
