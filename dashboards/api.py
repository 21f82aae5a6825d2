"""Dashboard API: every figure of the caller's dashboard as JSON (same scope, filters and cache as the page)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import access_permission, is_officer_bureau_or_admin
from core.http import authed_user
from dashboards.forms import DashboardFilterForm
from dashboards.selectors import dashboard_figures_cached, dashboard_scope_for
from dashboards.supply import supply_demand_figures_cached


class DashboardFiguresOutputSerializer(serializers.Serializer):
    """The figures (see dashboards.selectors.dashboard_figures)."""

    scope = serializers.DictField()
    kpis = serializers.DictField()
    funnel = serializers.ListField(child=serializers.DictField())
    cities = serializers.ListField(child=serializers.DictField())
    institutions = serializers.ListField(child=serializers.DictField())
    types = serializers.ListField(child=serializers.DictField())
    industries = serializers.ListField(child=serializers.DictField())
    trends = serializers.ListField(child=serializers.DictField())
    response_times = serializers.ListField(child=serializers.DictField())
    decline_reasons = serializers.ListField(child=serializers.DictField())
    response_institutions = serializers.ListField(child=serializers.DictField())
    supply_demand = serializers.DictField(
        help_text="供需缺口 / supply and demand: threshold, top_k, totals, rows by_industry, by_ipc_section, by_city "
        "(open_needs, satisfiable, unmet, patents_in_demand, cold); docs/supply_demand.md"
    )


class DashboardFiguresApi(APIView):
    """GET the caller's dashboard figures; users without a dashboard (enterprises) get 404, invalid filters 400."""

    permission_classes = [access_permission(is_officer_bureau_or_admin, hidden=True)]

    @extend_schema(
        parameters=[
            OpenApiParameter("city", str, description="城市代码 (GB/T 2260, 4 位)"),
            OpenApiParameter("institution", int, description="高校/院所 pk"),
            OpenApiParameter(
                "date_from",
                str,
                description="YYYY-MM-DD. 日期范围统计范围内发生的事 / A range counts what happened in it: patents by "
                "date_field, follows when made, requests when submitted, deals when signed",
            ),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD (含当天 / included)"),
            OpenApiParameter(
                "date_field",
                str,
                enum=["application", "created"],
                description="专利的日期口径 / Which date of a patent the range applies to (application or arrival)",
            ),
        ],
        responses={200: DashboardFiguresOutputSerializer, 400: None},
    )
    def get(self, request: Request) -> Response:
        scope = dashboard_scope_for(user=authed_user(request))
        if scope is None:
            raise Http404
        form = DashboardFilterForm(request.query_params, scope=scope)
        if not form.is_valid():
            raise ValidationError(form.error_details())
        figures = {
            **dashboard_figures_cached(scope=scope, filters=form.to_filters()),
            "supply_demand": supply_demand_figures_cached(scope=scope),
        }
        return Response(DashboardFiguresOutputSerializer(figures).data)
