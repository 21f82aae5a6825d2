"""In-app notifications to one user."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models.docking import DockingRequest


class Notification(models.Model):
    """An in-app message to one user; also e-mailed when the user has an address. Its text is rendered from
    `message_kind` and `params` in the reader's language; `title` and `body` keep it in Chinese."""

    class Kind(models.TextChoices):
        DOCKING = "docking", _("对接")
        REVIEW = "review", _("注册审核")
        PUSH = "push", _("专利推送")
        ALERT = "alert", _("订阅提醒")
        PATENT_REVIEW = "patent", _("专利审核")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    # what it says, rendered when read in the reader's language (enterprises.notification_texts): the key of its
    # templates and their parameters; empty for rows made before kinds existed, which show their stored text
    message_kind = models.CharField(_("消息类型"), max_length=40, blank=True, default="")
    params = models.JSONField(_("消息参数"), default=dict, blank=True)
    title = models.CharField(_("标题"), max_length=200)  # the text in Chinese as written when it was created
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    docking = models.ForeignKey(
        DockingRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("对接请求"),
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
