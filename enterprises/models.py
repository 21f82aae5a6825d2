"""Enterprises (the demand side), their technology needs, follows of pooled patents, docking and notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class Notification(models.Model):
    """An in-app message to one user; also e-mailed when the user has an address. Its text is rendered from
    `message_kind` and `params` in the reader's language; `title` and `body` keep it in Chinese."""

    class Kind(models.TextChoices):
        DOCKING = "docking", _("对接")
        REVIEW = "review", _("注册审核")
        PUSH = "push", _("专利推送")

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
