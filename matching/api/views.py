"""Matching API: an enterprise's recommended patents, a patent's matched enterprises (push list), engine search
with facets, runs for staff (the push list and the push: matching/api/push_views.py)."""

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import access_permission, is_enterprise_member, is_province_staff
from core.api.fields import IdField, PageField
from core.api.pagination import CountedPagePagination
from core.api.query_params import QueryParamsSerializer
from core.http import authed_user
from matching.live.rerank import enterprise_rank_now
from matching.reading.needs import need_recommendations, open_needs_of
from matching.reading.recommendations import recommendations_for_enterprise
from matching.reading.search import patent_search
from matching.runs.current import match_run_list
from matching.runs.start import match_run_start
from patents.api.serializers import PublishedTermsSerializer
from patents.filters import grades_param
from patents.models import Patent, PatentType, TransferMode
from patents.selectors import patent_inventor_consent, patent_published_terms


# The two hottest lists (recommendations, search) declare their fields for the schema but build their dicts by hand:
# DRF's generic field walk is too slow for them. tests/matching/test_search.py checks both against DRF's output.
def _patent_brief(patent: Patent) -> dict:
    return {
        "pk": patent.pk,
        "application_number": patent.application_number,
        "title": patent.title,
        "abstract": patent.abstract,
        "patent_type": patent.patent_type,
        "institution": patent.institution.name,
        "city": patent.institution.city.name,
        "transfer_modes": [str(mode) for mode in patent.transfer_modes or []],
        "value_grade": patent.value_grade,
        "inventor_consent": patent_inventor_consent(patent=patent),
        "published_terms": patent_published_terms(patent=patent).as_dict(),
    }


class _PatentBrief(serializers.Serializer):
    pk = serializers.IntegerField()
    application_number = serializers.CharField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    patent_type = serializers.CharField()
    institution = serializers.CharField(source="institution.name")
    city = serializers.CharField(source="institution.city.name")
    transfer_modes = serializers.ListField(child=serializers.CharField())
    value_grade = serializers.CharField(help_text='the settled value grade, A-D ("" when not assessed)')
    inventor_consent = serializers.SerializerMethodField(
        help_text="whether the inventor agreed to the transfer (null: not assessed or no answer)"
    )
    published_terms = PublishedTermsSerializer(source="*")

    def get_inventor_consent(self, instance: Patent) -> bool | None:
        return patent_inventor_consent(patent=instance)

    def to_representation(self, instance: Patent) -> dict:
        return _patent_brief(instance)


class RecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="the patent's place in the enterprise's whole list (before filters)")
    score = serializers.FloatField(
        source="final_score",
        help_text="the score the list is ordered by (show this one): raw_score after the enterprise's feedback "
        "(follows, docking outcomes, also of similar patents); equals raw_score when no feedback touched it",
    )
    raw_score = serializers.FloatField(
        source="score",
        help_text="the engine's score before feedback: (1 - w) · lexical + w · semantic; the terms explain the "
        "lexical part",
    )
    feedback_adjustment = serializers.SerializerMethodField(
        help_text="score - raw_score: what feedback added (positive) or took away (negative); 0 when none"
    )
    semantic = serializers.FloatField(help_text="the semantic part (latent-space similarity, 0..1) of raw_score")
    final_score = serializers.FloatField(help_text="the same as score (kept for existing clients)")
    terms = serializers.ListField(child=serializers.CharField())
    patent = _PatentBrief()

    def get_feedback_adjustment(self, instance) -> float:
        return float(instance.final_score) - float(instance.score)

    def to_representation(self, instance) -> dict:
        return {
            "rank": instance.rank,
            "score": float(instance.final_score),
            "raw_score": float(instance.score),
            "feedback_adjustment": float(instance.final_score) - float(instance.score),
            "semantic": float(instance.semantic),
            "final_score": float(instance.final_score),
            "terms": [str(term) for term in instance.terms or []],
            "patent": _patent_brief(instance.patent),
        }


NEED_NOT_FOUND = "没有这项进行中的技术需求 / No open technology need of your enterprise has this id"


class RecommendationNeedSerializer(QueryParamsSerializer):
    need = IdField(required=False, max_value=2**31 - 1)


def _grades_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.RegexField(r"^([A-Da-d](,[A-Da-d])*)?$", allow_blank=True),
        required=False,
        help_text="value grades, A-D (several)",
    )


class AssessmentFiltersSerializer(QueryParamsSerializer):
    """The assessment's filters (issue 25) of search and recommendations: ?grade=A&grade=B (or ?grade=A,B) and
    ?consent=true (only patents whose inventor agreed to the transfer)."""

    grade = _grades_field()
    consent = serializers.BooleanField(required=False, default=False)


def _assessment_filters(query_params: Any) -> dict[str, str]:
    """The assessment's filters as the readers take them ({"grade": "A,B", "consent": "1" or ""}); a bad value is a
    400."""
    params = AssessmentFiltersSerializer(data=query_params)
    params.is_valid(raise_exception=True)
    return _assessment_values(params.validated_data)


def _assessment_values(given: Mapping[str, Any]) -> dict[str, str]:
    return {"grade": grades_param(given.get("grade", [])), "consent": "1" if given["consent"] else ""}


class RecommendationListApi(ListAPIView):
    """The caller's enterprise's recommended patents (?city=4201&patent_type=invention&mode=licence), as the page:
    the stored recommendations of all its needs, or with ?need=<pk> one of its open needs ranked alone on demand (a
    need that is not an open need of the caller's enterprise is a 404)."""

    permission_classes = [access_permission(is_enterprise_member, hidden=True)]
    serializer_class = RecommendationSerializer
    filter_backends: list = []
    pagination_class = CountedPagePagination  # the page and its total in one query: the list is read on every visit

    @extend_schema(
        parameters=[
            OpenApiParameter("city", str),
            OpenApiParameter("patent_type", str),
            OpenApiParameter("mode", str),
            OpenApiParameter("grade", str, many=True, description="value grades A-D (several)"),
            OpenApiParameter("consent", bool, description="only patents whose inventor agreed to the transfer"),
            OpenApiParameter("need", int, description="one of the enterprise's open needs, ranked alone"),
        ]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no caller, no query to read
            return []
        user = authed_user(self.request)
        filters = {key: self.request.query_params.get(key, "") for key in ("city", "patent_type", "mode")}
        filters |= _assessment_filters(self.request.query_params)
        if not self.request.query_params.get("need", ""):  # all needs, as the page without a need picked
            return recommendations_for_enterprise(user=user, **filters)
        params = RecommendationNeedSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        need = next((n for n in open_needs_of(user=user) if n.pk == params.validated_data["need"]), None)
        if need is None:
            raise NotFound(NEED_NOT_FOUND)
        return need_recommendations(user=user, need=need, **filters)


class RecommendationRefreshApi(APIView):
    """Rank the caller's enterprise now against the current index (after editing needs)."""

    permission_classes = [access_permission(is_enterprise_member, hidden=True)]

    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request) -> Response:
        user = authed_user(request)
        assert user.enterprise is not None  # is_enterprise_member checked enterprise_id
        ranked = enterprise_rank_now(enterprise=user.enterprise)
        return Response({"count": len(ranked)})


class SearchFiltersSerializer(QueryParamsSerializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=500)
    city = serializers.RegexField(r"^\d{4}$", required=False, allow_blank=True)
    institution = IdField(required=False, max_value=2**31 - 1)
    ipc_section = serializers.RegexField(r"^[A-H]$", required=False, allow_blank=True)
    patent_type = serializers.ChoiceField(PatentType.choices, required=False, allow_blank=True)
    mode = serializers.ChoiceField(TransferMode.choices, required=False, allow_blank=True)
    grade = _grades_field()
    consent = serializers.BooleanField(required=False, default=False)
    page = PageField(required=False, max_value=10_000, default=1)


class SearchApi(APIView):
    """Free-text search of the pooled patents ranked by the engine, with facets; MATCHING_SEARCH_PAGE_SIZE (20) hits
    a page (?page=2 …)."""

    class SearchOutputSerializer(serializers.Serializer):
        class Hit(serializers.Serializer):
            score = serializers.FloatField(
                help_text="the score the hits are ordered by: the engine's score, lowered for each word of a short "
                "query the patent does not hold (missing_words); 1 for a patent found by its number"
            )
            match = serializers.CharField(
                help_text='how it was found: "text" (ranked by the engine), "application_number" or '
                '"publication_number" (the query was that number, in any spelling), "number" (digits of either)'
            )
            missing_words = serializers.ListField(
                child=serializers.CharField(),
                source="missing",
                help_text="words of a short query (2-3 words) this patent does not hold; each lowered its score",
            )
            terms = serializers.ListField(child=serializers.CharField())
            patent = _PatentBrief()

            def to_representation(self, instance) -> dict:
                return {
                    "score": float(instance.score),
                    "match": str(instance.match),
                    "missing_words": [str(word) for word in instance.missing],
                    "terms": [str(term) for term in instance.terms],
                    "patent": _patent_brief(instance.patent),
                }

        total = serializers.IntegerField(help_text="hits counted (at most 500)")
        page = serializers.IntegerField()
        pages = serializers.IntegerField()
        results = Hit(many=True)
        facets = serializers.DictField(child=serializers.ListField(child=serializers.DictField()))

    @extend_schema(
        parameters=[SearchFiltersSerializer],
        responses=SearchOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        params = SearchFiltersSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        given = params.validated_data
        filters = {
            k: str(v) for k, v in given.items() if k not in ("q", "page", "grade", "consent") and v not in (None, "")
        }
        filters |= _assessment_values(given)  # validated above, with the other filters
        text = request.query_params.get("q", "")[:500]
        data = patent_search(user=authed_user(request), text=text, filters=filters, page=given["page"])
        # built here rather than through SearchOutputSerializer(data).data, which deep-copies its declared fields on
        # every request; the declared serializer stays the schema (tests compare the two)
        hit = self.SearchOutputSerializer.Hit()
        return Response(
            {
                "total": data["total"],
                "page": data["page"],
                "pages": data["pages"],
                "results": [hit.to_representation(result) for result in data["results"]],
                "facets": data["facets"],
            }
        )


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


class MatchRunListApi(ListAPIView):
    """Matching runs with live progress (GET); start a full run (POST → 202)."""

    permission_classes = [access_permission(is_province_staff)]
    serializer_class = MatchRunSerializer
    filter_backends: list = []

    def get_queryset(self):
        return match_run_list()

    @extend_schema(request=None, responses={202: MatchRunSerializer})
    def post(self, request: Request) -> Response:
        run = match_run_start(trigger="api", requested_by=request.user.username)
        run.refresh_from_db()
        return Response(MatchRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
