from django.urls import path

from patents import views

app_name = "patents"
urlpatterns = [
    path("", views.patent_list_page, name="list"),
    path("<int:pk>/", views.patent_detail_page, name="detail"),
]
