"""Bulk enterprise import API for bureau staff: 202 with the job, progress at /api/v1/imports/{pk}/."""

from rest_framework.permissions import BasePermission

from accounts.models import Role
from imports.api.views import ImportUploadApi
from imports.models import ImportJob


class IsProvinceBureauOrAdmin(BasePermission):
    message = "仅省知识产权局工作人员或管理员可批量导入企业 / province bureau staff or admins only"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (user.role == Role.BUREAU_PROVINCE or user.is_platform_admin))


class EnterpriseImportCreateApi(ImportUploadApi):
    """Upload an enterprise list (企业名称, 统一社会信用代码, 经营范围, 地区 …): 202 with the job."""

    permission_classes = [IsProvinceBureauOrAdmin]
    kind = ImportJob.Kind.ENTERPRISES
