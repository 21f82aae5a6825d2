"""Recommendations, search hits and a patent's matched enterprises as files: the rows of the page they come from
(its reading function, filters and order), scores as percentages (numbers), typed cells (core.exports)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext

from accounts.models import User
from core.exports import ExportTable
from enterprises.models import TechNeed
from matching.presentation.push import push_rows_explain
from matching.presentation.recommendations import recommendations_label_needs
from matching.reading.push_list import PushRow
from matching.reading.search import SearchResult, patent_search
from patents.exports import transfer_modes_text


def _percent(score: float) -> float:
    """A score as the pages show it (82.3 for 0.8234), a number."""
    return round(score * 100, 1)


def _patent_headers() -> list[str]:
    """The patent's columns a recommendation and a search hit share (translated when the file is built)."""
    return [
        gettext("申请号"),
        gettext("专利名称"),
        gettext("专利类型"),
        gettext("高校/院所"),
        gettext("城市"),
        gettext("转化方式"),
    ]


def _patent_cells(patent: Any) -> list[Any]:
    """The values of _patent_headers for one patent."""
    return [
        patent.application_number,
        patent.title,
        patent.get_patent_type_display(),
        patent.institution.name,
        patent.institution.city.name,
        transfer_modes_text(patent.transfer_modes),
    ]


def recommendations_table(*, items: Sequence[Any], needs: list[TechNeed], need: TechNeed | None) -> ExportTable:
    """为您推荐: the stored recommendations (each labelled with the needs it answers, as the cards are) or `need`'s
    own ranking, in the page's order."""
    if need is None:
        recommendations_label_needs(recommendations=items, needs=needs)
    return ExportTable(
        gettext("推荐专利"),
        [
            gettext("序号"),
            *_patent_headers(),
            gettext("匹配度(%)"),
            gettext("引擎匹配度(%)"),
            gettext("匹配理由"),
            gettext("来自需求"),
        ],
        [
            [
                position,
                *_patent_cells(item.patent),
                _percent(item.final_score),
                _percent(item.score),
                "、".join(item.terms or []),
                need.title if need is not None else "、".join(item.need_titles),
            ]
            for position, item in enumerate(items, start=1)
        ],
    )


def search_table(*, results: Iterable[SearchResult]) -> ExportTable:
    """检索结果: the hits in the page's order (a hit found by its number has relevance 100)."""
    return ExportTable(
        gettext("检索结果"),
        [
            gettext("序号"),
            *_patent_headers(),
            gettext("相关度(%)"),
            gettext("匹配词"),
            gettext("未含检索词"),
        ],
        [
            [
                position,
                *_patent_cells(hit.patent),
                _percent(hit.score),
                "、".join(hit.terms),
                "、".join(hit.missing),
            ]
            for position, hit in enumerate(results, start=1)
        ],
    )


def search_hits_table(*, user: User, text: str, filters: dict[str, str], limit: int) -> ExportTable:
    """The search page's hits for `text` and `filters`, the best `limit` (read by patent_search, as the page reads
    them, in one window); no words, no hits."""
    hits = patent_search(user=user, text=text, filters=filters, page_size=limit) if text.strip() else None
    return search_table(results=hits["results"] if hits else [])


def patent_enterprises_table(*, patent_id: int, rows: Sequence[PushRow]) -> ExportTable:
    """匹配的企业: a patent's push list, each row explained as the page explains it (push_rows_explain)."""
    push_rows_explain(patent_id=patent_id, rows=rows)
    return ExportTable(
        gettext("匹配的企业"),
        [
            gettext("排名"),
            gettext("企业"),
            gettext("城市"),
            gettext("匹配度(%)"),
            gettext("匹配的技术需求"),
            gettext("匹配词"),
            gettext("上次推送时间"),
            gettext("有企业用户接收"),
        ],
        [
            [
                row.rank,
                row.enterprise.name,
                row.enterprise.city.name if row.enterprise.city else "",
                _percent(row.score),
                "；".join(need.title for need in row.needs),
                "、".join(row.terms),
                row.pushed_at,
                gettext("是") if row.can_receive else gettext("否"),
            ]
            for row in rows
        ],
    )
