from django.urls import path

from core.api.routers import IdRouter
from enterprises.api.docking_views import DockingViewSet, NotificationViewSet
from enterprises.api.views import (
    EnterpriseMeApi,
    EnterpriseRegisterApi,
    EnterpriseReviewDecideApi,
    EnterpriseReviewQueueApi,
    EnterpriseViewSet,
    PatentFollowViewSet,
    TechNeedViewSet,
)

app_name = "enterprises-api"
router = IdRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("needs", TechNeedViewSet, basename="techneed")
router.register("follows", PatentFollowViewSet, basename="follow")
router.register("docking", DockingViewSet, basename="docking")
router.register("notifications", NotificationViewSet, basename="notification")

# Before the router: "register", "me" and "review-queue" would otherwise be read as an enterprise's pk.
urlpatterns = [
    path("enterprises/register/", EnterpriseRegisterApi.as_view(), name="enterprise-register"),
    path("enterprises/me/", EnterpriseMeApi.as_view(), name="enterprise-me"),
    path("enterprises/review-queue/", EnterpriseReviewQueueApi.as_view(), name="enterprise-review-queue"),
    path("enterprises/<id:pk>/review/", EnterpriseReviewDecideApi.as_view(), name="enterprise-review"),
    *router.urls,
]
