"""Institutions and their patent inventories."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    """A university or research institute that owns patents (MOE 学校标识码 where it has one)."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("高校")
        INSTITUTE = "institute", _("科研院所")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    english_name = models.CharField(_("英文名称"), max_length=200, blank=True)
    moe_code = models.CharField(_("学校标识码"), max_length=10, unique=True, null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.UNIVERSITY)
    city = models.ForeignKey("core.City", on_delete=models.PROTECT, related_name="institutions", verbose_name=_("城市"))
    # the district or county (区/县, GB/T 2260 six-digit code, e.g. 420111 洪山区) of its main campus: the city
    # bureau's dashboard counts its patents there; blank when not known
    district_code = models.CharField(
        _("区县代码"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("区县代码为 6 位数字 / A district code has six digits"))],
    )
    authority = models.CharField(_("主管部门"), max_length=64, blank=True)
    is_active = models.BooleanField(_("参与盘活"), default=True)
    # the 盘点率's denominator: the valid patents the institution holds, as its office reported them on a date
    patents_held = models.PositiveIntegerField(_("持有有效专利数"), null=True, blank=True)
    patents_held_on = models.DateField(_("存量统计日期"), null=True, blank=True)
    # the review chain (patents.review): False skips the college step (a university without college reviewers);
    # True makes the university's approval pool the patent at once
    review_college_step = models.BooleanField(_("学院审核"), default=True)
    review_pools_on_approval = models.BooleanField(_("学校审核通过即入库"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("高校/院所")
        verbose_name_plural = _("高校/院所")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A district lies in the institution's city (its code starts with the city's four digits)."""
        super().clean()
        if self.district_code and self.city_id and not self.district_code.startswith(self.city_id):
            message = _("区县不在所属城市 / The district is not in the institution's city")
            raise ValidationError({"district_code": message})


class College(models.Model):
    """A college (学院/院系) of an institution: each builds its part of the inventory."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="colleges", verbose_name=_("高校/院所")
    )
    name = models.CharField(_("学院名称"), max_length=64)
    code = models.CharField(_("学院代码"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["institution", "code", "name"]
        verbose_name = _("学院")
        verbose_name_plural = _("学院")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="college_unique_name_in_institution")
        ]

    def __str__(self) -> str:
        return self.name


class PatentType(models.TextChoices):
    INVENTION = "invention", _("发明")
    UTILITY_MODEL = "utility_model", _("实用新型")
    DESIGN = "design", _("外观设计")


class InventoryStatus(models.TextChoices):
    INVENTORIED = "inventoried", _("已盘点")
    POOLED = "pooled", _("已入库")
    NOT_POOLED = "not_pooled", _("未入库")


class ReviewStatus(models.TextChoices):
    """Where a patent not yet pooled stands on its way into the pool (patents.review); the pool itself (and 未入库)
    stays inventory_status, which search and recommendations read."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待学院审核")
    COLLEGE_APPROVED = "college_approved", _("待学校审核")
    UNIVERSITY_APPROVED = "university_approved", _("学校已通过")


class TransferMode(models.TextChoices):
    ASSIGNMENT = "assignment", _("转让")
    LICENCE = "licence", _("许可")
    OPEN_LICENCE = "open_licence", _("开放许可")
    EQUITY = "equity", _("作价入股")


class LegalStatus(models.TextChoices):
    PENDING = "pending", _("审中")
    VALID = "valid", _("有效")
    INVALID = "invalid", _("失效")
    UNKNOWN = "unknown", _("未知")


class ValueGrade(models.TextChoices):
    A = "A", _("A 高价值")
    B = "B", _("B 较高价值")
    C = "C", _("C 一般")
    D = "D", _("D 待评估")


class OpenLicencePayment(models.TextChoices):
    """How an open licence (开放许可, Patent Law art. 50) is paid for."""

    LUMP_SUM = "lump_sum", _("一次性总额")
    ROYALTY = "royalty", _("按销售额提成")
    ENTRY_PLUS_ROYALTY = "entry_royalty", _("入门费加提成")


class Patent(models.Model):
    """One patent (or application) in an institution's inventory; the application number is its identity."""

    application_number = models.CharField(_("申请号"), max_length=20, unique=True)
    publication_number = models.CharField(_("公开(公告)号"), max_length=20, blank=True, db_index=True)
    title = models.CharField(_("专利名称"), max_length=300)
    abstract = models.TextField(_("摘要"), blank=True)
    claims = models.TextField(_("权利要求"), blank=True)
    ipc_main = models.CharField(_("主分类号"), max_length=24, blank=True, db_index=True)
    ipc_codes = models.JSONField(_("分类号"), default=list, blank=True)
    ipc_section = models.CharField(_("IPC 部"), max_length=1, blank=True, db_index=True)
    patent_type = models.CharField(_("专利类型"), max_length=16, choices=PatentType.choices, db_index=True)
    application_date = models.DateField(_("申请日"), null=True, blank=True)
    grant_date = models.DateField(_("授权日"), null=True, blank=True)
    legal_status = models.CharField(
        _("法律状态"), max_length=16, choices=LegalStatus.choices, default=LegalStatus.UNKNOWN, db_index=True
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="patents", verbose_name=_("权利人(高校/院所)")
    )
    college = models.ForeignKey(
        College,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patents",
        verbose_name=_("所属学院"),
    )
    applicant = models.CharField(_("申请人/专利权人"), max_length=300, blank=True)
    inventors = models.CharField(_("发明人"), max_length=500, blank=True)
    inventory_status = models.CharField(
        _("盘点状态"),
        max_length=16,
        choices=InventoryStatus.choices,
        default=InventoryStatus.INVENTORIED,
        db_index=True,
    )
    not_pooled_reason = models.CharField(_("未入库原因"), max_length=300, blank=True)
    review_status = models.CharField(
        _("审核状态"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    review_comment = models.CharField(_("退回意见"), max_length=500, blank=True)
    review_submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("提交人")
    )
    transfer_modes = models.JSONField(_("转化方式"), default=list, blank=True)
    price_min = models.DecimalField(_("意向价格下限(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    price_max = models.DecimalField(_("意向价格上限(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    price_negotiable = models.BooleanField(_("价格面议"), default=False)
    value_grade = models.CharField(_("价值等级"), max_length=1, choices=ValueGrade.choices, blank=True, db_index=True)
    # the assessment's inventor consent, kept here by patents.assessments.assessment_write (as value_grade is): the
    # recommendation and search cards and the consent filter read it without joining the assessment (that join
    # cost ~1 ms of planning per request on the hottest lists, issue 23)
    inventor_consent = models.BooleanField(_("发明人同意转化"), null=True, blank=True, editable=False)
    contact = models.CharField(_("联系人"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    open_licence_payment = models.CharField(
        _("开放许可付费方式"), max_length=16, choices=OpenLicencePayment.choices, blank=True
    )
    open_licence_lump_sum = models.DecimalField(
        _("开放许可一次性总额(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    open_licence_royalty_rate = models.DecimalField(
        _("开放许可提成比例(%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    open_licence_entry_fee = models.DecimalField(
        _("开放许可入门费(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    open_licence_years = models.PositiveSmallIntegerField(_("开放许可期限(年)"), null=True, blank=True)
    internal_notes = models.TextField(_("内部备注"), blank=True, help_text=_("仅本单位可见"))
    is_demo = models.BooleanField(_("演示数据"), default=False)
    # Hash of the values last imported for this patent: a re-upload compares hashes, not 2 KB of text per row.
    import_hash = models.CharField(_("导入指纹"), max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-application_date", "application_number"]
        verbose_name = _("专利")
        verbose_name_plural = _("专利")
        indexes = [
            models.Index(fields=["institution", "inventory_status"], name="patent_inst_status_idx"),
            models.Index(fields=["inventory_status", "patent_type"], name="patent_status_type_idx"),
            # the live index's version check on every search (matching.live.index): the changes since the run
            models.Index(fields=["updated_at"], name="patent_updated_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_min__lte=models.F("price_max")),
                name="patent_price_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(grant_date__isnull=True)
                | Q(application_date__isnull=True)
                | Q(grant_date__gte=models.F("application_date")),
                name="patent_grant_after_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_number} {self.title}"

    @property
    def is_pooled(self) -> bool:
        return self.inventory_status == InventoryStatus.POOLED


class PatentStatusChange(models.Model):
    """One change of a patent's inventory status (pool, unpool, import), for the patent's history."""

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("专利"))
    from_status = models.CharField(_("原状态"), max_length=16, choices=InventoryStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=InventoryStatus.choices)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    source = models.CharField(_("来源"), max_length=16, default="manual")  # manual | import | api
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")

    def __str__(self) -> str:
        return f"{self.patent_id}: {self.from_status} → {self.to_status}"


class PatentAssessment(models.Model):
    """A patent's value self-assessment (专利价值分级自评): the office's indicators, the grade they derive
    (patents.valuation) and the grade it settled on; the settled grade is the patent's value_grade."""

    patent = models.OneToOneField(Patent, on_delete=models.CASCADE, related_name="assessment", verbose_name=_("专利"))
    trl = models.PositiveSmallIntegerField(_("技术成熟度(TRL)"), null=True, blank=True)
    implemented = models.BooleanField(_("已实施"), null=True, blank=True)
    has_family = models.BooleanField(_("有同族专利或PCT申请"), default=False)
    application_fields = models.CharField(_("应用领域"), max_length=300, blank=True)
    industry = models.CharField(_("所属产业"), max_length=100, blank=True)
    inventor_consent = models.BooleanField(_("发明人同意转化"), null=True, blank=True)
    consent_modes = models.JSONField(_("同意的转化方式"), default=list, blank=True)
    derived_grade = models.CharField(_("自评等级"), max_length=1, choices=ValueGrade.choices)
    grade = models.CharField(_("认定等级"), max_length=1, choices=ValueGrade.choices)
    grade_note = models.CharField(_("调整说明"), max_length=300, blank=True)
    assessed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("评定人")
    )
    assessed_at = models.DateTimeField(_("评定时间"), auto_now=True)

    class Meta:
        verbose_name = _("价值自评")
        verbose_name_plural = _("价值自评")
        constraints = [
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | Q(trl__gte=1, trl__lte=9), name="assessment_trl_1_to_9"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patent_id}: {self.grade}"


class PatentLegalStatusChange(models.Model):
    """One change of a patent's legal status (审中 → 有效 → 失效) as the platform learnt it: a re-import or an
    officer's edit noting a new status; the patent's page lists them, newest first, as its legal history."""

    patent = models.ForeignKey(
        Patent, on_delete=models.CASCADE, related_name="legal_status_changes", verbose_name=_("专利")
    )
    from_status = models.CharField(_("原法律状态"), max_length=16, choices=LegalStatus.choices, blank=True)
    to_status = models.CharField(_("新法律状态"), max_length=16, choices=LegalStatus.choices)
    source = models.CharField(_("来源"), max_length=16, default="manual")  # manual | import
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("法律状态变更")
        verbose_name_plural = _("法律状态变更")

    def __str__(self) -> str:
        return f"{self.patent_id}: {self.from_status} → {self.to_status}"


class PatentDemand(models.Model):
    """A pooled patent's demand in the current matching run: the enterprises whose top MATCHING_TOP_K list holds it
    with a score of at least SUPPLY_DEMAND_THRESHOLD, their open needs, and its best score there. Derived rows,
    written by matching (the run's finalise, and the live re-rank of an enterprise whose needs changed); a patent
    without a row has no demand. docs/supply_demand.md."""

    patent = models.OneToOneField(Patent, on_delete=models.CASCADE, primary_key=True, related_name="demand")
    run_id = models.PositiveIntegerField(_("匹配运行"))  # matching.MatchRun (a lower layer may not name it)
    enterprises = models.PositiveIntegerField(_("需求企业数"), db_index=True)
    needs = models.PositiveIntegerField(_("开放需求数"))
    best_score = models.FloatField(_("最高匹配度"))

    class Meta:
        verbose_name = _("专利需求热度")
        verbose_name_plural = _("专利需求热度")

    def __str__(self) -> str:
        return f"{self.patent_id}: {self.enterprises}/{self.needs}"


class PatentInventor(models.Model):
    """An inventor's account linked to a patent: they see, describe and submit it (patents.review)."""

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="inventor_links", verbose_name=_("专利"))
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="patent_links", verbose_name=_("发明人账号")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专利发明人")
        verbose_name_plural = _("专利发明人")
        constraints = [models.UniqueConstraint(fields=["patent", "user"], name="patent_inventor_unique")]

    def __str__(self) -> str:
        return f"{self.patent_id}: {self.user_id}"


class InventorInvitation(models.Model):
    """An e-mailed invitation to an inventor: its signed link (patents.invitations) expires; accepting creates the
    inventor's account bound to the institution and college and links the chosen patents."""

    email = models.EmailField(_("邮箱"))
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+", verbose_name=_("高校"))
    college = models.ForeignKey(
        College, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("学院")
    )
    patents = models.ManyToManyField(Patent, related_name="+", verbose_name=_("专利"))
    invited_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("邀请人")
    )
    accepted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("接受人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发明人邀请")
        verbose_name_plural = _("发明人邀请")

    def __str__(self) -> str:
        return self.email
