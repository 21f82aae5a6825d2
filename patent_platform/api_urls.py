"""Everything under /api/v1/: each app contributes its own api/urls.py."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

from core.api.views import CityListApi, MeApi

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("regions/cities/", CityListApi.as_view(), name="api-cities"),
    path("", include("patents.api.urls")),
    path("", include("enterprises.api.urls")),
    path("", include("matching.api.urls")),
]
