"""Who may open the officer pages: other roles get 403, anonymous users the login page."""

import pytest
from django.urls import reverse

from imports.models import ImportJob
from tests.patents.pages.helpers import DRONE_BOX, sample_csv, upload

pytestmark = pytest.mark.django_db

# --- permissions -------------------------------------------------------------------------------------------------

OFFICER_PAGES = ["patents:import_upload", "patents:import_jobs", "patents:import_template", "patents:inventory"]


@pytest.mark.parametrize("fixture", ["enterprise_member", "bureau", "city_bureau", "platform_admin"])
@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_other_roles_get_403_on_officer_pages(client, request, fixture, name):
    # given
    client.force_login(request.getfixturevalue(fixture))
    # when
    response = client.get(reverse(name))
    # then
    assert response.status_code == 403


@pytest.mark.parametrize("fixture", ["enterprise_member", "bureau"])
def test_other_roles_cannot_upload(client, request, fixture):
    # given
    client.force_login(request.getfixturevalue(fixture))
    # when
    response = upload(client, sample_csv([DRONE_BOX]))
    # then
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_anonymous_is_sent_to_login(client, name):
    # when
    response = client.get(reverse(name))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_officer_nav_links_to_upload_and_import_records(client, officer):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("home")).content.decode()
    # then
    assert f'<a href="{reverse("patents:import_upload")}">上传盘点清单</a>' in html
    assert f'<a href="{reverse("patents:import_jobs")}">导入记录</a>' in html
