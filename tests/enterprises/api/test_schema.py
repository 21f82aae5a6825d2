"""The API schema documents the enterprise endpoints."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_documents_the_enterprise_endpoints(client_for, platform_admin):
    response = client_for(platform_admin).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/enterprises/register/",
        "/api/v1/enterprises/me/",
        "/api/v1/needs/{id}/close/",
        "/api/v1/follows/",
        "/api/v1/docking/{id}/transition/",
        "/api/v1/docking/response-times/",
        "/api/v1/notifications/read-all/",
    ):
        assert path in paths
