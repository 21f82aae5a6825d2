"""Claims of registry enterprises and the one-time claim codes the bureau issues for them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models.enterprise import Enterprise


class EnterpriseClaim(models.Model):
    """Someone's claim to act for an enterprise of the imported registry (an enterprise without an account yet).

    A claim grants nothing by itself: its account stays unbound (no role, no enterprise) and the enterprise's own data
    stays as the registry has it until the bureau approves the claim, or the claimant presents a claim code the bureau
    issued to the enterprise's registered contact (enterprises.services.claims). Several claims of one enterprise may
    wait at once (an attacker's pending claim never locks the owner out); at most one is ever approved.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("已驳回")

    class Method(models.TextChoices):
        REVIEW = "review", _("人工审核")
        CODE = "code", _("认领码")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="claims", verbose_name=_("认领的企业")
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_claims", verbose_name=_("认领人")
    )
    claimed_name = models.CharField(_("填写的企业名称"), max_length=200)
    city = models.ForeignKey(
        "core.City", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("填写的城市")
    )
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    method = models.CharField(_("认领方式"), max_length=10, choices=Method.choices, default=Method.REVIEW)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("企业认领")
        verbose_name_plural = _("企业认领")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=Q(status="approved"), name="claim_one_approved_per_enterprise"
            ),
            models.UniqueConstraint(
                fields=["claimant"], condition=Q(status="pending"), name="claim_one_pending_per_claimant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimed_name} ({self.get_status_display()})"

    @property
    def contact(self) -> dict[str, str]:
        """The claimant's contact fields, named as the enterprise's."""
        return {
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "contact_email": self.contact_email,
        }


class EnterpriseClaimCode(models.Model):
    """A one-time claim code the bureau issued for a registry enterprise, for its registered contact.

    Only a keyed hash of the code is stored (the code itself is shown once to the issuer and e-mailed to the
    enterprise's registered contact address when it has one). A code works once, until it expires, and only while
    it is the enterprise's latest code: issuing a new one revokes the older ones.
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="claim_codes", verbose_name=_("企业")
    )
    code_hash = models.CharField(_("认领码摘要"), max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发放人")
    )
    issued_at = models.DateTimeField(_("发放时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    emailed_to = models.EmailField(_("已发送至"), blank=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    claim = models.ForeignKey(
        EnterpriseClaim,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("使用它的认领"),
    )
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("企业认领码")
        verbose_name_plural = _("企业认领码")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.issued_at:%Y-%m-%d %H:%M}"
