"""Docking requests and notifications through the API (the rest of the enterprises API is in views.py)."""

from dataclasses import asdict

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import access_permission, is_enterprise_member, is_officer_bureau_or_admin
from common.numbers import parse_id
from core.api.fields import IdField, IdRelatedField
from core.http import authed_user
from enterprises.api.serializers import (
    DockingRequestDetailSerializer,
    DockingRequestSerializer,
    InstitutionResponseTimeSerializer,
    NotificationSerializer,
)
from enterprises.docking import DockingAction
from enterprises.models import DeclineReason, DockingRequest, Notification
from enterprises.selectors.docking import docking_get, docking_list, institution_response_times
from enterprises.selectors.needs import tech_need_get_own
from enterprises.selectors.notifications import notification_list
from enterprises.services.docking import docking_request_create, docking_transition
from enterprises.services.notifications import notification_mark_read, notifications_mark_all_read
from patents.models import Institution, TransferMode
from patents.selectors import institutions_in_statistics_of, patent_get

# --- docking -------------------------------------------------------------------------------------------


class DockingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Docking requests the caller may see (with `is_overdue` and the caller's `allowed_actions`)."""

    permission_classes = [
        access_permission(is_enterprise_member, actions=("create",)),
        access_permission(is_officer_bureau_or_admin, actions=("response_times",)),
    ]
    filterset_fields = ["status", "kind"]
    ordering_fields = ["submitted_at", "status"]

    class CreateInputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DockingCreateInput"

        patent = IdField(required=False, allow_null=True)
        need = IdField(required=False, allow_null=True)
        institution = IdRelatedField(
            queryset=Institution.objects.filter(is_active=True), required=False, allow_null=True
        )
        message = serializers.CharField(required=False, allow_blank=True, default="")
        expires_on = serializers.DateField(required=False, allow_null=True)
        # omitted: the enterprise profile's; a phone or an e-mail is required (checked by the service, as on the page)
        contact_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
        contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
        contact_email = serializers.CharField(required=False, allow_blank=True, max_length=254)

    class TransitionInputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DockingTransitionInput"

        action = serializers.ChoiceField(choices=[a.value for a in DockingAction])
        note = serializers.CharField(required=False, allow_blank=True, default="")
        decline_reason = serializers.ChoiceField(choices=DeclineReason.choices, required=False, allow_blank=True)
        transfer_mode = serializers.ChoiceField(choices=TransferMode.choices, required=False, allow_blank=True)
        amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
        signed_date = serializers.DateField(required=False, allow_null=True)
        contract_file = serializers.FileField(required=False, allow_null=True)

    def get_queryset(self) -> QuerySet[DockingRequest]:
        qs = docking_list(user=authed_user(self.request))
        return qs.prefetch_related("events__actor") if self.action == "retrieve" else qs

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return DockingRequestDetailSerializer if self.action == "retrieve" else DockingRequestSerializer

    def _detail(self, pk: int) -> dict:
        docking = docking_list(user=authed_user(self.request)).prefetch_related("events__actor").get(pk=pk)
        return DockingRequestDetailSerializer(docking, context={"request": self.request}).data

    @extend_schema(request=CreateInputSerializer, responses={201: DockingRequestDetailSerializer})
    def create(self, request: Request) -> Response:
        user = authed_user(request)
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        patent = need = None
        if values.get("patent") is not None and (patent := patent_get(user=user, pk=values["patent"])) is None:
            raise Http404
        if values.get("need") is not None and (need := tech_need_get_own(user=user, pk=values["need"])) is None:
            raise Http404
        docking = docking_request_create(
            actor=user,
            patent=patent,
            need=need,
            institution=values.get("institution"),
            message=values["message"],
            expires_on=values.get("expires_on"),
            contact_name=values.get("contact_name"),
            contact_phone=values.get("contact_phone"),
            contact_email=values.get("contact_email"),
        )
        return Response(self._detail(docking.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionInputSerializer, responses=DockingRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: int) -> Response:
        number = parse_id(pk)  # the route's converter read it already: a second guard, not a second rule
        docking = docking_get(user=authed_user(request), pk=number) if number is not None else None
        if docking is None:
            raise Http404
        data = self.TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        docking_transition(docking=docking, actor=authed_user(request), **data.validated_data)
        return Response(self._detail(docking.pk))

    @extend_schema(responses=InstitutionResponseTimeSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="response-times", pagination_class=None)
    def response_times(self, request: Request) -> Response:
        """Median first-response time per institution: bureau and admins all (a city its own), officers their own."""
        rows = institution_response_times(institutions=institutions_in_statistics_of(user=authed_user(request)))
        return Response(InstitutionResponseTimeSerializer([asdict(row) for row in rows], many=True).data)


# --- notifications ----------------------------------------------------------------------------------


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications; mark one or all read."""

    serializer_class = NotificationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Notification]:
        return notification_list(user=authed_user(self.request))

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = notification_mark_read(notification=self.get_object(), user=authed_user(request))
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer(name="NotificationsMarkedRead", fields={"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": notifications_mark_all_read(user=authed_user(request))})
