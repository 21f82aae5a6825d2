from django.urls import path
from rest_framework.routers import SimpleRouter

from patents.api.actions import PatentImportCreateApi, PatentModesApi, PatentPoolApi, PatentTermsApi, PatentUnpoolApi
from patents.api.views import InstitutionViewSet, PatentViewSet

app_name = "patents-api"
router = SimpleRouter()
router.register("patents", PatentViewSet, basename="patent")
router.register("institutions", InstitutionViewSet, basename="institution")
urlpatterns = [
    path("patents/imports/", PatentImportCreateApi.as_view(), name="patent-import"),
    path("patents/pool/", PatentPoolApi.as_view(), name="patent-pool"),
    path("patents/unpool/", PatentUnpoolApi.as_view(), name="patent-unpool"),
    path("patents/modes/", PatentModesApi.as_view(), name="patent-modes"),
    path("patents/<int:pk>/terms/", PatentTermsApi.as_view(), name="patent-terms"),
    *router.urls,
]
