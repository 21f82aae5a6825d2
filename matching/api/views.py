"""Matching API: recommendations (both directions), engine search with facets, runs for staff."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from core.api.pagination import StandardPagination
from matching.selectors import enterprises_for_patent, match_run_list, patent_search, recommendations_for_enterprise
from matching.services import enterprise_rank_now, match_run_create


class _PatentBrief(serializers.Serializer):
    pk = serializers.IntegerField()
    application_number = serializers.CharField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    patent_type = serializers.CharField()
    institution = serializers.CharField(source="institution.name")
    city = serializers.CharField(source="institution.city.name")
    transfer_modes = serializers.ListField(child=serializers.CharField())


class RecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    final_score = serializers.FloatField()
    terms = serializers.ListField(child=serializers.CharField())
    patent = _PatentBrief()


class RecommendationListApi(APIView):
    """The caller's enterprise's recommended patents (?city=4201&patent_type=invention&mode=licence)."""

    @extend_schema(
        parameters=[OpenApiParameter("city", str), OpenApiParameter("patent_type", str), OpenApiParameter("mode", str)],
        responses=RecommendationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        if request.user.role != Role.ENTERPRISE or not request.user.enterprise_id:
            raise Http404
        qs = recommendations_for_enterprise(
            enterprise_id=request.user.enterprise_id,
            city=request.query_params.get("city", ""),
            patent_type=request.query_params.get("patent_type", ""),
            mode=request.query_params.get("mode", ""),
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(RecommendationSerializer(page, many=True).data)


class RecommendationRefreshApi(APIView):
    """Rank the caller's enterprise now against the current index (after editing needs)."""

    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request) -> Response:
        if request.user.role != Role.ENTERPRISE or not request.user.enterprise_id:
            raise Http404
        ranked = enterprise_rank_now(enterprise=request.user.enterprise)
        return Response({"count": len(ranked)})


class MatchedEnterpriseSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    enterprise_pk = serializers.IntegerField(source="enterprise.pk")
    enterprise = serializers.CharField(source="enterprise.name")
    city = serializers.CharField(source="enterprise.city.name", default=None)
    business_scope = serializers.CharField(source="enterprise.business_scope")


class PatentMatchedEnterprisesApi(APIView):
    """Enterprises that fit a patent: the officer's push list (404 when the patent is not the caller's to see)."""

    @extend_schema(responses=MatchedEnterpriseSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        qs = enterprises_for_patent(user=request.user, patent_id=pk)
        if qs is None:
            raise Http404
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(MatchedEnterpriseSerializer(page, many=True).data)


SEARCH_PARAMS = ("q", "city", "institution", "ipc_section", "patent_type", "mode")


class SearchApi(APIView):
    """Free-text search of the pooled patents ranked by the engine, with facets."""

    class SearchOutputSerializer(serializers.Serializer):
        class Hit(serializers.Serializer):
            score = serializers.FloatField()
            terms = serializers.ListField(child=serializers.CharField())
            patent = _PatentBrief()

        total = serializers.IntegerField()
        results = Hit(many=True)
        facets = serializers.DictField(child=serializers.ListField(child=serializers.DictField()))

    @extend_schema(
        parameters=[
            OpenApiParameter(n, str) for n in ("q", "city", "institution", "ipc_section", "patent_type", "mode")
        ],
        responses=SearchOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        filters = {
            k: request.query_params.get(k, "") for k in ("city", "institution", "ipc_section", "patent_type", "mode")
        }
        data = patent_search(user=request.user, text=request.query_params.get("q", "")[:500], filters=filters)
        return Response(self.SearchOutputSerializer(data).data)


class IsStaffRole(BasePermission):
    message = "仅知识产权局工作人员或管理员 / bureau staff or admins only"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user.is_authenticated and (user.is_platform_admin or user.role == Role.BUREAU_PROVINCE))


class MatchRunSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    status = serializers.CharField()
    is_current = serializers.BooleanField()
    progress = serializers.IntegerField()
    counts = serializers.DictField()
    timings = serializers.DictField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class MatchRunListApi(APIView):
    """Matching runs with live progress (GET); start a full run (POST → 202)."""

    permission_classes = [IsStaffRole]

    @extend_schema(responses=MatchRunSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = StandardPagination()
        page = paginator.paginate_queryset(match_run_list(), request, view=self)
        return paginator.get_paginated_response(MatchRunSerializer(page, many=True).data)

    @extend_schema(request=None, responses={202: MatchRunSerializer})
    def post(self, request: Request) -> Response:
        run = match_run_create(parameters={"trigger": "api", "by": request.user.username})
        run.refresh_from_db()
        return Response(MatchRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
