from django.urls import path

from dashboards.api import DashboardFiguresApi

app_name = "dashboards-api"
urlpatterns = [path("", DashboardFiguresApi.as_view(), name="figures")]
