"""Exports of recommendations, search hits and a patent's matched enterprises: the page's rows in its order (from
the same reading functions), scores as numbers, formula-safe, only what the user may see."""

import pytest
from django.conf import settings
from django.urls import reverse

from enterprises.models import TechNeed
from matching.models import Recommendation
from matching.reading.needs import need_recommendations
from matching.reading.push_list import enterprises_for_patent
from matching.reading.recommendations import recommendations_for_enterprise
from matching.reading.search import patent_search
from patents.models import Patent
from tests.export_files import csv_rows, formula_cells, xlsx_cells, xlsx_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

HOSTILE = "=1+2"


@pytest.fixture
def members(make_user, matching_enterprises):
    return [make_user(f"m{i}", "enterprise", enterprise=e) for i, e in enumerate(matching_enterprises[:2])]


def test_recommendations_export_has_the_pages_rows_in_order(client, members, run):
    # given
    member = members[0]
    first = recommendations_for_enterprise(user=member).first()
    assert first is not None
    Patent.objects.filter(pk=first.patent_id).update(title=HOSTILE)
    client.force_login(member)

    # when
    page = client.get(reverse("matching:recommendations"))
    response = client.get(reverse("matching:recommendations"), {"format": "xlsx"})
    filtered = xlsx_rows(client.get(reverse("matching:recommendations"), {"format": "xlsx", "mode": "licence"}))

    # then
    rows = xlsx_rows(response)
    assert rows[0] == [
        "序号",
        "申请号",
        "专利名称",
        "专利类型",
        "高校/院所",
        "城市",
        "转化方式",
        "匹配度(%)",
        "引擎匹配度(%)",
        "匹配理由",
        "来自需求",
    ]
    expected = list(recommendations_for_enterprise(user=member))
    assert [r[1] for r in rows[1:]] == [rec.patent.application_number for rec in expected]
    assert len(expected) > 1
    assert [r[1] for r in rows[1 : 1 + len(page.context["page"].object_list)]] == [
        rec.patent.application_number for rec in page.context["page"].object_list
    ]
    assert [r[0] for r in rows[1:]] == list(range(1, len(expected) + 1))
    assert [r[7] for r in rows[1:]] == [round(rec.final_score * 100, 1) for rec in expected]
    assert rows[1][2] == "'" + HOSTILE
    assert xlsx_cells(response)[1][7].data_type == "n"
    assert formula_cells(response) == []
    licensed = recommendations_for_enterprise(user=member, mode="licence")
    assert [r[1] for r in filtered[1:]] == [rec.patent.application_number for rec in licensed]
    assert len(filtered) - 1 < len(rows) - 1
    assert 'href="?format=xlsx"' in page.content.decode()


def test_recommendations_export_is_the_enterprises_own(client, members, run):
    # given
    client.force_login(members[1])

    # when
    rows = csv_rows(client.get(reverse("matching:recommendations"), {"format": "csv"}))

    # then
    own = Recommendation.objects.filter(enterprise_id=members[1].enterprise_id, run=run)
    expected = [rec.patent.application_number for rec in recommendations_for_enterprise(user=members[1])]
    assert [r[1] for r in rows[1:]] == expected
    assert {r[1] for r in rows[1:]} <= set(own.values_list("patent__application_number", flat=True))
    others = recommendations_for_enterprise(user=members[0])
    assert expected != [rec.patent.application_number for rec in others]


def test_recommendations_export_for_one_need(client, members, pooled_patents, run):
    # given
    member = members[0]
    need = TechNeed.objects.create(
        enterprise_id=member.enterprise_id, title=pooled_patents[3].title, description=pooled_patents[3].abstract[:200]
    )
    client.force_login(member)

    # when
    rows = xlsx_rows(client.get(reverse("matching:recommendations"), {"format": "xlsx", "need": need.pk}))

    # then
    expected = need_recommendations(user=member, need=need)
    assert [r[1] for r in rows[1:]] == [item.patent.application_number for item in expected]
    assert rows[1][1] == pooled_patents[3].application_number
    assert {r[10] for r in rows[1:]} == {need.title}


def test_search_export_has_every_counted_hit_in_order(client, bureau, run, pooled_patents):
    # given
    text = " ".join(p.title for p in pooled_patents[:6])
    client.force_login(bureau)

    # when
    page = client.get(reverse("matching:search"), {"q": text, "patent_type": "invention"})
    response = client.get(reverse("matching:search"), {"q": text, "patent_type": "invention", "format": "xlsx"})
    as_csv = csv_rows(client.get(reverse("matching:search"), {"q": text, "patent_type": "invention", "format": "csv"}))

    # then
    rows = xlsx_rows(response)
    data = patent_search(
        user=bureau, text=text, filters={"patent_type": "invention"}, page_size=settings.MATCHING_SEARCH_HITS
    )
    assert rows[0][:3] == ["序号", "申请号", "专利名称"]
    assert [r[1] for r in rows[1:]] == [hit.patent.application_number for hit in data["results"]]
    assert len(rows) - 1 == data["total"] > settings.MATCHING_SEARCH_PAGE_SIZE
    assert [r[1] for r in rows[1 : 1 + settings.MATCHING_SEARCH_PAGE_SIZE]] == [
        hit.patent.application_number for hit in page.context["data"]["results"]
    ]
    assert [r[7] for r in rows[1:]] == [round(hit.score * 100, 1) for hit in data["results"]]
    assert [r[1] for r in as_csv[1:]] == [r[1] for r in rows[1:]]
    assert f"最多 {settings.MATCHING_SEARCH_HITS} 行" in page.content.decode()


def test_search_export_is_held_to_the_counted_hits(client, bureau, run, pooled_patents, settings):
    # given
    settings.MATCHING_SEARCH_HITS = 7
    text = " ".join(p.title for p in pooled_patents[:6])
    client.force_login(bureau)

    # when
    rows = xlsx_rows(client.get(reverse("matching:search"), {"q": text, "format": "xlsx"}))

    # then
    assert len(rows) - 1 == 7


def test_search_export_without_words_is_headers_only(client, bureau, run):
    # given
    client.force_login(bureau)

    # when
    rows = csv_rows(client.get(reverse("matching:search"), {"q": " ", "format": "csv"}))

    # then
    assert len(rows) == 1


def test_matched_enterprises_export_for_the_owning_officer(
    client, officer, other_officer, members, pooled_patents, run
):
    # given
    patent = pooled_patents[0]
    client.force_login(officer)

    # when
    page = client.get(reverse("matching:patent_enterprises", args=[patent.pk]))
    response = client.get(reverse("matching:patent_enterprises", args=[patent.pk]), {"format": "xlsx"})
    client.force_login(other_officer)
    refused = client.get(reverse("matching:patent_enterprises", args=[patent.pk]), {"format": "xlsx"})

    # then
    rows = xlsx_rows(response)
    assert rows[0] == [
        "排名",
        "企业",
        "城市",
        "匹配度(%)",
        "匹配的技术需求",
        "匹配词",
        "上次推送时间",
        "有企业用户接收",
    ]
    expected = enterprises_for_patent(user=officer, patent_id=patent.pk)
    assert expected
    assert [(r[0], r[1]) for r in rows[1:]] == [(row.rank, row.enterprise.name) for row in expected]
    assert [r[1] for r in rows[1 : 1 + len(page.context["page"].object_list)]] == [
        row.enterprise.name for row in page.context["page"].object_list
    ]
    assert [r[3] for r in rows[1:]] == [round(row.score * 100, 1) for row in expected]
    receiving = {m.enterprise_id for m in members}
    assert [r[7] for r in rows[1:]] == ["是" if row.enterprise.pk in receiving else "否" for row in expected]
    assert all(r[5] for r in rows[1:])  # each row says which words matched, as the page does
    assert refused.status_code == 404
