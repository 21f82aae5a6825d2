"""Claims of registry enterprises in the API: the bureau's queue and decisions, claim codes, the claimant's own claim.

The bureau's endpoints list and decide only claims of enterprises in the caller's scope (a city bureau: its city's);
anything else is a 404. The claim code is in the answer of the request that issued it and nowhere else.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import access_permission, is_bureau_or_admin, is_signed_in
from core.http import authed_user, client_ip
from core.throttling import REGISTRATION_SCOPE, ClientAddressThrottledApiView
from enterprises.api.serializers import EnterpriseClaimSerializer, EnterpriseOwnClaimSerializer
from enterprises.models import EnterpriseClaim
from enterprises.selectors.claims import enterprise_claim_list, enterprise_claims_of, enterprise_for_claim_code
from enterprises.services.claim_codes import enterprise_claim_code_issue
from enterprises.services.claims import enterprise_claim_code_redeem, enterprise_claim_decide

CLAIM_STATUSES = [*EnterpriseClaim.Status.values, "all"]
NOT_IN_SCOPE_MESSAGE = (
    "企业名录中没有该统一社会信用代码，或该企业不在您的管辖范围 / "
    "The enterprise registry holds no such code within your scope"
)


class EnterpriseClaimListApi(generics.ListAPIView):
    """Claims of registry enterprises in the caller's scope, oldest first (paginated): the registry's data beside the
    claimant's, and how many other claims of the same enterprise wait (`rivals`). `?status=` pending (default),
    approved, rejected or all."""

    permission_classes = [access_permission(is_bureau_or_admin)]
    serializer_class = EnterpriseClaimSerializer
    filter_backends: list[type] = []  # `status` is the one filter, checked below

    def get_queryset(self) -> QuerySet[EnterpriseClaim]:
        wanted = self.request.query_params.get("status", EnterpriseClaim.Status.PENDING)
        if wanted not in CLAIM_STATUSES:
            raise ApiValidationError({"status": [f"可选值 / one of: {', '.join(CLAIM_STATUSES)}"]})
        return enterprise_claim_list(user=authed_user(self.request), status=None if wanted == "all" else wanted)

    @extend_schema(parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=CLAIM_STATUSES, required=False)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class EnterpriseClaimDecideApi(APIView):
    """Approve or reject (a note is required) one pending claim in the caller's scope. Approving binds the claimant
    to the enterprise, gives the enterprise the claimant's contact and rejects the other pending claims of it."""

    permission_classes = [access_permission(is_bureau_or_admin)]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EnterpriseClaimDecisionInput"

        decision = serializers.ChoiceField(choices=["approve", "reject"])
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    @extend_schema(request=InputSerializer, responses=EnterpriseClaimSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = authed_user(request)
        claim = enterprise_claim_list(user=user, status=None).filter(pk=pk).first()
        if claim is None:
            raise Http404
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise_claim_decide(
            claim=claim,
            reviewer=user,
            approve=data.validated_data["decision"] == "approve",
            note=data.validated_data["note"],
        )
        return Response(EnterpriseClaimSerializer(enterprise_claim_list(user=user, status=None).get(pk=pk)).data)


@method_decorator(never_cache, name="dispatch")
class EnterpriseClaimCodeIssueApi(APIView):
    """Issue a one-time claim code for a registry enterprise without an account, in the caller's scope: e-mailed to
    the enterprise's registered contact address when it has one, and in this answer only (never stored in clear)."""

    permission_classes = [access_permission(is_bureau_or_admin)]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EnterpriseClaimCodeInput"

        uscc = serializers.CharField(max_length=40)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EnterpriseClaimCodeOutput"

        enterprise = serializers.IntegerField(source="record.enterprise_id")
        uscc = serializers.CharField(source="record.enterprise.uscc")
        name = serializers.CharField(source="record.enterprise.name")
        code = serializers.CharField()
        expires_at = serializers.DateTimeField(source="record.expires_at")
        emailed_to = serializers.CharField(source="record.emailed_to")
        revoked = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        user = authed_user(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = enterprise_for_claim_code(user=user, uscc=data.validated_data["uscc"])
        if enterprise is None:
            raise ApiValidationError({"uscc": [NOT_IN_SCOPE_MESSAGE]})
        issued = enterprise_claim_code_issue(enterprise=enterprise, issuer=user, ip_address=client_ip(request))
        return Response(self.OutputSerializer(issued).data, status=status.HTTP_201_CREATED)


class EnterpriseClaimMineApi(APIView):
    """The caller's own claims, newest first, each with its status and what happens next."""

    permission_classes = [access_permission(is_signed_in)]

    @extend_schema(responses=EnterpriseOwnClaimSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(EnterpriseOwnClaimSerializer(enterprise_claims_of(user=authed_user(request)), many=True).data)


class EnterpriseClaimCodeRedeemApi(ClientAddressThrottledApiView):
    """The caller's pending claim, approved at once with the claim code the bureau issued to the enterprise
    (throttled at the sign-up rate per account, whose creation is throttled per address: no guessing by trying)."""

    permission_classes = [access_permission(is_signed_in)]
    throttle_scope = REGISTRATION_SCOPE

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EnterpriseClaimCodeRedeemInput"

        claim_code = serializers.CharField(max_length=40)

    @extend_schema(request=InputSerializer, responses=EnterpriseOwnClaimSerializer)
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = enterprise_claim_code_redeem(
            claimant=authed_user(request),
            claim_code=data.validated_data["claim_code"],
            ip_address=client_ip(request),
        )
        return Response(EnterpriseOwnClaimSerializer(claim).data)
