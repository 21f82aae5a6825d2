"""The 盘点率 page's reads: which institutions of the scope a user sees, their rates (patents.selectors), and the
same as a table for the exports."""

from django.db.models import QuerySet
from django.utils.translation import gettext

from dashboards.scope import DashboardFilters, DashboardScope
from dashboards.tables import DashboardTable
from patents.models import Institution
from patents.review_selectors import StepShares, college_step_shares, institution_step_shares
from patents.selectors import InventoryRate, college_inventory_rates, inventory_rates

__all__ = [
    "college_inventory_rates",
    "college_step_shares",
    "inventory_rate_rows",
    "inventory_rate_table",
    "rate_institutions",
    "step_share_rows",
]


def rate_institutions(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Institution]:
    """The active institutions of the scope, narrowed by the city and institution the form accepted."""
    institutions = Institution.objects.filter(is_active=True)
    if scope.institution_pk:
        return institutions.filter(pk=scope.institution_pk)
    if scope.city_code:
        institutions = institutions.filter(city_id=scope.city_code)
    if filters.city_code:
        institutions = institutions.filter(city_id=filters.city_code)
    if filters.institution_pk:
        institutions = institutions.filter(pk=filters.institution_pk)
    return institutions


def inventory_rate_rows(*, scope: DashboardScope, filters: DashboardFilters) -> list[InventoryRate]:
    return inventory_rates(institutions=rate_institutions(scope=scope, filters=filters))


def step_share_rows(*, scope: DashboardScope, filters: DashboardFilters) -> list[StepShares]:
    """Per institution of the page: the share of its inventoried valid patents at each step of the review chain."""
    return institution_step_shares(institutions=rate_institutions(scope=scope, filters=filters))


def inventory_rate_table(*, rows: list[InventoryRate]) -> DashboardTable:
    headers = [
        gettext("高校/院所"),
        gettext("城市"),
        gettext("持有有效专利"),
        gettext("统计日期"),
        gettext("已盘点（有效）"),
        gettext("盘点率"),
        gettext("已入库"),
        gettext("入库占已盘点"),
    ]
    table_rows = [
        [
            row.name,
            row.city,
            row.held,
            row.held_on.isoformat() if row.held_on else "",
            row.inventoried,
            round(row.rate, 4) if row.rate is not None else None,
            row.pooled,
            round(row.pooled_share, 4) if row.pooled_share is not None else None,
        ]
        for row in rows
    ]
    return DashboardTable(slug="inventory-rate", title=gettext("盘点率"), headers=headers, rows=table_rows)
