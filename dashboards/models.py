"""The IPC → strategic-emerging-industry concordance the dashboards derive each patent's industry from."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_IPC_PREFIX = re.compile(r"^[A-H](\d{2}([A-Z](\d{1,4}/(\d{1,6})?)?)?)?$")


class IndustryCategory(models.TextChoices):
    """The nine categories of 《战略性新兴产业分类（2018）》, coded as in that classification."""

    NEXT_GEN_IT = "1", _("新一代信息技术产业")
    HIGH_END_EQUIPMENT = "2", _("高端装备制造产业")
    NEW_MATERIALS = "3", _("新材料产业")
    BIO = "4", _("生物产业")
    NEW_ENERGY_VEHICLES = "5", _("新能源汽车产业")
    NEW_ENERGY = "6", _("新能源产业")
    ENERGY_SAVING = "7", _("节能环保产业")
    DIGITAL_CREATIVE = "8", _("数字创意产业")
    RELATED_SERVICES = "9", _("相关服务业")


UNCLASSIFIED = "0"  # patents no prefix of the table matches (or without any IPC code)


def ipc_normalize(code: str) -> str:
    """Upper case without spaces; a code carrying a main group but no '/' gets one ('H01L 31' → 'H01L31/')."""
    normalized = re.sub(r"\s+", "", code or "").upper()
    if len(normalized) > 4 and "/" not in normalized:
        normalized += "/"
    return normalized


class IpcIndustryMapping(models.Model):
    """One row of the concordance: an IPC prefix (class, subclass or main group) and its industry category.

    The longest matching prefix decides a code's category; the main IPC code decides a patent's.
    """

    ipc_prefix = models.CharField(
        _("IPC 前缀"),
        max_length=16,
        unique=True,
        help_text=_("大类如 B23，小类如 G06F，或大组如 H01L31/（不含空格，大组以 / 结尾）"),
    )
    category = models.CharField(_("战略性新兴产业类别"), max_length=1, choices=IndustryCategory.choices, db_index=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["ipc_prefix"]
        verbose_name = _("IPC 产业对照")
        verbose_name_plural = _("IPC 产业对照")

    def __str__(self) -> str:
        return f"{self.ipc_prefix} → {self.get_category_display()}"

    def clean(self) -> None:
        self.ipc_prefix = ipc_normalize(self.ipc_prefix)
        if not _IPC_PREFIX.match(self.ipc_prefix):
            raise ValidationError({"ipc_prefix": _("不是有效的 IPC 前缀，例如 G06、G06F 或 H01L31/。")})
