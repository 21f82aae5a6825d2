"""What the search page shows around the ranking: the facets as filter links (each keeps the words and the other
filters), and the filters in force, named, each with its removal link. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from core.models import City
from patents.forms import IPC_SECTIONS
from patents.models import Institution, PatentType, TransferMode

SEARCH_FILTER_KEYS = ("city", "institution", "ipc_section", "patent_type", "mode")
IPC_SECTION_NAMES = {code: str(label) for code, label in IPC_SECTIONS}
TYPE_LABELS = dict(PatentType.choices)
MODE_LABELS = dict(TransferMode.choices)


@dataclass(frozen=True)
class FacetLink:
    """One value of a facet: its label, its count among the hits, the URL that filters on it (or, when it is the
    active filter, the URL that removes it)."""

    label: str
    n: int
    url: str
    is_active: bool


@dataclass(frozen=True)
class FacetGroup:
    key: str
    title: str
    links: list[FacetLink]


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in force on the search, with the URL that removes it."""

    key: str
    title: str
    label: str
    remove_url: str


FACET_TITLES = {
    "city": _("城市"),
    "institution": _("高校/院所"),
    "ipc_section": _("IPC 部"),
    "patent_type": _("专利类型"),
    "mode": _("转化方式"),
}


# the assessment's filters (issue 25) are no facets, but are named among the filters in force
ACTIVE_FILTER_TITLES = {**FACET_TITLES, "grade": _("价值等级"), "consent": _("发明人意愿")}


def _url(*, text: str, filters: dict[str, str]) -> str:
    return "?" + urlencode({"q": text, **{k: v for k, v in filters.items() if v}})


def _facet_values(facets: dict[str, list[dict[str, Any]]]) -> dict[str, list[tuple[str, str, int]]]:
    """(filter value, label, count) of each facet; cities and institutions come named and are turned into the
    codes and primary keys the filters take (an institution's name is unique, a city's within the province)."""
    city_names = [f["institution__city__name"] for f in facets.get("city", [])]
    institution_names = [f["institution__name"] for f in facets.get("institution", [])]
    city_codes = dict(
        City.objects.filter(name__in=city_names, institutions__isnull=False).values_list("name", "code").distinct()
    )
    institution_pks = dict(Institution.objects.filter(name__in=institution_names).values_list("name", "pk"))
    return {
        "city": [
            (city_codes[f["institution__city__name"]], f["institution__city__name"], f["n"])
            for f in facets.get("city", [])
            if f["institution__city__name"] in city_codes
        ],
        "institution": [
            (str(institution_pks[f["institution__name"]]), f["institution__name"], f["n"])
            for f in facets.get("institution", [])
            if f["institution__name"] in institution_pks
        ],
        "ipc_section": [
            (f["ipc_section"], IPC_SECTION_NAMES.get(f["ipc_section"], f["ipc_section"]), f["n"])
            for f in facets.get("ipc_section", [])
            if f["ipc_section"]
        ],
        "patent_type": [
            (f["patent_type"], str(TYPE_LABELS.get(f["patent_type"], f["patent_type"])), f["n"])
            for f in facets.get("patent_type", [])
        ],
        "mode": [(f["mode"], str(MODE_LABELS.get(f["mode"], f["mode"])), f["n"]) for f in facets.get("mode", [])],
    }


def search_facet_groups(
    *, facets: dict[str, list[dict[str, Any]]], filters: dict[str, str], text: str
) -> list[FacetGroup]:
    """The search's facets as links: each value filters the search on it (keeping the text and the other filters);
    the active value links to the search without it."""
    groups = []
    for key, values in _facet_values(facets).items():
        links = []
        for value, label, n in values:
            is_active = filters.get(key) == value
            target = {**filters, key: "" if is_active else value}
            links.append(FacetLink(label=label, n=n, url=_url(text=text, filters=target), is_active=is_active))
        groups.append(FacetGroup(key=key, title=str(FACET_TITLES[key]), links=links))
    return groups


def search_active_filters(*, filters: dict[str, str], text: str) -> list[ActiveFilter]:
    """The filters in force, named (城市 武汉市, IPC 部 H 电学 …), each with its removal link."""
    labels: dict[str, str] = {}
    if filters.get("city"):
        labels["city"] = City.objects.filter(code=filters["city"]).values_list("name", flat=True).first() or ""
    if filters.get("institution"):
        pk = int(filters["institution"])
        labels["institution"] = Institution.objects.filter(pk=pk).values_list("name", flat=True).first() or ""
    if filters.get("ipc_section"):
        labels["ipc_section"] = IPC_SECTION_NAMES.get(filters["ipc_section"], filters["ipc_section"])
    if filters.get("patent_type"):
        labels["patent_type"] = str(TYPE_LABELS.get(filters["patent_type"], filters["patent_type"]))
    if filters.get("mode"):
        labels["mode"] = str(MODE_LABELS.get(filters["mode"], filters["mode"]))
    if filters.get("grade"):
        labels["grade"] = filters["grade"].replace(",", "、")
    if filters.get("consent"):
        labels["consent"] = str(_("发明人同意转化"))
    return [
        ActiveFilter(
            key=key,
            title=str(ACTIVE_FILTER_TITLES[key]),
            label=label or filters[key],
            remove_url=_url(text=text, filters={**filters, key: ""}),
        )
        for key, label in labels.items()
    ]
