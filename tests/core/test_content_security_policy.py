"""Content-Security-Policy: scripts only from the platform's own files; no template carries inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _templates() -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))


def test_no_template_has_an_inline_script_or_event_handler():
    # given every template of the project
    offenders = []
    # when each is searched for <script> without src and for on…= attributes
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        offenders += [f"{path.name}: {m.group(0)[-40:]}" for m in INLINE_HANDLER.finditer(text)]
    # then there are none
    assert len(_templates()) > 30
    assert offenders == []


@pytest.mark.django_db
def test_pages_carry_the_policy(client):
    # when the sign-in page is fetched
    response = client.get(reverse("login"))
    # then
    assert response.status_code == 200
    assert sorted(response["Content-Security-Policy"].split("; ")) == sorted(POLICY.split("; "))


@pytest.mark.django_db
def test_swagger_ui_loads_its_initialiser_as_a_script_file(client, platform_admin):
    # given an admin signed in
    client.force_login(platform_admin)
    # when the API docs page and the script it names are fetched
    page = client.get(reverse("api-docs"))
    html = page.content.decode()
    script = re.search(r'<script src="([^"]*\?[^"]*script[^"]*)"', html)
    assert script is not None
    initialiser = client.get(script.group(1).replace("&amp;", "&"))
    # then the page has no inline script and the initialiser is JavaScript from our origin
    assert page.status_code == 200
    assert INLINE_SCRIPT.search(html) is None
    assert initialiser.status_code == 200
    assert initialiser["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in initialiser.content.decode()
