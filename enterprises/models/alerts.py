"""Saved searches and alerts: what an enterprise member subscribes to (a search's words and filters, or one of its
needs marked 提醒我), the patents each subscription has been told about, and when the member last saw the home page."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models.enterprise import Enterprise, TechNeed

# the filters of the search page a saved search keeps (matching.reading.search.patent_search's keys)
SAVED_SEARCH_FILTERS = ("city", "institution", "ipc_section", "patent_type", "mode")


class SavedSearch(models.Model):
    """A member's subscription: free text with the search page's filters, or one of the enterprise's needs (提醒我).

    The daily alert ranks it as the page it came from ranks (the search, or the need's recommendations) with the
    subscriber's own visibility, and tells the subscriber about patents pooled since `last_alert_at` among the best
    ALERTS_TOP_N hits; `active` off (unsubscribed by the mail's link) keeps the row and sends nothing."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("企业")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("订阅人")
    )
    name = models.CharField(_("名称"), max_length=100)
    text = models.CharField(_("检索词"), max_length=500, blank=True)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    need = models.ForeignKey(
        TechNeed,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("技术需求"),
    )
    active = models.BooleanField(_("提醒中"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_alert_at = models.DateTimeField(_("上次提醒检查"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "need"], condition=Q(need__isnull=False), name="saved_search_one_per_user_need"
            ),
            models.CheckConstraint(condition=Q(need__isnull=False) | ~Q(text=""), name="saved_search_text_or_need"),
        ]

    def __str__(self) -> str:
        return self.name


class SentAlert(models.Model):
    """One patent told to one subscription: each patent at most once per subscription (the unique constraint)."""

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="sent_alerts", verbose_name=_("订阅")
    )
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="+", verbose_name=_("专利"))
    score = models.FloatField(_("得分"), default=0.0)
    sent_at = models.DateTimeField(_("提醒时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("已发提醒")
        verbose_name_plural = _("已发提醒")
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "patent"], name="sent_alert_once_per_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id} → {self.patent_id}"


class HomeVisit(models.Model):
    """When a user last opened the home page (`last_at`) and the visit before it (`previous_at`): the home shows what
    is new since `previous_at`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="home_visit", verbose_name=_("用户")
    )
    previous_at = models.DateTimeField(_("上次访问"), null=True, blank=True)
    last_at = models.DateTimeField(_("本次访问"), default=timezone.now)

    class Meta:
        verbose_name = _("首页访问")
        verbose_name_plural = _("首页访问")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.last_at}"
