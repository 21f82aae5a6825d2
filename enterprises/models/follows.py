"""An enterprise's interest in pooled patents: the patents it follows (关注) and those pushed to it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models.enterprise import Enterprise


class PatentFollow(models.Model):
    """An enterprise follows (关注) a pooled patent; one row per enterprise and patent."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="follows", verbose_name=_("企业"))
    patent = models.ForeignKey(
        "patents.Patent", on_delete=models.CASCADE, related_name="follows", verbose_name=_("专利")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人")
    )
    created_at = models.DateTimeField(_("关注时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("专利关注")
        verbose_name_plural = _("专利关注")
        constraints = [models.UniqueConstraint(fields=["enterprise", "patent"], name="follow_unique_enterprise_patent")]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.patent}"


class PatentPush(models.Model):
    """An officer (or bureau staff) pushed a pooled patent to an enterprise: who, when, with what message.

    One row per push; pushing the same patent to the same enterprise again within PATENT_PUSH_REPEAT_HOURS creates
    nothing (enterprises.services.push.patent_push)."""

    patent = models.ForeignKey(
        "patents.Patent", on_delete=models.CASCADE, related_name="pushes", verbose_name=_("专利")
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="pushes", verbose_name=_("企业"))
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("推送人")
    )
    message = models.CharField(_("附言"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("推送时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("专利推送")
        verbose_name_plural = _("专利推送")
        indexes = [models.Index(fields=["patent", "enterprise", "created_at"], name="push_patent_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.patent} → {self.enterprise}"
