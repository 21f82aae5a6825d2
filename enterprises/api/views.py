"""Enterprise API: sign-up, profile, review queue, needs, follows, docking and notifications.

Reads come from selectors (scoped by role; what a user may not see is a 404); writes validate input with a nested
InputSerializer, call one service and render an output serializer. Service errors are rendered by
core/api/exceptions.py: ValidationError → 400, ConflictError → 409, NotFoundError → 404.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import (
    access_permission,
    is_bureau_or_admin,
    is_enterprise_member,
    is_officer_bureau_or_admin,
)
from common.numbers import parse_id
from core.api.fields import IdField
from core.http import authed_user, client_ip
from core.throttling import REGISTRATION_SCOPE, ClientAddressThrottledApiView
from core.validators import single_line_text
from enterprises.api.serializers import (
    EnterpriseProfileSerializer,
    EnterpriseReviewSerializer,
    EnterpriseSerializer,
    PatentFollowSerializer,
    RegistrationClaimSerializer,
    TechNeedHallSerializer,
    TechNeedSerializer,
)
from enterprises.hooks import need_ranking
from enterprises.models import Enterprise, PatentFollow, TechNeed
from enterprises.selectors.follows import patent_follow_list
from enterprises.selectors.needs import tech_need_get_own, tech_need_list
from enterprises.selectors.profile import enterprise_list, enterprise_review_queue
from enterprises.services.follows import patent_follow, patent_unfollow
from enterprises.services.needs import (
    tech_need_close,
    tech_need_create,
    tech_need_delete,
    tech_need_reopen,
    tech_need_update,
)
from enterprises.services.profile import enterprise_profile_update
from enterprises.services.registration import Registration, enterprise_register, enterprise_review_decide
from patents.models import TransferMode
from patents.selectors import patent_get

# --- enterprises ----------------------------------------------------------------------------------


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """Enterprises the caller may see."""

    serializer_class = EnterpriseSerializer
    search_fields = ["name", "uscc"]
    filterset_fields = ["city", "industry_section", "verification"]

    def get_queryset(self) -> QuerySet[Enterprise]:
        return enterprise_list(user=authed_user(self.request))


class EnterpriseRegisterApi(ClientAddressThrottledApiView):
    """Self sign-up (anonymous, throttled per address): an enterprise and its account, whose username is the code.

    A new enterprise waits for the bureau's review (`verification` "review"). A code and name the imported registry
    holds file a claim of that enterprise instead: `verification` "pending" and an account named `<code>-<n>` that
    acts for no enterprise until the bureau approves the claim — or, with the `claim_code` the bureau issued to the
    enterprise's registered contact, the claim is approved at once. `next_step` says what happens next.
    """

    permission_classes = [permissions.AllowAny]
    throttle_scope = REGISTRATION_SCOPE

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EnterpriseRegisterInput"

        password = serializers.CharField(write_only=True, trim_whitespace=False)
        name = serializers.CharField(max_length=200, validators=[single_line_text])
        uscc = serializers.CharField(max_length=40)
        city = serializers.CharField(max_length=4, help_text="GB/T 2260 city code of the platform's province")
        # optional without a default: a default "" broke the schema's own minLength / format (an omitted contact is
        # the service's default "")
        contact_name = serializers.CharField(max_length=64, required=False, validators=[single_line_text])
        contact_phone = serializers.CharField(max_length=32, required=False, validators=[single_line_text])
        contact_email = serializers.EmailField(required=False)
        claim_code = serializers.CharField(
            max_length=40,
            required=False,
            default="",
            allow_blank=True,
            help_text="the one-time claim code the bureau issued for a registry enterprise (claims it at once)",
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EnterpriseRegisterOutput"

        pk = serializers.IntegerField(source="enterprise.pk")
        name = serializers.CharField(source="enterprise.name")
        uscc = serializers.CharField(source="enterprise.uscc")
        verification = serializers.CharField(
            help_text='"review" (a new enterprise waiting for the bureau), "pending" (a claim of a registry enterprise '
            'waiting for the bureau), "verified" (a registry enterprise claimed with a claim code)'
        )
        username = serializers.CharField(source="user.username")
        next_step = serializers.CharField()
        claim = serializers.SerializerMethodField()

        @extend_schema_field(RegistrationClaimSerializer(allow_null=True))
        def get_claim(self, registration: Registration) -> dict | None:
            return RegistrationClaimSerializer(registration).data if registration.claim is not None else None

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        registration = enterprise_register(city_code=values.pop("city"), ip_address=client_ip(request), **values)
        return Response(self.OutputSerializer(registration).data, status=status.HTTP_201_CREATED)


class EnterpriseMeApi(APIView):
    """The caller's own enterprise profile: read and update (members only)."""

    permission_classes = [access_permission(is_enterprise_member)]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EnterpriseProfileInput"

        name = serializers.CharField(max_length=200, required=False, validators=[single_line_text])
        city = serializers.CharField(max_length=4, required=False, allow_null=True)
        industry_section = serializers.CharField(max_length=1, required=False, allow_blank=True)
        industry_division = serializers.CharField(max_length=2, required=False, allow_blank=True)
        size = serializers.ChoiceField(choices=Enterprise.Size.choices, required=False, allow_blank=True)
        business_scope = serializers.CharField(required=False, allow_blank=True)
        products = serializers.CharField(required=False, allow_blank=True)
        website = serializers.URLField(required=False, allow_blank=True)
        contact_name = serializers.CharField(
            max_length=64, required=False, allow_blank=True, validators=[single_line_text]
        )
        contact_phone = serializers.CharField(
            max_length=32, required=False, allow_blank=True, validators=[single_line_text]
        )
        contact_email = serializers.EmailField(required=False, allow_blank=True)

    @extend_schema(responses=EnterpriseProfileSerializer)
    def get(self, request: Request) -> Response:
        return Response(EnterpriseProfileSerializer(authed_user(request).enterprise).data)

    @extend_schema(request=InputSerializer, responses=EnterpriseProfileSerializer)
    def patch(self, request: Request) -> Response:
        user = authed_user(request)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        assert user.enterprise is not None  # is_enterprise_member checked enterprise_id
        enterprise = enterprise_profile_update(enterprise=user.enterprise, actor=user, data=dict(data.validated_data))
        return Response(EnterpriseProfileSerializer(enterprise).data)


class EnterpriseReviewQueueApi(APIView):
    """Registrations waiting for manual review (bureau staff; a city bureau sees its city's)."""

    permission_classes = [access_permission(is_bureau_or_admin)]

    @extend_schema(responses=EnterpriseReviewSerializer(many=True))
    def get(self, request: Request) -> Response:
        queue = enterprise_review_queue(user=authed_user(request))
        return Response(EnterpriseReviewSerializer(queue, many=True).data)


class EnterpriseReviewDecideApi(APIView):
    """Approve or reject one registration of the caller's review queue (a note is required to reject)."""

    permission_classes = [access_permission(is_bureau_or_admin)]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EnterpriseReviewDecisionInput"

        decision = serializers.ChoiceField(choices=["approve", "reject"])
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=EnterpriseReviewSerializer)
    def post(self, request: Request, pk: int) -> Response:
        enterprise = enterprise_review_queue(user=authed_user(request)).filter(pk=pk).first()
        if enterprise is None:
            raise Http404
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = enterprise_review_decide(
            enterprise=enterprise,
            reviewer=authed_user(request),
            approve=data.validated_data["decision"] == "approve",
            note=data.validated_data["note"],
        )
        return Response(EnterpriseReviewSerializer(enterprise).data)


# --- technology needs ------------------------------------------------------------------------------


class TechNeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Technology needs the caller may see; members create, edit, close, reopen and delete their own."""

    permission_classes = [
        access_permission(
            is_enterprise_member, actions=("create", "update", "partial_update", "destroy", "close", "reopen")
        )
    ]
    serializer_class = TechNeedSerializer
    search_fields = ["title", "keywords"]
    filterset_fields = ["status"]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TechNeedInput"

        title = serializers.CharField(max_length=200, validators=[single_line_text])
        description = serializers.CharField(required=False, allow_blank=True)
        keywords = serializers.CharField(
            max_length=300, required=False, allow_blank=True, validators=[single_line_text]
        )
        budget_min = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
        budget_max = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
        preferred_mode = serializers.ChoiceField(choices=TransferMode.choices, required=False, allow_blank=True)
        deadline = serializers.DateField(required=False, allow_null=True)

    def get_queryset(self) -> QuerySet[TechNeed]:
        return tech_need_list(user=authed_user(self.request))

    @extend_schema(
        parameters=[OpenApiParameter("ordering", str, description="-best_match: best match of your pool first")],
        responses=TechNeedHallSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Needs the caller may see; officers and bureau staff get each with `matches`, the best three patents of
        their pool (an officer: the institution's pooled patents), and may sort by them (`?ordering=-best_match`)."""
        user = authed_user(request)
        ranking = need_ranking
        if ranking.matches is None or ranking.order_by_best is None or not is_officer_bureau_or_admin(user):
            return super().list(request, *args, **kwargs)
        by_best = request.query_params.get("ordering") == "-best_match"
        queryset = self.filter_queryset(self.get_queryset())  # the "-best_match" term is not a field: left out
        listed = ranking.order_by_best(user=user, needs=queryset) if by_best else queryset
        page = self.paginate_queryset(listed)
        shown = list(page if page is not None else listed)
        matches = ranking.matches(user=user, needs=shown)
        for need in shown:
            need.matches = matches.get(need.pk, [])
        data = TechNeedHallSerializer(shown, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _own(self, pk: int | str) -> TechNeed:
        user = authed_user(self.request)
        number = parse_id(pk)  # the route's converter read it already: a second guard, not a second rule
        need = tech_need_get_own(user=user, pk=number) if number is not None else None
        if need is None:
            raise Http404
        return need

    @extend_schema(request=InputSerializer, responses={201: TechNeedSerializer})
    def create(self, request: Request) -> Response:
        user = authed_user(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assert user.enterprise is not None  # is_enterprise_member checked enterprise_id
        need = tech_need_create(enterprise=user.enterprise, actor=user, data=dict(data.validated_data))
        return Response(TechNeedSerializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InputSerializer, responses=TechNeedSerializer)
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        need = self._own(pk)
        data = self.InputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        need = tech_need_update(need=need, actor=authed_user(request), data=dict(data.validated_data))
        return Response(TechNeedSerializer(need).data)

    @extend_schema(request=InputSerializer, responses=TechNeedSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        tech_need_delete(need=self._own(pk), actor=authed_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=TechNeedSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return Response(TechNeedSerializer(tech_need_close(need=self._own(pk), actor=authed_user(request))).data)

    @extend_schema(request=None, responses=TechNeedSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return Response(TechNeedSerializer(tech_need_reopen(need=self._own(pk), actor=authed_user(request))).data)


# --- follows ------------------------------------------------------------------------------------------


class PatentFollowViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Follows: members list, create and delete their enterprise's; officers list who follows their patents."""

    permission_classes = [access_permission(is_enterprise_member, actions=("create", "destroy"))]
    serializer_class = PatentFollowSerializer
    filterset_fields = ["patent"]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PatentFollowInput"

        patent = IdField()

    def get_queryset(self) -> QuerySet[PatentFollow]:
        return patent_follow_list(user=authed_user(self.request))

    @extend_schema(request=InputSerializer, responses={201: PatentFollowSerializer})
    def create(self, request: Request) -> Response:
        user = authed_user(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patent = patent_get(user=user, pk=data.validated_data["patent"])
        if patent is None:
            raise Http404
        follow = patent_follow(user=user, patent=patent)
        return Response(PatentFollowSerializer(follow).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: PatentFollow) -> None:
        patent_unfollow(user=authed_user(self.request), patent=instance.patent)
