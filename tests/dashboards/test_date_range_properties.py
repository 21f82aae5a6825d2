"""A date range means one thing on the whole dashboard: over random scopes (province, city staff, officer), city and
institution filters, date fields and ranges, every card equals a count recomputed by hand from the rows, its
drill-down list (the card's own link, downloaded), `/api/v1/dashboard/` and the exported table; and the figures
agree with each other (涉及专利 ≤ 已签约 = the funnel's 已签约, no requests ⇔ an empty docking stage, followers ⇔
followed, the median response from the drilled requests)."""

import csv
import html
import io
import re
import statistics
import tempfile
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from accounts.models import Role
from core.models import City
from tests.dashboards.activity import World, activity_build, expected_figures, world_read

pytestmark = pytest.mark.django_db

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="hypothesis-"))  # no .hypothesis/ left in the work tree

DATES = {"min_value": date(2018, 1, 1), "max_value": date(2027, 6, 30)}  # the form accepts up to a year from today
CITIES = ["4201", "4205", "4206", "4203"]  # 十堰 (4203) has enterprises but no university
INSTITUTION_CITY = {"华中科技大学": "4201", "武汉大学": "4201", "三峡大学": "4205", "湖北文理学院": "4206"}
KPI_KEYS = [  # the order of the KPI export's rows (dashboards.tables)
    "institutions",
    "inventoried",
    "pooled",
    "inventions",
    "invention_share",
    "national_invention_share",
    "enterprises",
    "following",
    "with_needs",
    "docking_requests",
    "docking_patents",
    "signed",
    "signed_patents",
    "signed_amount",
    "median_response_hours",
]
# card → (the data-kpi it sits on, which of its links opens the list it counts)
CARD_LINKS = {
    "inventoried": ("inventoried", 0),
    "pooled": ("pooled", 0),
    "enterprises": ("enterprises", 0),
    "following": ("following", 0),
    "with_needs": ("with_needs", 0),
    "docking_requests": ("docking_requests", 0),
    "docking_patents": ("docking_requests", 1),
    "signed": ("signed", 0),
    "signed_patents": ("signed", 1),
}
SHOWN = ["inventoried", "pooled", "enterprises", "following", "with_needs", "docking_requests", "signed"]


@st.composite
def cases(draw):
    level = draw(st.sampled_from(["province", "city", "institution"]))
    who = {"province": None, "city": draw(st.sampled_from(CITIES)), "institution": None}[level]
    if level == "institution":
        who = draw(st.sampled_from(list(INSTITUTION_CITY)))
    city = draw(st.none() | st.sampled_from(CITIES))  # only the province may choose one: ignored for the others
    allowed = [name for name, code in INSTITUTION_CITY.items() if level != "city" or code == who]
    institution = draw(st.none() | st.sampled_from(allowed)) if allowed else None
    ends = draw(st.sampled_from(["none", "both", "both", "both", "from", "to"]))
    start = draw(st.dates(min_value=date(2024, 6, 1), max_value=date(2026, 12, 31)) | st.dates(**DATES))
    width = timedelta(days=draw(st.integers(min_value=0, max_value=700)))
    bounds = {
        "none": [None, None],
        "both": [start, min(start + width, DATES["max_value"])],
        "from": [start, None],
        "to": [None, start],
    }[ends]
    return {
        "level": level,
        "who": who,
        "city": city,
        "institution": institution,
        "date_field": draw(st.sampled_from(["application", "created"])),
        "date_from": bounds[0],
        "date_to": bounds[1],
    }


@pytest.fixture
def world(demo, make_user) -> tuple[World, dict]:
    """The demo plus the seeded activity, built once for all examples; a signed-in client per user."""
    activity_build(demo)
    users = {("province", None): make_user("range_bureau", Role.BUREAU_PROVINCE)}
    for code in CITIES:
        users[("city", code)] = make_user(f"range_city_{code}", Role.BUREAU_CITY, city=City.objects.get(code=code))
    for index, name in enumerate(INSTITUTION_CITY):
        users[("institution", name)] = make_user(
            f"range_officer_{index}", Role.OFFICER, institution=demo.institutions[name]
        )
    clients = {}
    for key, user in users.items():
        clients[key] = Client()
        clients[key].force_login(user)
    return world_read(), {"clients": clients, "demo": demo}


def _params(case: dict, demo) -> dict[str, str]:
    params = {"date_field": case["date_field"]}
    for name in ("date_from", "date_to"):
        if case[name]:
            params[name] = case[name].isoformat()
    if case["city"]:
        params["city"] = case["city"]
    if case["institution"]:
        params["institution"] = str(demo.institutions[case["institution"]].pk)
    return params


def _expected(world: World, case: dict, demo) -> dict:
    """What the case should show: the scope's binding, plus the filters the form offers that scope."""
    pk = {name: demo.institutions[name].pk for name in INSTITUTION_CITY}
    institution_pks, city_codes = [], []
    if case["level"] == "institution":
        institution_pks.append(pk[case["who"]])
    else:
        if case["institution"]:
            institution_pks.append(pk[case["institution"]])
        if case["level"] == "city":
            city_codes.append(case["who"])
        elif case["city"]:
            city_codes.append(case["city"])
    return expected_figures(
        world,
        institution_pks=institution_pks,
        city_codes=city_codes,
        date_field=case["date_field"],
        date_from=case["date_from"],
        date_to=case["date_to"],
    )


def _csv_rows(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url + ("&" if "?" in url else "?") + "format=csv")
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _value(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def _card_links(page_html: str) -> dict[str, list[str]]:
    cards = re.findall(r'<div class="kpi" data-kpi="(\w+)">(.*?)</div>', page_html, re.S)
    return {key: [html.unescape(href) for href in re.findall(r'href="([^"]+)"', body)] for key, body in cards}


def _shown(page_html: str, key: str) -> str:
    match = re.search(rf'data-kpi="{key}">.*?<strong>(.*?)</strong>', page_html, re.S)
    assert match, key
    return match.group(1)


def _median_of_institution_medians(rows: list[dict[str, str]]) -> float | None:
    hours: dict[str, list[float]] = {}
    for row in rows:
        answered = datetime.fromisoformat(row["首次响应时间"]) - datetime.fromisoformat(row["提交时间"])
        hours.setdefault(row["高校/院所"], []).append(answered.total_seconds() / 3600)
    medians = [round(statistics.median(h), 2) for h in hours.values()]
    return round(statistics.median(medians), 1) if medians else None


def test_every_card_drill_down_api_and_export_agree_under_any_range(world, client_for):
    # given: the rows, built once; a signed-in client per scope
    rows, context = world
    clients, demo = context["clients"], context["demo"]
    seen_levels: set[str] = set()

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=cases())
    def check(case: dict) -> None:
        seen_levels.add(case["level"])
        client = clients[(case["level"], case["who"])]
        params = _params(case, demo)
        expected = _expected(rows, case, demo)

        # when
        page = client.get(reverse("dashboards:dashboard"), params)
        api = client_for(page.wsgi_request.user).get(reverse("dashboards-api:figures"), params).json()
        kpi_export = _csv_rows(client, f"{reverse('dashboards:export', args=['kpis', 'csv'])}?{page.context['query']}")
        funnel_export = _csv_rows(
            client, f"{reverse('dashboards:export', args=['funnel', 'csv'])}?{page.context['query']}"
        )

        # then: the page, the API and the exports show the figures recomputed from the rows
        assert page.status_code == 200
        body = page.content.decode()
        kpis, funnel = api["kpis"], {row["code"]: row for row in api["funnel"]}
        want = expected["kpis"]
        assert {key: kpis[key] for key in want} == {
            **want,
            "signed_amount": float(want["signed_amount"]),
        }
        assert {code: row["count"] for code, row in funnel.items()} == expected["funnel"]
        assert page.context["figures"]["kpis"] == {**kpis, "signed_amount": want["signed_amount"]}
        assert [_value(row["数值"]) for row in kpi_export] == [kpis[key] for key in KPI_KEYS]
        assert [int(row["专利数"]) for row in funnel_export] == [row["count"] for row in funnel.values()]
        assert [_value(row["占已盘点(%)"]) for row in funnel_export] == [row["share"] for row in funnel.values()]
        for key in SHOWN:
            assert _shown(body, key) == f"{kpis[key]:,}", key
        # then: each card's own link opens a list of exactly its count; each funnel stage's too
        links = _card_links(body)
        lists = {card: _csv_rows(client, links[div][index]) for card, (div, index) in CARD_LINKS.items()}
        assert {card: len(rows) for card, rows in lists.items()} == {card: kpis[card] for card in CARD_LINKS}
        # then: each listed row carries the date the card counts it by, inside the range
        patent_date = "申请日" if case["date_field"] == "application" else "录入平台日期"
        dates = {
            "inventoried": [date.fromisoformat(row[patent_date]) for row in lists["inventoried"] if row[patent_date]],
            "docking_requests": [datetime.fromisoformat(row["提交时间"]).date() for row in lists["docking_requests"]],
            "signed": [date.fromisoformat(row["签约日期"]) for row in lists["signed"]],
        }
        if case["date_from"] or case["date_to"]:
            low, high = case["date_from"] or date.min, case["date_to"] or date.max
            assert {card: [d for d in days if not low <= d <= high] for card, days in dates.items()} == {
                card: [] for card in dates
            }
            assert len(dates["inventoried"]) == kpis["inventoried"]
        for code, row in funnel.items():
            assert len(_csv_rows(client, row["url"])) == row["count"], code
        answered = _csv_rows(client, links["median_response_hours"][0])
        assert kpis["median_response_hours"] == _median_of_institution_medians(answered)
        # then: the figures agree with each other
        assert kpis["signed_patents"] <= kpis["signed"]
        assert kpis["signed_patents"] == funnel["signed"]["count"]
        assert kpis["docking_patents"] <= kpis["docking_requests"]
        assert kpis["docking_patents"] == funnel["docking"]["count"]
        if kpis["docking_requests"] == 0:
            assert funnel["docking"]["count"] == 0
        assert (expected["patent_requests"] == 0) == (funnel["docking"]["count"] == 0)
        assert (kpis["following"] == 0) == (funnel["followed"]["count"] == 0)
        assert (kpis["median_response_hours"] is None) == (answered == [])
        # then: over a whole range the monthly trend adds up to the cards
        if case["date_from"] and case["date_to"]:
            totals = {
                key: sum(row[key] for row in api["trends"]) for key in ("patents", "follows", "dockings", "signed")
            }
            assert totals == {
                "patents": kpis["inventoried"],
                "follows": expected["follows"],
                "dockings": kpis["docking_requests"],
                "signed": kpis["signed"],
            }

    # when / then
    check()
    assert seen_levels == {"province", "city", "institution"}
