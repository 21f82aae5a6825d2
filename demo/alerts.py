"""The demo's saved searches (订阅): the demo enterprise user saves a search and marks its first open need 提醒我, so
我的订阅 and the daily alerts (`manage.py alerts_send`) have something to show. Idempotent: a user who has
subscriptions gets none added."""

from accounts.models import User
from enterprises.models import SavedSearch, TechNeed
from enterprises.services.saved_searches import need_alert_set, saved_search_create

DEMO_SEARCH = "图像识别 深度学习"


def alerts_demo_load(*, username: str = "enterprise") -> int:
    """Subscriptions made for the demo enterprise user (0 when it has some already, or does not exist)."""
    user = User.objects.filter(username=username, enterprise__isnull=False).first()
    if user is None or user.enterprise_id is None or SavedSearch.objects.filter(user=user).exists():
        return 0
    saved_search_create(user=user, name="图像识别", text=DEMO_SEARCH, filters={"patent_type": "invention"})
    need = TechNeed.objects.filter(enterprise_id=user.enterprise_id, status=TechNeed.Status.OPEN).order_by("pk").first()
    if need is not None:
        need_alert_set(user=user, need=need, on=True)
    return SavedSearch.objects.filter(user=user).count()
