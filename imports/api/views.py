"""Import job status API (shared by the patent and enterprise imports)."""

from typing import Any

from django.http import FileResponse, Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.tabular import TableError
from core.api.fields import WholeNumberField
from core.api.query_params import QueryParamsSerializer
from core.downloads import protected_file_response
from imports.dispatch import import_job_start
from imports.selectors import import_job_get, import_job_summary
from imports.services import import_job_create
from imports.validation import upload_check

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
        "errors_stored": serializers.IntegerField(),
        "errors_offset": serializers.IntegerField(),
        "errors_next_offset": serializers.IntegerField(allow_null=True),
        "errors_note": serializers.CharField(),
        "error_counts": serializers.DictField(child=serializers.IntegerField()),
        "warnings": serializers.ListField(child=serializers.DictField()),
        "warning_count": serializers.IntegerField(),
        "message": serializers.CharField(),
        "has_rejected_file": serializers.BooleanField(),
        "files_removed": serializers.BooleanField(),
        "files_note": serializers.CharField(),
    },
)


class ImportJobQuerySerializer(QueryParamsSerializer):
    offset = WholeNumberField(min_value=0, max_value=10**9, default=0, help_text="first error of the page")


class ImportJobDetailApi(APIView):
    """Status, progress and outcome of an import job (404 unless it is the caller's)."""

    @extend_schema(parameters=[ImportJobQuerySerializer], responses=JOB_SCHEMA)
    def get(self, request: Request, pk: int) -> Response:
        query = ImportJobQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        job = import_job_get(user=request.user, pk=pk)
        if job is None:
            raise Http404
        return Response(import_job_summary(job=job, errors_offset=query.validated_data["offset"]))


class ImportJobStartApi(APIView):
    """Confirm a previewed job (the wizard's 确认导入): 202 with the job. 409 when it cannot start: already started or
    finished, or expired — not confirmed within PLATFORM_IMPORT_CONFIRM_HOURS of its upload; nothing is written."""

    @extend_schema(request=None, responses={202: JOB_SCHEMA})
    def post(self, request: Request, pk: int) -> Response:
        job = import_job_get(user=request.user, pk=pk)
        if job is None:
            raise Http404
        return Response(import_job_summary(job=import_job_start(job=job)), status=status.HTTP_202_ACCEPTED)

    def http_method_not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        """Another party's job is a 404 whatever the method (never reveal that it exists), like its other URLs."""
        if import_job_get(user=request.user, pk=kwargs["pk"]) is None:
            raise Http404
        return super().http_method_not_allowed(request, *args, **kwargs)


class ImportJobRejectedFileApi(APIView):
    """The rejected rows of a job as CSV, with an error column."""

    @extend_schema(responses={(200, "text/csv"): bytes})
    def get(self, request: Request, pk: int) -> FileResponse:
        job = import_job_get(user=request.user, pk=pk)
        if job is None or not job.rejected_file:
            raise Http404
        return protected_file_response(file=job.rejected_file, filename=f"rejected-{job.pk}.csv")


class ImportUploadSerializer(serializers.Serializer):
    """A tabular upload; size, extension and first bytes are checked (as on the web form) before it is stored."""

    file = serializers.FileField()
    valid_rows_only = serializers.BooleanField(default=False)

    def validate_file(self, value):
        try:
            upload_check(upload=value)
        except TableError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from exc
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
        return Response(import_job_summary(job=import_job_start(job=job)), status=status.HTTP_202_ACCEPTED)
