"""API endpoints shared by every role."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.http import authed_user
from core.models import City
from core.selectors import city_list


class MeApi(APIView):
    """The current user and their role."""

    class MeOutputSerializer(serializers.Serializer):
        pk = serializers.IntegerField()
        username = serializers.CharField()
        display_name = serializers.CharField()
        role = serializers.CharField()
        institution = serializers.CharField(allow_null=True)
        enterprise = serializers.CharField(allow_null=True)
        city = serializers.CharField(allow_null=True)

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request: Request) -> Response:
        user = authed_user(request)
        data = {
            "pk": user.pk,
            "username": user.username,
            "display_name": user.get_full_name() or user.username,
            "role": user.role,
            "institution": str(user.institution) if user.institution_id else None,
            "enterprise": str(user.enterprise) if user.enterprise_id else None,
            "city": str(user.city) if user.city_id else None,
        }
        return Response(self.MeOutputSerializer(data).data)


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["code", "name", "province"]


class CityListApi(ListAPIView):
    """Prefecture-level cities of the platform's province (?province=42 for another)."""

    serializer_class = CitySerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return city_list(province_code=self.request.query_params.get("province"))
