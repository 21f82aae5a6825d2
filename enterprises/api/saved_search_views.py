"""Saved searches (订阅) in the API: `/api/v1/saved-searches/` — list, create, delete, for enterprise members, scoped to
their enterprise (another enterprise's subscription is a 404). Create takes a search's words and filters, or one of
the enterprise's needs (提醒我). Errors are the API's format, field by field, Chinese then English."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import access_permission, is_enterprise_member
from core.api.fields import IdField
from core.http import authed_user
from enterprises.models import SavedSearch
from enterprises.selectors.needs import tech_need_get_own
from enterprises.selectors.saved_searches import saved_search_list
from enterprises.services.saved_searches import need_alert_set, saved_search_create, saved_search_delete


class SavedSearchSerializer(serializers.ModelSerializer):
    alerts_sent = serializers.IntegerField(read_only=True)

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "text", "filters", "need", "active", "created_at", "last_alert_at", "alerts_sent"]
        read_only_fields = fields


class SavedSearchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The member's enterprise's subscriptions; create one (words and filters, or a need), delete one."""

    permission_classes = [access_permission(is_enterprise_member)]
    serializer_class = SavedSearchSerializer

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SavedSearchInput"

        # loose types on purpose: the service checks the values and answers field by field in both languages
        name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        filters = serializers.JSONField(required=False)
        need = IdField(required=False)

    def get_queryset(self) -> QuerySet[SavedSearch]:
        return saved_search_list(user=authed_user(self.request)).order_by("-created_at", "-pk")

    @extend_schema(request=InputSerializer, responses={201: SavedSearchSerializer})
    def create(self, request: Request) -> Response:
        user = authed_user(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        if "need" in values:
            need = tech_need_get_own(user=user, pk=values["need"])
            if need is None:
                raise Http404
            saved = need_alert_set(user=user, need=need, on=True)
        else:
            saved = saved_search_create(
                user=user, name=values.get("name", ""), text=values.get("text", ""), filters=values.get("filters")
            )
        assert saved is not None
        fresh = self.get_queryset().get(pk=saved.pk)  # with its count of alerts sent
        return Response(SavedSearchSerializer(fresh).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: SavedSearch) -> None:
        saved_search_delete(user=authed_user(self.request), saved_search=instance)
