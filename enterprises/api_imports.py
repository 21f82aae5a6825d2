"""Bulk enterprise import API for bureau staff: 202 with the job, progress at /api/v1/imports/{pk}/."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from core.api.imports import JOB_SCHEMA
from core.imports import import_job_create, import_job_start, import_job_summary
from core.models import ImportJob


class IsProvinceBureauOrAdmin(BasePermission):
    message = "仅省知识产权局工作人员或管理员可批量导入企业 / province bureau staff or admins only"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (user.role == Role.BUREAU_PROVINCE or user.is_platform_admin))


class EnterpriseImportCreateApi(APIView):
    """Upload an enterprise list (企业名称, 统一社会信用代码, 经营范围, 地区 …)."""

    permission_classes = [IsProvinceBureauOrAdmin]
    parser_classes = [MultiPartParser, FormParser]

    class EnterpriseImportCreateInputSerializer(serializers.Serializer):
        file = serializers.FileField()
        valid_rows_only = serializers.BooleanField(default=False)

        def validate_file(self, value):
            if value.size > settings.UPLOAD_MAX_BYTES:
                limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
                raise serializers.ValidationError(f"文件超过 {limit} MB 上限 / the file is larger than {limit} MB")
            return value

    @extend_schema(request=EnterpriseImportCreateInputSerializer, responses={202: JOB_SCHEMA})
    def post(self, request: Request) -> Response:
        data = self.EnterpriseImportCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        job = import_job_create(
            kind=ImportJob.Kind.ENTERPRISES,
            user=request.user,
            content=upload.read(),
            filename=upload.name,
            valid_rows_only=data.validated_data["valid_rows_only"],
        )
        return Response(import_job_summary(import_job_start(job=job)), status=status.HTTP_202_ACCEPTED)
