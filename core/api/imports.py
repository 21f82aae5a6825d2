"""Import job status API (shared by the patent and enterprise imports)."""

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.downloads import protected_file_response
from core.imports import import_job_create, import_job_start, import_job_summary
from core.selectors import import_job_get

JOB_SCHEMA = inline_serializer(
    name="ImportJobSummary",
    fields={
        "pk": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "status": serializers.CharField(),
        "status_display": serializers.CharField(),
        "progress": serializers.IntegerField(),
        "file": serializers.CharField(),
        "file_format": serializers.CharField(),
        "encoding": serializers.CharField(),
        "valid_rows_only": serializers.BooleanField(),
        "total_rows": serializers.IntegerField(),
        "valid_rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "rejected": serializers.IntegerField(),
        "unknown_columns": serializers.ListField(child=serializers.CharField()),
        "errors": serializers.ListField(child=serializers.DictField()),
        "error_count": serializers.IntegerField(),
        "warnings": serializers.ListField(child=serializers.DictField()),
        "message": serializers.CharField(),
        "has_rejected_file": serializers.BooleanField(),
    },
)


class ImportJobDetailApi(APIView):
    """Status, progress and outcome of an import job (404 unless it is the caller's)."""

    @extend_schema(responses=JOB_SCHEMA)
    def get(self, request: Request, pk: int) -> Response:
        job = import_job_get(user=request.user, pk=pk)
        if job is None:
            raise Http404
        return Response(import_job_summary(job))


class ImportJobRejectedFileApi(APIView):
    """The rejected rows of a job as CSV, with an error column."""

    @extend_schema(responses={(200, "text/csv"): bytes})
    def get(self, request: Request, pk: int) -> FileResponse:
        job = import_job_get(user=request.user, pk=pk)
        if job is None or not job.rejected_file:
            raise Http404
        return protected_file_response(file=job.rejected_file, filename=f"rejected-{job.pk}.csv")


class ImportUploadSerializer(serializers.Serializer):
    """A tabular upload; the size limit is checked before the file is read."""

    file = serializers.FileField()
    valid_rows_only = serializers.BooleanField(default=False)

    def validate_file(self, value):
        if value.size > settings.UPLOAD_MAX_BYTES:
            limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            raise serializers.ValidationError(f"文件超过 {limit} MB 上限 / the file is larger than {limit} MB")
        return value


class ImportUploadApi(APIView):
    """Base of the upload endpoints: store the file as a job, queue it, answer 202 with the job's summary."""

    parser_classes = [MultiPartParser, FormParser]
    kind: str = ""

    def institution_for(self, request: Request) -> Any:
        return None

    @extend_schema(request=ImportUploadSerializer, responses={202: JOB_SCHEMA})
    def post(self, request: Request) -> Response:
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        job = import_job_create(
            kind=self.kind,
            user=request.user,
            content=upload.read(),
            filename=upload.name,
            valid_rows_only=data.validated_data["valid_rows_only"],
            institution=self.institution_for(request),
        )
        return Response(import_job_summary(import_job_start(job=job)), status=status.HTTP_202_ACCEPTED)
