"""Officer write APIs: inventory upload (202 + job), bulk pool / unpool / modes, pooling terms."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import access_permission, is_officer
from core.api.fields import BoundedListField, IdField
from core.http import authed_user
from core.validators import single_line_text
from imports.api.views import ImportUploadApi
from imports.models import ImportJob
from patents.forms import PatentTermsForm
from patents.models import Institution, OpenLicencePayment, Patent, TransferMode
from patents.selectors import patent_get
from patents.services import patent_terms_set, patents_modes_set, patents_pool, patents_unpool


class PatentImportCreateApi(ImportUploadApi):
    """Upload an inventory file: answered 202 with the job; poll /api/v1/imports/{pk}/ for progress."""

    permission_classes = [access_permission(is_officer)]
    kind = ImportJob.Kind.PATENTS

    def institution_for(self, request: Request) -> Institution | None:
        return authed_user(request).institution


MAX_SELECTED = 5000  # patents one bulk action may name


class _PatentSelection(serializers.Serializer):
    pks = BoundedListField(child=IdField(), min_length=1, max_length=MAX_SELECTED)


def _selected(request: Request, pks: list[int]) -> list[Patent]:
    institution_id = authed_user(request).institution_id
    assert institution_id is not None  # access_permission(is_officer) checked it
    patents = list(Patent.objects.filter(pk__in=pks, institution_id=institution_id))
    if len(patents) != len(set(pks)):
        raise Http404  # someone else's (or no) patent: never say which
    return patents


class PatentPoolApi(APIView):
    """Pool (入库) several patents of the caller's institution."""

    permission_classes = [access_permission(is_officer)]

    @extend_schema(request=_PatentSelection, responses={200: dict})
    def post(self, request: Request) -> Response:
        data = _PatentSelection(data=request.data)
        data.is_valid(raise_exception=True)
        changed = patents_pool(patents=_selected(request, data.validated_data["pks"]), user=authed_user(request))
        return Response({"changed": changed})


class PatentUnpoolApi(APIView):
    """Take patents out of the pool with a reason."""

    permission_classes = [access_permission(is_officer)]

    class PatentUnpoolInputSerializer(_PatentSelection):
        reason = serializers.CharField(max_length=300)

    @extend_schema(request=PatentUnpoolInputSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        data = self.PatentUnpoolInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = patents_unpool(
            patents=_selected(request, data.validated_data["pks"]),
            user=authed_user(request),
            reason=data.validated_data["reason"],
        )
        return Response({"changed": changed})


class PatentModesApi(APIView):
    """Set the same transfer modes on several patents."""

    permission_classes = [access_permission(is_officer)]

    class PatentModesInputSerializer(_PatentSelection):
        transfer_modes = BoundedListField(
            child=serializers.ChoiceField(TransferMode.choices), min_length=1, max_length=len(TransferMode.choices)
        )

    @extend_schema(request=PatentModesInputSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        data = self.PatentModesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = patents_modes_set(
            patents=_selected(request, data.validated_data["pks"]),
            user=authed_user(request),
            transfer_modes=data.validated_data["transfer_modes"],
        )
        return Response({"changed": changed})


class PatentTermsApi(APIView):
    """Set one patent's pooling terms, including an open-licence declaration."""

    permission_classes = [access_permission(is_officer)]

    class PatentTermsInputSerializer(serializers.Serializer):
        """The request's shape for the schema only: PatentTermsForm validates it, as it does the page's."""

        transfer_modes = BoundedListField(
            child=serializers.ChoiceField(TransferMode.choices), min_length=1, max_length=len(TransferMode.choices)
        )
        price_min = serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
        )
        price_max = serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
        )
        price_negotiable = serializers.BooleanField(default=False)
        contact = serializers.CharField(
            max_length=100, required=False, allow_blank=True, default="", validators=[single_line_text]
        )
        contact_phone = serializers.CharField(
            max_length=32, required=False, allow_blank=True, default="", validators=[single_line_text]
        )
        open_licence_payment = serializers.ChoiceField(
            OpenLicencePayment.choices, required=False, allow_blank=True, default=""
        )
        open_licence_lump_sum = serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
        )
        open_licence_royalty_rate = serializers.DecimalField(
            max_digits=5, decimal_places=2, min_value=0, required=False, allow_null=True
        )
        open_licence_entry_fee = serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
        )
        open_licence_years = serializers.IntegerField(min_value=1, max_value=50, required=False, allow_null=True)

    @extend_schema(request=PatentTermsInputSerializer, responses={200: dict})
    def put(self, request: Request, pk: int) -> Response:
        patent = patent_get(user=authed_user(request), pk=pk)
        if patent is None:
            raise Http404
        form = PatentTermsForm(data=_form_data(request.data))
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        patent = patent_terms_set(patent=patent, user=authed_user(request), **form.cleaned_data)
        return Response(
            {
                "pk": patent.pk,
                "transfer_modes": patent.transfer_modes,
                "open_licence_payment": patent.open_licence_payment,
            }
        )


def _form_data(data: object) -> Mapping[str, Any]:
    """A JSON body as form data: null is an empty field, as an empty input is on the page."""
    if isinstance(data, QueryDict):  # a form-encoded body already is form data
        return data
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["请求体必须是 JSON 对象 / the body must be a JSON object"]})
    return {key: "" if value is None else value for key, value in data.items()}
