"""Content-Security-Policy: scripts and styles only from the platform's own files; no template carries inline
script, a <style> element or a style attribute, no script of ours writes one; the API answers JSON only outside
development. The browser's side (no violation on any main page): tests/browser/test_content_security_policy.py."""

import importlib
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
# what a script can do that the policy refuses: write a style attribute, or HTML (which may carry one)
SCRIPT_INLINE_STYLE = re.compile(
    r"setAttribute\(\s*[\"']style[\"']|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|style=",
)
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _templates() -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))


def _our_scripts() -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / "static" / "js").rglob("*.js"))


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


def test_no_template_has_a_style_element_or_a_style_attribute():
    # given every template of the project
    offenders = []
    # when each is searched for <style> and for style="…"
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m.group(0)}" for m in STYLE_ELEMENT.finditer(text)]
        offenders += [f"{path.name}: {m.group(0)[-60:]}" for m in STYLE_ATTRIBUTE.finditer(text)]
    # then there are none: styles live in static/css
    assert len(_templates()) > 30
    assert offenders == []


def test_no_script_of_ours_writes_a_style_attribute_or_html():
    # given the platform's own scripts (static/js; ECharts, vendored, styles through the CSSOM)
    offenders = []
    # when each is searched for style attributes and HTML written into the page
    for path in _our_scripts():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            offenders += [f"{path.name}:{number}: {m.group(0)}" for m in SCRIPT_INLINE_STYLE.finditer(line)]
    # then there are none (element.style.x = … and DOM nodes are what the policy allows)
    assert len(_our_scripts()) >= 6
    assert offenders == []


def test_the_policy_allows_nothing_inline():
    # given the policy the settings define
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    # then no directive allows inline code, hashes' exceptions, eval or any host but our own
    assert [name for name, sources in directives.items() if "'unsafe-inline'" in sources] == []
    assert [name for name, sources in directives.items() if "'unsafe-hashes'" in sources] == []
    assert [name for name, sources in directives.items() if "'unsafe-eval'" in sources] == []
    assert (directives["script-src"], directives["style-src"]) == (["'self'"], ["'self'"])


@pytest.mark.django_db
def test_pages_carry_the_policy(client):
    # when the sign-in page is fetched
    response = client.get(reverse("login"))
    # then
    assert response.status_code == 200
    assert sorted(response["Content-Security-Policy"].split("; ")) == sorted(POLICY.split("; "))
    assert "unsafe-inline" not in response["Content-Security-Policy"]


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


@pytest.mark.django_db
def test_swagger_ui_takes_its_page_rules_from_a_style_sheet(client, platform_admin):
    # given an admin signed in
    client.force_login(platform_admin)
    # when the API docs page and the style sheets it links are fetched
    html = client.get(reverse("api-docs")).content.decode()
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    # then no <style> or style attribute; Swagger UI's own sheet (the sidecar), then ours with the page rules
    assert STYLE_ELEMENT.search(html) is None
    assert STYLE_ATTRIBUTE.search(html) is None
    assert [s.rsplit("/", 1)[-1] for s in sheets] == ["swagger-ui.css", "api_docs.css"]
    assert sheets[1] == static("css/api_docs.css")
    ours = Path(finders.find("css/api_docs.css")).read_text(encoding="utf-8")
    assert "body { background: #fafafa; margin: 0; }" in ours


@pytest.mark.django_db
def test_the_api_answers_json_to_a_browser(client, officer):
    # given an officer signed in, asking from a browser (which prefers HTML)
    client.force_login(officer)
    # when an API resource is fetched
    response = client.get(reverse("api-me"), HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    # then JSON, not the browsable API's HTML page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["username"] == "officer_a"


def _settings_module(monkeypatch, name: str, **environment: str):
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    modules = (f"patent_platform.settings.{name}", "patent_platform.settings.base")
    for module in modules:
        sys.modules.pop(module, None)
    loaded = importlib.import_module(modules[0])
    for module in modules:
        sys.modules.pop(module, None)  # the next import (by anyone) reads the test environment again
    return loaded


@pytest.mark.parametrize(
    ("name", "environment", "renderers"),
    [
        ("local", {"DJANGO_DEBUG": "True"}, ["JSONRenderer", "BrowsableAPIRenderer"]),
        ("local", {"DJANGO_DEBUG": "False"}, ["JSONRenderer"]),
        (
            "production",
            {
                "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
                "DJANGO_ALLOWED_HOSTS": "patents.example.cn",
                "DATABASE_URL": "postgres://localhost/patent_platform",
                "REDIS_URL": "redis://localhost:6379/0",
            },
            ["JSONRenderer"],
        ),
    ],
)
def test_the_browsable_api_is_on_only_while_developing(monkeypatch, name, environment, renderers):
    # when the settings module is loaded as that environment loads it
    module = _settings_module(monkeypatch, name, **environment)
    # then DRF renders JSON only, and also its browsable pages under DEBUG
    classes = module.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]
    assert [c.rsplit(".", 1)[-1] for c in classes] == renderers
    assert module.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"] == ["'self'"]
