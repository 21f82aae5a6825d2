from rest_framework.routers import SimpleRouter

from enterprises.api.views import EnterpriseViewSet, TechNeedViewSet

app_name = "enterprises-api"
router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("needs", TechNeedViewSet, basename="techneed")
urlpatterns = router.urls
