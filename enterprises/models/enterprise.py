"""An enterprise (the demand side) and the technology needs it publishes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from patents.models import TransferMode


class Enterprise(models.Model):
    """An SME identified by its 统一社会信用代码 (USCC, GB 32100)."""

    class Size(models.TextChoices):
        MICRO = "micro", _("微型")
        SMALL = "small", _("小型")
        MEDIUM = "medium", _("中型")
        LARGE = "large", _("大型")

    class Verification(models.TextChoices):
        VERIFIED = "verified", _("已校验")
        REVIEW = "review", _("待人工审核")
        REJECTED = "rejected", _("已驳回")

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    city = models.ForeignKey(
        "core.City", null=True, blank=True, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("城市")
    )
    industry_section = models.CharField(_("行业门类"), max_length=1, blank=True, db_index=True)
    industry_division = models.CharField(_("行业大类"), max_length=2, blank=True, db_index=True)
    size = models.CharField(_("规模"), max_length=8, choices=Size.choices, blank=True)
    business_scope = models.TextField(_("经营范围"), blank=True)
    products = models.TextField(_("主要产品"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    verification = models.CharField(
        _("代码校验"), max_length=10, choices=Verification.choices, default=Verification.VERIFIED, db_index=True
    )
    verification_note = models.CharField(_("审核说明"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    registered_date = models.DateField(_("注册日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification == self.Verification.VERIFIED


class TechNeed(models.Model):
    """A technology need an enterprise publishes; the matching engine ranks patents against it."""

    class Status(models.TextChoices):
        OPEN = "open", _("征集中")
        CLOSED = "closed", _("已关闭")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="needs", verbose_name=_("企业"))
    title = models.CharField(_("需求名称"), max_length=200)
    description = models.TextField(_("需求描述"), blank=True)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True)
    budget_min = models.DecimalField(_("预算下限(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    budget_max = models.DecimalField(_("预算上限(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    preferred_mode = models.CharField(_("期望转化方式"), max_length=16, choices=TransferMode.choices, blank=True)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=models.F("budget_max")),
                name="techneed_budget_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title
