from rest_framework.routers import SimpleRouter

from patents.api.views import InstitutionViewSet, PatentViewSet

app_name = "patents-api"
router = SimpleRouter()
router.register("patents", PatentViewSet, basename="patent")
router.register("institutions", InstitutionViewSet, basename="institution")
urlpatterns = router.urls
