"""The import framework's record: one upload and what became of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One upload of a tabular file (patent inventory or enterprise list) and what became of it."""

    class Kind(models.TextChoices):
        PATENTS = "patents", _("专利盘点清单")
        ENTERPRISES = "enterprises", _("企业名录")

    class Status(models.TextChoices):
        PENDING = "pending", _("待校验")
        VALIDATING = "validating", _("校验中")
        PREVIEWED = "previewed", _("待确认")
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        REJECTED = "rejected", _("有错误，未写入")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期作废")  # previewed, not confirmed within IMPORT_CONFIRM_HOURS; nothing written

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("上传人"),
    )  # empty for the management command
    institution = models.ForeignKey(
        "patents.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("高校/院所"),
    )
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    valid_rows_only = models.BooleanField(_("仅导入有效行"), default=False)
    file_format = models.CharField(_("格式"), max_length=8, blank=True)
    encoding = models.CharField(_("编码"), max_length=16, blank=True)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("有效行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变化"), default=0)
    rejected_count = models.PositiveIntegerField(_("拒绝"), default=0)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)  # the first IMPORT_MAX_STORED_ERRORS only
    error_total = models.PositiveIntegerField(_("错误总数"), default=0)
    error_counts = models.JSONField(_("各列错误数"), default=dict, blank=True)  # field ("" for the file) -> count
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    unknown_columns = models.JSONField(_("未识别的列"), default=list, blank=True)
    column_mapping = models.JSONField(_("列对应"), default=dict, blank=True)
    preview_rows = models.JSONField(_("预览"), default=list, blank=True)
    rejected_file = models.FileField(_("被拒绝的行"), upload_to="imports/rejected/%Y/%m/", blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # set when the retention period removed the upload of a rejected job and its rejected-rows file
    files_removed_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        db_table = "core_importjob"  # the table keeps its name from core: the rows stay where they are

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED, self.Status.EXPIRED)
