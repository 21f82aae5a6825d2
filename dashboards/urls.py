from django.urls import path

from dashboards import supply_views, views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("report/", views.dashboard_report, name="report"),
    path("supply/", supply_views.supply_page, name="supply"),
    path("supply/export.xlsx", supply_views.supply_export, name="supply_export"),
    path("supply/unmet/", supply_views.supply_drill_page, {"kind": "unmet"}, name="supply_unmet"),
    path("supply/cold/", supply_views.supply_drill_page, {"kind": "cold"}, name="supply_cold"),
    path("inventory-rate/", views.inventory_rate_page, name="inventory_rate"),
    path("export/<slug:slug>.<str:file_format>", views.dashboard_export, name="export"),
    path("list/patents/", views.drill_page, {"kind": "patents"}, name="drill_patents"),
    path("list/dockings/", views.drill_page, {"kind": "dockings"}, name="drill_dockings"),
    path("list/enterprises/", views.drill_page, {"kind": "enterprises"}, name="drill_enterprises"),
]
