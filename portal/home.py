"""Figures for each role's home page (read-only; built from the apps' selectors)."""

from typing import Any

from django.utils.translation import gettext

from accounts.access import enterprises_visible_to, needs_visible_to, patents_visible_to
from accounts.models import Role, User
from enterprises.models import TechNeed
from enterprises.selectors import docking_waiting
from matching.selectors import recommendations_for_enterprise
from patents.models import Institution, InventoryStatus, Patent
from patents.selectors import patent_counts_for_institution


def home_context(*, user: User) -> dict[str, Any]:
    """What the home page of `user`'s role shows."""
    if user.role == Role.OFFICER and user.institution_id:
        assert user.institution is not None  # institution_id is set
        return {
            "institution": user.institution,
            "counts": patent_counts_for_institution(institution=user.institution),
            "recent_patents": Patent.objects.filter(institution=user.institution).order_by("-updated_at")[:8],
            "docking_waiting_count": docking_waiting(user=user).count(),
            "docking_waiting": list(docking_waiting(user=user)[:5]),
        }
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return {
            "enterprise": user.enterprise,
            "needs": TechNeed.objects.filter(enterprise=user.enterprise).order_by("-created_at")[:10],
            "pooled_count": Patent.objects.filter(inventory_status=InventoryStatus.POOLED).count(),
            "recommendations": recommendations_for_enterprise(user=user)[:5],
        }
    if user.role in (Role.BUREAU_PROVINCE, Role.BUREAU_CITY, Role.ADMIN) or user.is_superuser:
        patents = patents_visible_to(user)
        enterprises = enterprises_visible_to(user)
        scope = gettext("全省")
        if user.role == Role.BUREAU_CITY and user.city_id:
            assert user.city is not None  # city_id is set
            scope = user.city.name
        return {
            "scope": scope,
            "kpis": {
                "institutions": Institution.objects.filter(patents__in=patents).distinct().count(),
                "inventoried": patents.count(),
                "pooled": patents.filter(inventory_status=InventoryStatus.POOLED).count(),
                "inventions": patents.filter(patent_type="invention").count(),
                "enterprises": enterprises.count(),
                "needs": needs_visible_to(user).count(),
            },
        }
    return {}
