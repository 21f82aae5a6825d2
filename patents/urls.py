from django.urls import path

from patents import import_views, review_views, views

app_name = "patents"
urlpatterns = [
    path("", views.patent_list_page, name="list"),
    path("<id:pk>/", views.patent_detail_page, name="detail"),
    path("inventory/", views.inventory_page, name="inventory"),
    path("inventory/bulk/", views.inventory_bulk, name="inventory_bulk"),
    path("inventory/stock/", views.inventory_stock_page, name="inventory_stock"),
    path("inventory/<id:pk>/", views.patent_manage_page, name="manage"),
    path("inventory/<id:pk>/edit/", views.patent_edit, name="manage_edit"),
    path("inventory/<id:pk>/terms/", views.patent_terms, name="manage_terms"),
    path("inventory/<id:pk>/assessment/", views.patent_assessment_page, name="manage_assessment"),
    path("review/", review_views.review_queue_page, name="review_queue"),
    path("review/bulk/", review_views.review_bulk, name="review_bulk"),
    path("mine/", review_views.my_patents_page, name="my_patents"),
    path("mine/<id:pk>/", review_views.my_patent_page, name="my_patent"),
    path("mine/<id:pk>/submit/", review_views.my_patent_submit, name="my_patent_submit"),
    path("inventors/invite/", review_views.invite_page, name="invite"),
    path("invitation/<str:token>/", review_views.invitation_accept_page, name="invitation_accept"),
    path("import/", import_views.import_upload_page, name="import_upload"),
    path("import/template.xlsx", import_views.import_template_download, name="import_template"),
    path("import/jobs/", import_views.import_job_list_page, name="import_jobs"),
    path("import/<id:pk>/", import_views.import_job_page, name="import_job"),
    path("import/<id:pk>/start/", import_views.import_job_start_view, name="import_start"),
    path("import/<id:pk>/status/", import_views.import_job_status, name="import_status"),
    path("import/<id:pk>/rejected/", import_views.import_job_rejected_download, name="import_rejected"),
]
