"""The needs hall's recommendation: an officer recommends some of their institution's pooled patents for an open
need (the list of needs with their best matches is GET /api/v1/needs/, enterprises.api.views.TechNeedViewSet)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import access_permission, is_officer
from core.api.fields import BoundedListField, IdField
from core.http import authed_user
from enterprises.services.need_recommend import MAX_PATENTS, need_patents_recommend
from enterprises.services.push import MESSAGE_MAX_LENGTH
from matching.reading.needs_hall import hall_needs


class NeedRecommendApi(APIView):
    """Recommend pooled patents of the officer's institution to the enterprise of an open need: each one not sent to
    it within PATENT_PUSH_REPEAT_HOURS is recorded as a push and notified to every active member (`sent`), the others
    reported in `already`; an enterprise with no active member gets nothing (`without_members`). An id that is not a
    pooled patent of the officer's institution is an error keyed by id (400), and then nothing is sent; a need that
    is closed or not the officer's to see is a 404; only officers recommend (403)."""

    permission_classes = [access_permission(is_officer)]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "NeedRecommendInput"

        patent_ids = BoundedListField(child=IdField(max_value=2**31 - 1), allow_empty=False, max_length=MAX_PATENTS)
        message = serializers.CharField(required=False, allow_blank=True, max_length=MESSAGE_MAX_LENGTH, default="")

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "NeedRecommendOutput"

        enterprise = serializers.IntegerField(help_text="the need's enterprise")
        sent = serializers.ListField(child=serializers.IntegerField(), help_text="patent ids recommended now")
        already = serializers.ListField(child=serializers.IntegerField(), help_text="sent recently: skipped")
        without_members = serializers.BooleanField(help_text="no active member to receive it: nothing sent")
        notified = serializers.IntegerField(help_text="notifications written")

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = authed_user(request)
        need = hall_needs(user=user).filter(pk=pk).first()
        if need is None:
            raise Http404
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = need_patents_recommend(
            need=need, patent_ids=data.validated_data["patent_ids"], user=user, message=data.validated_data["message"]
        )
        out = {
            "enterprise": result.enterprise.pk,
            "sent": [p.pk for p in result.sent],
            "already": [p.pk for p in result.already],
            "without_members": result.without_members,
            "notified": result.notified,
        }
        return Response(self.OutputSerializer(out).data)
