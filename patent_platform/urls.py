"""Portal pages, admin, API and its schema.

No /media/ route, not even in DEBUG: stored files are served only by owner-checking views (core.downloads).
"""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api import exceptions as api_errors

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("patent_platform.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves Swagger UI's initialiser as a script file and our page template takes its style rules
    # from a file: the Content-Security-Policy forbids inline script and inline style
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("", include("portal.urls")),
    path("", include("core.urls")),
    path("patents/", include("patents.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("matching/", include("matching.urls")),
    path("dashboards/", include("dashboards.urls")),
]
# under /api/ these answer in the API's error format; elsewhere they render Django's pages
handler400 = api_errors.bad_request
handler404 = api_errors.not_found
handler500 = api_errors.server_error
