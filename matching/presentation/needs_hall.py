"""What the needs hall shows around its ranking: the filters in force (read from the query string, each checked)
and what the officer reads after recommending patents for a need."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from common.numbers import parse_page
from enterprises.industry import industry_sections
from enterprises.services.need_recommend import NeedRecommendResult
from matching.reading.needs_hall import ORDERINGS

TEXT_MAX = 100


@dataclass(frozen=True)
class HallFilters:
    """The hall's filters: the enterprise's city (code), industry section, words, and the order."""

    city: str = ""
    industry: str = ""
    q: str = ""
    ordering: str = ORDERINGS[0]

    @property
    def query(self) -> str:
        """The filters as a query string (the pager and the way back after a recommendation keep them)."""
        values = {"city": self.city, "industry": self.industry, "q": self.q}
        if self.ordering != ORDERINGS[0]:
            values["ordering"] = self.ordering
        return urlencode({k: v for k, v in values.items() if v})


def hall_filters(data: Mapping[str, str]) -> HallFilters:
    """The filters in `data` (request.GET); a value that is not one of the choices is left out (the hall shows
    everything rather than nothing for a stale link)."""
    city = data.get("city", "").strip()
    industry = data.get("industry", "").strip().upper()
    ordering = data.get("ordering", "").strip()
    return HallFilters(
        city=city if city.isdigit() and len(city) <= 12 else "",
        industry=industry if industry in {s.code for s in industry_sections()} else "",
        q=" ".join(data.get("q", "").split())[:TEXT_MAX],
        ordering=ordering if ordering in ORDERINGS else ORDERINGS[0],
    )


def hall_back_url(data: Mapping[str, str]) -> str:
    """The hall with the filters and page a recommendation was made from (`data`: the form's fields)."""
    filters = hall_filters(data)
    page = parse_page(data.get("page", "")) or 1
    query = "&".join(part for part in (filters.query, f"page={page}" if page > 1 else "") if part)
    return reverse("matching:needs_hall") + (f"?{query}" if query else "")


def hall_recommend_message(*, result: NeedRecommendResult) -> str:
    """What the officer reads after recommending: how many patents were sent, sent recently already, or nothing
    sent because the enterprise has no member to receive it."""
    name = result.enterprise.name
    if result.without_members:
        return str(_("%(name)s 没有可接收通知的企业用户，未推荐") % {"name": name})
    parts = [str(_("已向 %(name)s 推荐 %(count)d 件专利") % {"name": name, "count": len(result.sent)})]
    if result.already:
        parts.append(
            str(
                _("%(count)d 件已推荐或推送过（%(hours)d 小时内不重复）")
                % {"count": len(result.already), "hours": settings.PATENT_PUSH_REPEAT_HOURS}
            )
        )
    return "；".join(parts)
