"""The officer's push list of a patent (matched enterprises with the need text that matched) and the push itself."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import access_permission, is_officer_bureau_or_admin
from core.api.fields import BoundedListField, IdField
from core.http import authed_user
from enterprises.services.push import MAX_ENTERPRISES, MESSAGE_MAX_LENGTH, patent_push
from matching.presentation.push import push_rows_explain
from matching.reading.push_list import enterprises_for_patent
from patents.selectors import patent_get


class MatchedNeedSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    title = serializers.CharField()
    excerpt = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField())


class MatchedEnterpriseSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    enterprise_pk = serializers.IntegerField(source="enterprise.pk")
    enterprise = serializers.CharField(source="enterprise.name")
    city = serializers.CharField(source="enterprise.city.name", default=None)
    business_scope = serializers.CharField(source="enterprise.business_scope")
    # an enterprise waiting for review is listed as such, never passed off as verified
    verification = serializers.CharField(source="enterprise.verification")
    terms = serializers.ListField(child=serializers.CharField(), help_text="the engine's explaining terms")
    needs = MatchedNeedSerializer(many=True, help_text="open needs holding those terms, best first (at most 3)")
    profile_excerpt = serializers.CharField(help_text="business scope / products matched, when no need did")
    pushed_at = serializers.DateTimeField(allow_null=True, help_text="last push of this patent to the enterprise")
    can_receive = serializers.BooleanField(
        help_text="an active member can receive a push; an enterprise without one is not pushed"
    )


class PatentMatchedEnterprisesApi(ListAPIView):
    """Enterprises that fit a patent: the officer's push list (404 when the patent is not the caller's to see)."""

    permission_classes = [access_permission(is_officer_bureau_or_admin, hidden=True)]

    serializer_class = MatchedEnterpriseSerializer
    filter_backends: list = []

    def get_queryset(self):
        qs = enterprises_for_patent(user=authed_user(self.request), patent_id=self.kwargs["pk"])
        if qs is None:
            raise Http404
        return qs

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        push_rows_explain(patent_id=self.kwargs["pk"], rows=page if page is not None else queryset)
        return page


class PatentPushApi(APIView):
    """Push a pooled patent the caller manages to enterprises: one notification per member of each, none again
    within PATENT_PUSH_REPEAT_HOURS (reported in `already`); an enterprise with no active member is not pushed
    (reported in `without_members`). Ids the caller may not see are errors, keyed by id, and then nothing is pushed."""

    permission_classes = [access_permission(is_officer_bureau_or_admin, hidden=True)]

    class InputSerializer(serializers.Serializer):
        enterprise_ids = BoundedListField(
            child=IdField(max_value=2**31 - 1),
            allow_empty=False,
            max_length=MAX_ENTERPRISES,
        )
        message = serializers.CharField(required=False, allow_blank=True, max_length=MESSAGE_MAX_LENGTH, default="")

    class OutputSerializer(serializers.Serializer):
        pushed = serializers.ListField(child=serializers.IntegerField(), help_text="enterprise ids notified now")
        already = serializers.ListField(child=serializers.IntegerField(), help_text="pushed recently: skipped")
        without_members = serializers.ListField(
            child=serializers.IntegerField(), help_text="no active member to receive it: not pushed, nothing recorded"
        )
        notified = serializers.IntegerField(help_text="users notified")

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = authed_user(request)
        patent = patent_get(user=user, pk=pk)
        if patent is None:
            raise Http404
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = patent_push(
            patent=patent,
            enterprise_ids=data.validated_data["enterprise_ids"],
            user=user,
            message=data.validated_data["message"],
        )
        out = {
            "pushed": [e.pk for e in result.pushed],
            "already": [e.pk for e in result.already],
            "without_members": [e.pk for e in result.without_members],
            "notified": result.notified,
        }
        return Response(self.OutputSerializer(out).data)
