app_name = "matching-api"
urlpatterns: list = []
