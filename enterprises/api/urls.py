from django.urls import path

from core.api.routers import IdRouter
from enterprises.api.claim_views import (
    EnterpriseClaimCodeIssueApi,
    EnterpriseClaimCodeRedeemApi,
    EnterpriseClaimDecideApi,
    EnterpriseClaimListApi,
    EnterpriseClaimMineApi,
)
from enterprises.api.docking_views import DockingViewSet, NotificationViewSet
from enterprises.api.saved_search_views import SavedSearchViewSet
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
router.register("saved-searches", SavedSearchViewSet, basename="saved-search")

# Before the router: "register", "me", "review-queue", "claims" and "claim-codes" would otherwise be read as an
# enterprise's pk.
urlpatterns = [
    path("enterprises/register/", EnterpriseRegisterApi.as_view(), name="enterprise-register"),
    path("enterprises/me/", EnterpriseMeApi.as_view(), name="enterprise-me"),
    path("enterprises/review-queue/", EnterpriseReviewQueueApi.as_view(), name="enterprise-review-queue"),
    path("enterprises/<id:pk>/review/", EnterpriseReviewDecideApi.as_view(), name="enterprise-review"),
    path("enterprises/claims/", EnterpriseClaimListApi.as_view(), name="enterprise-claims"),
    path("enterprises/claims/mine/", EnterpriseClaimMineApi.as_view(), name="enterprise-claims-mine"),
    path("enterprises/claims/mine/code/", EnterpriseClaimCodeRedeemApi.as_view(), name="enterprise-claim-redeem"),
    path("enterprises/claims/<id:pk>/review/", EnterpriseClaimDecideApi.as_view(), name="enterprise-claim-review"),
    path("enterprises/claim-codes/", EnterpriseClaimCodeIssueApi.as_view(), name="enterprise-claim-codes"),
    *router.urls,
]
