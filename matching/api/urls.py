from django.urls import path

from matching.api.hall_views import NeedRecommendApi
from matching.api.push_views import PatentMatchedEnterprisesApi, PatentPushApi
from matching.api.views import (
    MatchRunListApi,
    RecommendationListApi,
    RecommendationRefreshApi,
    SearchApi,
)

app_name = "matching-api"
urlpatterns = [
    path("recommendations/", RecommendationListApi.as_view(), name="recommendations"),
    path("recommendations/refresh/", RecommendationRefreshApi.as_view(), name="recommendations-refresh"),
    path("patents/<id:pk>/matched-enterprises/", PatentMatchedEnterprisesApi.as_view(), name="matched-enterprises"),
    path("patents/<id:pk>/push/", PatentPushApi.as_view(), name="patent-push"),
    path("needs/<id:pk>/recommend/", NeedRecommendApi.as_view(), name="need-recommend"),
    path("search/", SearchApi.as_view(), name="search"),
    path("match-runs/", MatchRunListApi.as_view(), name="match-runs"),
]
