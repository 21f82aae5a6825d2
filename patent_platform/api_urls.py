"""Everything under /api/v1/: each app contributes its own api/urls.py."""

from django.urls import include, path

from core.api.auth import AuthLogoutApi, AuthTokenCreateApi
from core.api.views import CityListApi, MeApi
from enterprises.api.imports import EnterpriseImportCreateApi
from imports.api.views import ImportJobDetailApi, ImportJobRejectedFileApi, ImportJobStartApi

urlpatterns = [
    path("auth/token/", AuthTokenCreateApi.as_view(), name="api-token"),
    path("auth/logout/", AuthLogoutApi.as_view(), name="api-logout"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("regions/cities/", CityListApi.as_view(), name="api-cities"),
    path("enterprises/imports/", EnterpriseImportCreateApi.as_view(), name="api-enterprise-import"),
    path("imports/<id:pk>/", ImportJobDetailApi.as_view(), name="api-import-job"),
    path("imports/<id:pk>/start/", ImportJobStartApi.as_view(), name="api-import-job-start"),
    path("imports/<id:pk>/rejected/", ImportJobRejectedFileApi.as_view(), name="api-import-job-rejected"),
    path("", include("patents.api.urls")),
    path("", include("enterprises.api.urls")),
    path("", include("matching.api.urls")),
    path("dashboard/", include("dashboards.api_urls")),
]
