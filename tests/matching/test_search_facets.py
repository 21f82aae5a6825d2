"""The search page for an enterprise: facets that filter, the active filter removable, ?institution=, the capped
count, published terms and follow / dock buttons on every hit; the API rows carry the published terms."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from matching.presentation.search import search_active_filters, search_facet_groups
from matching.reading.search import patent_search
from patents.models import Patent

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user, enterprise):
    enterprise.verification = "verified"
    enterprise.save(update_fields=["verification"])
    return make_user("sme", "enterprise", enterprise=enterprise)


def _text(pooled_patents) -> str:
    return " ".join(p.title for p in pooled_patents[:6])


def test_institution_filter_keeps_only_that_institutions_hits(client, member, run, pooled_patents, other_institution):
    # given: every third pooled patent belongs to another institution
    moved = [p.pk for p in pooled_patents[::3]]
    Patent.objects.filter(pk__in=moved).update(institution=other_institution)
    client.force_login(member)
    # when
    response = client.get(reverse("matching:search"), {"q": _text(pooled_patents), "institution": other_institution.pk})
    # then
    hits = [r.patent.pk for r in response.context["data"]["results"]]
    assert hits
    assert set(hits) <= set(moved)
    assert [f.label for f in response.context["active_filters"]] == ["武汉大学"]
    assert f'name="institution" value="{other_institution.pk}"' in response.content.decode()


def test_facets_are_links_that_filter_and_the_active_one_removes_itself(run, bureau, pooled_patents, institution):
    # given
    text = "电池"
    data = patent_search(user=bureau, text=text, filters={})
    # when
    groups = {g.key: g for g in search_facet_groups(facets=data["facets"], filters={}, text=text)}
    active = {g.key: g for g in search_facet_groups(facets=data["facets"], filters={"mode": "licence"}, text=text)}
    # then
    assert [(link.label, link.url) for link in groups["institution"].links] == [
        ("华中科技大学", f"?q=%E7%94%B5%E6%B1%A0&institution={institution.pk}")
    ]
    assert [(link.label, link.url) for link in groups["city"].links] == [("武汉市", "?q=%E7%94%B5%E6%B1%A0&city=4201")]
    assert [link.label for link in groups["patent_type"].links] == ["发明"]
    modes = {link.label: (link.n, link.url, link.is_active) for link in active["mode"].links}
    assert modes["许可"][1:] == ("?q=%E7%94%B5%E6%B1%A0", True)
    assert modes["转让"][1:] == ("?q=%E7%94%B5%E6%B1%A0&mode=assignment", False)


def test_mode_facet_counts_each_mode_of_the_hits(run, bureau, pooled_patents):
    # given: one patent offered both ways
    text = _text(pooled_patents)
    Patent.objects.filter(pk=pooled_patents[0].pk).update(transfer_modes=["assignment", "licence"])
    cache.clear()
    # when
    data = patent_search(user=bureau, text=text, filters={}, page_size=500)
    # then: every hit counted once per mode it offers
    expected: dict[str, int] = {}
    for hit in data["results"]:
        for mode in Patent.objects.get(pk=hit.patent.pk).transfer_modes:
            expected[mode] = expected.get(mode, 0) + 1
    assert {f["mode"]: f["n"] for f in data["facets"]["mode"]} == expected
    assert sum(expected.values()) == data["total"] + (pooled_patents[0].pk in {h.patent.pk for h in data["results"]})


def test_ipc_section_facet_and_active_filter_carry_the_chinese_name(run, bureau, pooled_patents):
    # given
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents]).update(ipc_section="H")
    cache.clear()
    data = patent_search(user=bureau, text=_text(pooled_patents), filters={})
    # when
    groups = {g.key: g for g in search_facet_groups(facets=data["facets"], filters={}, text="x")}
    active = search_active_filters(filters={"ipc_section": "H", "patent_type": "invention"}, text="x")
    # then
    assert [link.label for link in groups["ipc_section"].links] == ["H 电学"]
    assert [(f.title, f.label, f.remove_url) for f in active] == [
        ("IPC 部", "H 电学", "?q=x&patent_type=invention"),
        ("专利类型", "发明", "?q=x&ipc_section=H"),
    ]


def test_count_says_top_n_when_the_hits_are_capped(client, member, run, pooled_patents):
    # given
    client.force_login(member)
    # when
    with override_settings(MATCHING_SEARCH_HITS=5):
        capped = client.get(reverse("matching:search"), {"q": _text(pooled_patents)}).content.decode()
    cache.clear()
    with override_settings(MATCHING_SEARCH_HITS=500):
        full = client.get(reverse("matching:search"), {"q": _text(pooled_patents)})
    # then
    assert "按相关度显示前 5 条" in capped
    assert f"找到 {full.context['data']['total']} 件相关专利" in full.content.decode()
    assert "按相关度显示前" not in full.content.decode()


def test_every_hit_has_published_terms_and_follow_and_dock_buttons(client, member, run, pooled_patents):
    # given
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents]).update(
        price_min=Decimal("10000"), price_max=Decimal("50000"), contact="李老师", contact_phone="027-87540000"
    )
    client.force_login(member)
    # when
    body = client.get(reverse("matching:search"), {"q": _text(pooled_patents)}).content.decode()
    # then
    n = body.count('data-testid="search-hit"')
    assert n == 20
    assert body.count('data-testid="published-terms"') == n
    assert body.count("10,000 – 50,000 元") == n
    assert body.count("李老师 · 027-87540000") == n
    assert body.count('data-testid="follow-button"') == n
    assert body.count('data-testid="request-docking-link"') == n


def test_search_api_rows_carry_the_published_terms(client_for, bureau, run, pooled_patents):
    # given
    Patent.objects.filter(pk=pooled_patents[7].pk).update(
        transfer_modes=["open_licence"],
        open_licence_payment="royalty",
        open_licence_royalty_rate=Decimal("3.50"),
        open_licence_years=3,
        price_negotiable=True,
        contact="王老师",
        contact_phone="13800000000",
        internal_notes="底价 2 万，勿外传",
    )
    # when
    body = client_for(bureau).get(reverse("matching-api:search"), {"q": pooled_patents[7].title}).json()
    # then
    row = next(r for r in body["results"] if r["patent"]["pk"] == pooled_patents[7].pk)
    assert row["patent"]["published_terms"] == {
        "transfer_modes": ["open_licence"],
        "price_min": None,
        "price_max": None,
        "price_negotiable": True,
        "open_licence": {
            "payment": "royalty",
            "lump_sum": None,
            "royalty_rate": "3.50",
            "entry_fee": None,
            "years": 3,
        },
        "contact": "王老师",
        "contact_phone": "13800000000",
    }
    assert "勿外传" not in str(body)
