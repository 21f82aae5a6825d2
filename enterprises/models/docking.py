"""Docking (对接) requests from an enterprise to an institution, their states and the steps of their life."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models.enterprise import Enterprise, TechNeed
from patents.models import TransferMode


class DockingStatus(models.TextChoices):
    """States of a docking request (see enterprises/docking.py for who may move it where)."""

    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("已婉拒")
    NEGOTIATING = "negotiating", _("洽谈中")
    SIGNED = "signed", _("已签约")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("已过期")


OPEN_DOCKING_STATUSES = (DockingStatus.SUBMITTED, DockingStatus.ACCEPTED, DockingStatus.NEGOTIATING)


class DeclineReason(models.TextChoices):
    """Why an institution declined; stored as data (negative feedback for matching, dashboard charts)."""

    PRICE = "price", _("价格分歧")
    MATURITY = "maturity", _("技术成熟度不足")
    FIT = "fit", _("与企业条件不匹配")
    BENEFIT_UNCLEAR = "benefit_unclear", _("效益不明确")
    IP_SCOPE = "ip_scope", _("知识产权范围问题")
    REGION = "region", _("地域因素")
    OTHER = "other", _("其他")


def contract_upload_to(instance: "DockingRequest", filename: str) -> str:
    """Contracts live under contracts/<request pk>/; the name was chosen by the service, not the uploader."""
    return f"contracts/{instance.pk or 'new'}/{filename}"


class DockingRequest(models.Model):
    """A docking (对接) request from an enterprise to an institution, about a patent or for a need."""

    class Kind(models.TextChoices):
        PATENT = "patent", _("针对专利")
        NEED = "need", _("针对需求")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.PATENT)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="docking_requests", verbose_name=_("企业")
    )
    institution = models.ForeignKey(
        "patents.Institution", on_delete=models.PROTECT, related_name="docking_requests", verbose_name=_("高校/院所")
    )
    patent = models.ForeignKey(
        "patents.Patent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="docking_requests",
        verbose_name=_("专利"),
    )
    need = models.ForeignKey(
        TechNeed,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="docking_requests",
        verbose_name=_("技术需求"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发起人")
    )
    message = models.TextField(_("对接说明"), blank=True)
    # the contact the enterprise gave with this request (a phone or an e-mail at least; empty on older requests,
    # which show the enterprise profile's: see `contact`)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=DockingStatus.choices, default=DockingStatus.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    responded_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), db_index=True)
    decline_reason = models.CharField(
        _("婉拒原因"), max_length=16, choices=DeclineReason.choices, blank=True, db_index=True
    )
    decline_note = models.TextField(_("婉拒说明"), blank=True)
    signed_mode = models.CharField(_("签约转化方式"), max_length=16, choices=TransferMode.choices, blank=True)
    signed_amount = models.DecimalField(_("合同金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    signed_date = models.DateField(_("签约日期"), null=True, blank=True)
    contract_file = models.FileField(_("合同文件"), upload_to=contract_upload_to, blank=True, max_length=200)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("对接请求")
        verbose_name_plural = _("对接请求")
        indexes = [models.Index(fields=["institution", "status"], name="docking_inst_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="patent") & Q(patent__isnull=False)) | (Q(kind="need") & Q(need__isnull=False)),
                name="docking_has_subject",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "patent"],
                condition=Q(status__in=["submitted", "accepted", "negotiating"], patent__isnull=False),
                name="docking_one_open_per_enterprise_patent",
            ),
            models.UniqueConstraint(
                fields=["need", "institution"],
                condition=Q(status__in=["submitted", "accepted", "negotiating"], kind="need"),
                name="docking_one_open_per_need_institution",
            ),
            models.CheckConstraint(
                condition=Q(signed_amount__isnull=True) | Q(signed_amount__gte=0), name="docking_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} ⇄ {self.institution}: {self.subject_title}"

    @property
    def contact(self) -> dict[str, str]:
        """Whom the institution answers: the contact given with the request, else (a request from before contacts
        were asked) the enterprise profile's."""
        source: DockingRequest | Enterprise = self
        if not (self.contact_name or self.contact_phone or self.contact_email):
            source = self.enterprise
        return {"name": source.contact_name, "phone": source.contact_phone, "email": source.contact_email}

    @property
    def subject_title(self) -> str:
        """The patent's title, or the need's for a need-based request."""
        if self.patent_id:
            assert self.patent is not None  # patent_id is set
            return self.patent.title
        if self.need_id:
            assert self.need is not None  # need_id is set
            return self.need.title
        return ""


class DockingEvent(models.Model):
    """One step in a docking request's life: from, to, actor (None = the system), at, note."""

    docking = models.ForeignKey(
        DockingRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("对接请求")
    )
    action = models.CharField(_("动作"), max_length=16)
    from_status = models.CharField(_("原状态"), max_length=12, choices=DockingStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=DockingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("对接记录")
        verbose_name_plural = _("对接记录")

    def __str__(self) -> str:
        return f"{self.docking_id}: {self.from_status or '—'} → {self.to_status}"
