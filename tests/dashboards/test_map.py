"""The bureau's map and its districts: per-city and per-district figures against direct queries, the vendored
outlines against our City rows, the city narrowing the institution filter, and the report's months."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import City
from core.selectors import districts_of_city
from dashboards.forms import DashboardFilterForm
from dashboards.geo import MAP_FILE, MEASURE_KEYS, dashboard_map, feature_city, map_features, map_measure
from dashboards.selectors import DashboardFilters, dashboard_scope_for
from enterprises.models import DockingRequest, DockingStatus
from patents.models import Institution, InventoryStatus, Patent

pytestmark = pytest.mark.django_db


def _map(user, measure: str = "pooled", **filters):
    return dashboard_map(scope=dashboard_scope_for(user=user), filters=DashboardFilters(**filters), measure=measure)


def _direct(**where) -> dict[str, int]:
    """The three map measures counted straight from the tables (no date range)."""
    return {
        "pooled": Patent.objects.filter(inventory_status=InventoryStatus.POOLED, **where).count(),
        "dockings": DockingRequest.objects.filter(**where).count(),
        "signed": DockingRequest.objects.filter(status=DockingStatus.SIGNED, **where).count(),
    }


def test_the_province_map_counts_each_city_as_direct_queries_do(demo, bureau):
    # when
    data = _map(bureau)

    # then: every city of the province, each measure as a direct query counts it
    cities = list(City.objects.filter(province_id="42").order_by("code").values_list("code", flat=True))
    assert [row["code"] for row in data["rows"]] == cities
    for row in data["rows"]:
        assert {key: row[key] for key in MEASURE_KEYS} == _direct(institution__city_id=row["code"]), row["code"]
    by_code = {row["code"]: row for row in data["rows"]}
    assert [by_code["4201"][k] for k in MEASURE_KEYS] == [7, 5, 1]
    assert [by_code["4205"][k] for k in MEASURE_KEYS] == [2, 2, 1]
    assert [by_code["4206"][k] for k in MEASURE_KEYS] == [1, 1, 0]
    assert by_code["4201"]["urls"] == {
        "pooled": "/dashboards/list/patents/?city=4201&stage=pooled",
        "dockings": "/dashboards/list/dockings/?city=4201",
        "signed": "/dashboards/list/dockings/?city=4201&status=signed",
    }
    assert data["level"] == "province"
    assert data["measure"] == "pooled"


def test_the_map_follows_the_date_range(demo, bureau):
    # given: the range of the docking requests submitted in 2026-03
    start, end = date(2026, 3, 1), date(2026, 3, 31)

    # when
    rows = {row["code"]: row for row in _map(bureau, date_from=start, date_to=end)["rows"]}

    # then
    for code in ("4201", "4205", "4206"):
        submitted = DockingRequest.objects.filter(
            institution__city_id=code, submitted_at__date__gte=start, submitted_at__date__lte=end
        )
        pooled = Patent.objects.filter(
            institution__city_id=code,
            inventory_status=InventoryStatus.POOLED,
            application_date__gte=start,
            application_date__lte=end,
        )
        assert rows[code]["dockings"] == submitted.count()
        assert rows[code]["pooled"] == pooled.count()


def test_every_city_of_the_province_has_an_outline(db):
    # given
    cities = dict(City.objects.filter(province_id="42").values_list("code", "name"))

    # when
    features = map_features(MAP_FILE)
    matched = {name: feature_city(code=code, name=name, cities=cities) for code, name in features}

    # then: 17 outlines, each matched; every one of our 14 cities has at least one
    assert len(features) == 17
    assert None not in matched.values()
    assert set(matched.values()) == set(cities)
    assert len(cities) == 14
    assert matched["武汉市"] == "4201"
    assert matched["恩施土家族苗族自治州"] == "4228"
    assert [matched[n] for n in ("仙桃市", "潜江市", "天门市", "神农架林区")] == ["4290"] * 4


def test_an_outline_without_a_code_is_matched_by_its_name(db):
    # given
    cities = dict(City.objects.filter(province_id="42").values_list("code", "name"))

    # then
    assert feature_city(code="", name="宜昌市", cities=cities) == "4205"
    assert feature_city(code="", name="潜江市", cities=cities) == "4290"
    assert feature_city(code="", name="长沙市", cities=cities) is None


def test_the_vendored_outlines_have_their_provenance():
    # then
    provenance = (MAP_FILE.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "`echarts` **4.9.0**" in provenance
    assert "Apache License 2.0" in provenance
    assert json.loads(MAP_FILE.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_a_city_bureau_sees_its_districts(demo, make_user, wuhan):
    # given: 华中科技大学 in 洪山区; 武汉大学's district not recorded
    from accounts.models import Role

    Institution.objects.filter(name="华中科技大学").update(district_code="420111")
    wuhan_bureau = make_user("bureau_wuhan", Role.BUREAU_CITY, city=wuhan)

    # when
    data = _map(wuhan_bureau, measure="signed")

    # then: every 区 of 武汉市, then the universities with no district
    districts = districts_of_city("4201")
    assert len(districts) == 13
    assert [row["code"] for row in data["rows"]] == [d.code for d in districts] + ["unknown"]
    rows = {row["code"]: row for row in data["rows"]}
    hust, whu = demo.institutions["华中科技大学"], demo.institutions["武汉大学"]
    assert (
        {k: rows["420111"][k] for k in MEASURE_KEYS}
        == _direct(institution=hust)
        == {
            "pooled": 4,
            "dockings": 4,
            "signed": 1,
        }
    )
    assert {k: rows["unknown"][k] for k in MEASURE_KEYS} == _direct(institution=whu)
    assert all(rows[d.code]["pooled"] == 0 for d in districts if d.code != "420111")
    assert rows["420111"]["urls"]["pooled"] == "/dashboards/list/patents/?stage=pooled&district=420111"
    assert data["level"] == "city"
    assert data["measure"] == "signed"
    assert data["areas"] == []


def test_a_district_drills_into_its_own_rows(client, demo, make_user, wuhan):
    # given
    from accounts.models import Role

    Institution.objects.filter(name="华中科技大学").update(district_code="420111")
    client.force_login(make_user("bureau_wuhan", Role.BUREAU_CITY, city=wuhan))

    # when
    hongshan = client.get(reverse("dashboards:drill_patents"), {"stage": "pooled", "district": "420111"})
    unknown = client.get(reverse("dashboards:drill_dockings"), {"district": "unknown"})

    # then
    assert [p.institution.name for p in hongshan.context["page"].object_list] == ["华中科技大学"] * 4
    assert "洪山区" in hongshan.context["heading"]
    assert {d.institution.name for d in unknown.context["page"].object_list} == {"武汉大学"}
    whu_requests = DockingRequest.objects.filter(institution__name="武汉大学")
    assert unknown.context["page"].paginator.count == whu_requests.count()


def test_an_institution_has_no_map(demo, hust_officer):
    # then
    assert _map(hust_officer) is None


def test_a_district_must_lie_in_the_institution_city(demo):
    # given
    hust = demo.institutions["华中科技大学"]
    hust.district_code = "420502"  # 宜昌市西陵区

    # when
    with pytest.raises(ValidationError) as error:
        hust.full_clean()

    # then
    assert list(error.value.message_dict) == ["district_code"]
    assert Institution.objects.get(pk=hust.pk).district_code == ""


def test_choosing_a_city_narrows_the_institution_filter(demo, bureau):
    # given
    scope = dashboard_scope_for(user=bureau)
    hust = demo.institutions["华中科技大学"]

    # when
    narrowed = DashboardFilterForm({"city": "4205"}, scope=scope)
    elsewhere = DashboardFilterForm({"city": "4205", "institution": str(hust.pk)}, scope=scope)
    everything = DashboardFilterForm({}, scope=scope)

    # then: 宜昌市 offers its one institution; one chosen elsewhere stays offered and valid (as before)
    assert [label for _, label in narrowed.fields["institution"].widget.choices] == ["全部高校/院所", "三峡大学"]
    assert f'value="{hust.pk}"' not in str(narrowed["institution"])
    assert narrowed.is_valid()
    assert [label for _, label in elsewhere.fields["institution"].widget.choices] == [
        "全部高校/院所",
        "三峡大学",
        "华中科技大学",
    ]
    assert elsewhere.is_valid()
    assert len(everything.fields["institution"].widget.choices) == 5
    assert {row["name"]: row["city"] for row in narrowed.institution_cities} == {
        name: institution.city_id for name, institution in demo.institutions.items()
    }


def test_the_dashboard_page_carries_the_map_and_the_institutions_cities(client, demo, bureau):
    # given
    client.force_login(bureau)

    # when
    response = client.get(reverse("dashboards:dashboard"), {"measure": "signed"})
    bogus = client.get(reverse("dashboards:dashboard"), {"measure": "<script>"})

    # then
    body = response.content.decode()
    data = json.loads(body.split('id="dashboard-map" type="application/json">')[1].split("</script>")[0])
    assert data["measure"] == "signed"
    assert len(data["areas"]) == 17
    assert 'id="dashboard-institutions"' in body
    assert 'data-geo-url="/static/vendor/echarts/maps/hubei.json"' in body
    assert bogus.context["map"]["measure"] == map_measure("<script>") == "pooled"


def test_the_report_leaves_out_months_with_nothing(client, demo, bureau):
    # given
    client.force_login(bureau)

    # when
    response = client.get(reverse("dashboards:report"))
    export = client.get(reverse("dashboards:export", args=["trends", "csv"]))

    # then: the report lists only the months in which something happened; the export keeps every month
    figures = response.context["figures"]["trends"]
    active = [m["month"] for m in figures if any(m[k] for k in ("patents", "follows", "dockings", "signed"))]
    trends = next(t for t in response.context["tables"] if t.slug == "trends")
    assert [row[0] for row in trends.rows] == active
    assert 0 < len(active) < len(figures)
    assert len(export.content.decode("utf-8-sig").strip().splitlines()) == 1 + len(figures)
    assert [c["key"] for c in response.context["charts"]][:1] == ["cities"]
    assert 'data-chart-renderer="svg"' in response.content.decode()


def test_the_measure_form_keeps_the_filters_in_force_and_nothing_else(client, demo, bureau):
    # given
    client.force_login(bureau)

    # when: a filter, and parameters the page does not read (one named like a dict method)
    response = client.get(reverse("dashboards:dashboard"), {"city": "4205", "items": "x", "junk": "<b>"})

    # then
    assert response.status_code == 200
    assert response.context["map_keep"] == [("city", "4205")]
    body = response.content.decode()
    assert '<input type="hidden" name="city" value="4205">' in body
    assert 'name="junk"' not in body
