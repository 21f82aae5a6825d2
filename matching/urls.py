from django.urls import path

from matching import hall_views, supply_views, views

app_name = "matching"
urlpatterns = [
    path("recommendations/", views.recommendations_page, name="recommendations"),
    path("recommendations/refresh/", views.recommendations_refresh, name="recommendations_refresh"),
    path("search/", views.search_page, name="search"),
    path("patents/<id:pk>/enterprises/", views.patent_enterprises_page, name="patent_enterprises"),
    path("patents/<id:pk>/push/", views.patent_push_submit, name="patent_push"),
    path("needs/hall/", hall_views.needs_hall_page, name="needs_hall"),
    path("needs/<id:pk>/recommend/", hall_views.needs_hall_recommend, name="needs_hall_recommend"),
    path("supply/", supply_views.supply_page, name="supply"),
    path("runs/", views.runs_page, name="runs"),
    path("runs/status/", views.runs_status, name="runs_status"),
    path("runs/start/", views.runs_start, name="runs_start"),
]
