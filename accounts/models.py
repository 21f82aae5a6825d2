"""Users and their role on the platform."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The kinds of user; each maps to a Django group created by migration."""

    OFFICER = "officer", _("高校技术转移人员")
    ENTERPRISE = "enterprise", _("企业用户")
    BUREAU_PROVINCE = "bureau_province", _("省知识产权局")
    BUREAU_CITY = "bureau_city", _("市知识产权局")
    ADMIN = "admin", _("平台管理员")
    COLLEGE_ADMIN = "college_admin", _("学院管理员")
    INVENTOR = "inventor", _("发明人")


class User(AbstractUser):
    """A platform user bound to at most one institution, enterprise or city scope, depending on the role."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True, db_index=True)
    institution = models.ForeignKey(
        "patents.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("所属高校/院所"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("所属企业"),
    )
    # college admins review their college's patents only; an inventor invited by a college belongs to it
    college = models.ForeignKey(
        "patents.College",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("所属学院"),
    )
    city = models.ForeignKey(
        "core.City", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("管辖城市")
    )
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.OFFICER) | Q(institution__isnull=False), name="user_officer_has_institution"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.ENTERPRISE) | Q(enterprise__isnull=False), name="user_member_has_enterprise"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.COLLEGE_ADMIN) | Q(institution__isnull=False, college__isnull=False),
                name="user_college_admin_has_college",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.INVENTOR) | Q(institution__isnull=False), name="user_inventor_has_institution"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.BUREAU_CITY) | Q(city__isnull=False), name="user_city_bureau_has_city"
            ),
        ]
