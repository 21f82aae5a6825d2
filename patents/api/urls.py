from django.urls import path

from core.api.routers import IdRouter
from patents.api.actions import PatentImportCreateApi, PatentModesApi, PatentPoolApi, PatentTermsApi, PatentUnpoolApi
from patents.api.views import InstitutionViewSet, PatentViewSet

app_name = "patents-api"
router = IdRouter()
router.register("patents", PatentViewSet, basename="patent")
router.register("institutions", InstitutionViewSet, basename="institution")
urlpatterns = [
    path("patents/imports/", PatentImportCreateApi.as_view(), name="patent-import"),
    path("patents/pool/", PatentPoolApi.as_view(), name="patent-pool"),
    path("patents/unpool/", PatentUnpoolApi.as_view(), name="patent-unpool"),
    path("patents/modes/", PatentModesApi.as_view(), name="patent-modes"),
    path("patents/<id:pk>/terms/", PatentTermsApi.as_view(), name="patent-terms"),
    *router.urls,
]
