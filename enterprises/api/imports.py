"""Bulk enterprise import API for bureau staff: 202 with the job, progress at /api/v1/imports/{pk}/ (the upload
machinery is the import framework's, imports.api.views; the kind and who may upload it are this app's)."""

from accounts.access import access_permission, is_province_staff
from imports.api.views import ImportUploadApi
from imports.models import ImportJob


class EnterpriseImportCreateApi(ImportUploadApi):
    """Upload an enterprise list (企业名称, 统一社会信用代码, 经营范围, 地区 …): 202 with the job."""

    permission_classes = [access_permission(is_province_staff)]
    kind = ImportJob.Kind.ENTERPRISES
