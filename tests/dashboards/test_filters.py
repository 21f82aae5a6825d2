"""The filter form is the one validation of the dashboard's parameters: pages answer a form error, the API and
the downloads a 400 in the API's error format, and nothing is computed."""

import json

import pytest
from django.urls import reverse

import dashboards.selectors
from dashboards.charts import CHARTS
from dashboards.forms import latest_date

pytestmark = pytest.mark.django_db

ORDER_ERROR = "起始日期不能晚于结束日期 / The start date must not be after the end date"
BAD_RANGES = {
    "start in 2030 (after today, the implied end)": ({"date_from": "2030-01-01"}, "date_from"),
    "year 1": ({"date_to": "0001-01-01"}, "date_to"),
    "far future": ({"date_from": "9999-12-31"}, "date_from"),
    "start after explicit end": ({"date_from": "2024-05-01", "date_to": "2024-04-30"}, "date_order"),
}
PAGES = [reverse("dashboards:dashboard"), reverse("dashboards:report"), reverse("dashboards:drill_patents")]
DOWNLOADS = [
    (reverse("dashboards:export", args=["kpis", "xlsx"]), {}),
    (reverse("dashboards:export", args=["all", "xlsx"]), {}),
    (reverse("dashboards:export", args=["funnel", "csv"]), {}),
    (reverse("dashboards:drill_dockings"), {"format": "csv"}),
]


@pytest.fixture
def nothing_computed(monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("figures computed for invalid filters")

    monkeypatch.setattr(dashboards.selectors, "dashboard_figures", refuse)


def _expected_details(case: str) -> dict:
    params, field = BAD_RANGES[case]
    if field == "date_order":
        return {"non_field_errors": [ORDER_ERROR]}
    return {field: [f"日期须在 1985-04-01 至 {_latest()} 之间 / The date must be between 1985-04-01 and {_latest()}"]}


def _latest() -> str:
    return latest_date().isoformat()


@pytest.mark.parametrize("case", BAD_RANGES)
@pytest.mark.parametrize("url", PAGES)
def test_pages_show_a_form_error(client, bureau, nothing_computed, url, case):
    # given
    client.force_login(bureau)

    # when
    response = client.get(url, BAD_RANGES[case][0])

    # then
    assert response.status_code == 400
    assert response.templates[0].name == "dashboards/invalid_filters.html"
    body = response.content.decode()
    assert "筛选条件有误，未计算任何数据。" in body
    assert next(iter(_expected_details(case).values()))[0] in body


@pytest.mark.parametrize("case", BAD_RANGES)
@pytest.mark.parametrize(("url", "extra"), DOWNLOADS)
def test_downloads_answer_400_in_the_api_format(client, bureau, nothing_computed, url, extra, case):
    # given
    client.force_login(bureau)

    # when
    response = client.get(url, {**BAD_RANGES[case][0], **extra})

    # then
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "error": {"code": "invalid", "message": "输入有误 / Invalid input", "details": _expected_details(case)}
    }


@pytest.mark.parametrize("case", BAD_RANGES)
def test_api_answers_400(client_for, bureau, nothing_computed, case):
    # when
    response = client_for(bureau).get(reverse("dashboards-api:figures"), BAD_RANGES[case][0])

    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid", "message": "输入有误 / Invalid input", "details": _expected_details(case)}
    }


def test_unknown_city_is_an_error_not_ignored(client_for, bureau, nothing_computed):
    # when
    response = client_for(bureau).get(reverse("dashboards-api:figures"), {"city": "9999"})

    # then
    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["city"]


def test_a_valid_range_is_computed_and_named_in_the_titles(client, demo, bureau):
    # given
    client.force_login(bureau)
    params = {"city": "4201", "date_from": "2022-01-01", "date_to": "2023-12-31"}

    # when
    page = client.get(reverse("dashboards:dashboard"), params)
    report = client.get(reverse("dashboards:report"), params)
    drill = client.get(reverse("dashboards:drill_patents"), params)

    # then
    title = "武汉市 · 2022-01-01 至 2023-12-31（专利按申请日）"
    assert [r.status_code for r in (page, report, drill)] == [200, 200, 200]
    assert page.context["figures"]["scope"]["title"] == title
    assert page.context["figures"]["kpis"]["inventoried"] == 5
    assert f"监测看板 · {title}" in page.content.decode()
    assert f"专利盘活对接监测报告 · {title}" in report.content.decode()
    assert f"专利清单 · {title}" in drill.content.decode()
    assert "全省" not in page.content.decode().split("<h1")[1].split("</h1>")[0]


def test_the_page_serialises_the_one_chart_registry(client, demo, bureau):
    # given
    client.force_login(bureau)

    # when
    response = client.get(reverse("dashboards:dashboard"))

    # then
    body = response.content.decode()
    registry = json.loads(body.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0])
    assert (
        [entry["key"] for entry in registry]
        == [chart.key for chart in CHARTS]
        == [
            "cities",
            "institutions",
            "types",
            "industries",
            "funnel",
            "trends",
            "response_times",
            "decline_reasons",
        ]
    )
    assert registry[1]["series"] == [
        {"key": "inventoried", "label": "已盘点"},
        {"key": "pooled", "label": "已入库"},
        {"key": "signed", "label": "已签约"},
    ]
    assert [body.count(f'data-chart="{entry["key"]}"') for entry in registry] == [1] * 8
