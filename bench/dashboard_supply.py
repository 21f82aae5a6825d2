"""The supply-and-demand part of bench/dashboard.py: its synthetic demand rows and its timed cases.

The matching run is not executed here (bench/full_run.py times it): each synthetic pooled patent gets demand with
probability 0.3, and each synthetic enterprise its closest pooled patent with a random best score (0.05–0.6), the
rows a run's finalise would write (patents.PatentDemand, matching.EnterpriseSupply). SYNTHETIC, deleted with the
patents and enterprises they belong to."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from dashboards.scope import DashboardScope
from dashboards.supply import supply_demand_figures
from enterprises.models import Enterprise
from matching.models import EnterpriseSupply
from patents.models import Patent, PatentDemand


def supply_rows_build(rng: random.Random, *, tag: str) -> dict[str, int]:
    pooled = list(
        Patent.objects.filter(application_number__startswith=tag, inventory_status="pooled").values_list(
            "pk", flat=True
        )
    )
    demand = [
        PatentDemand(patent_id=pk, run_id=1, enterprises=rng.randint(1, 40), needs=rng.randint(0, 60), best_score=0.3)
        for pk in pooled
        if rng.random() < 0.3
    ]
    PatentDemand.objects.bulk_create(demand, batch_size=5000)
    enterprises = Enterprise.objects.filter(uscc__startswith=tag).values_list("pk", flat=True)
    supply = [
        EnterpriseSupply(
            enterprise_id=pk, run_id=1, best_score=rng.uniform(0.05, 0.6), best_patent_id=rng.choice(pooled)
        )
        for pk in enterprises
    ]
    EnterpriseSupply.objects.bulk_create(supply, batch_size=5000)
    return {"patent_demand": len(demand), "enterprise_supply": len(supply)}


def supply_cases(client: Any, province: DashboardScope) -> dict[str, tuple[Callable[[], Any], bool]]:
    """(function, cold cache) of each timed case."""
    return {
        "supply figures, 3 dimensions (province)": (lambda: supply_demand_figures(scope=province), True),
        "whole view /dashboards/supply/, cold": (lambda: client.get("/dashboards/supply/"), True),
        "whole view /dashboards/supply/?dim=city, cold": (lambda: client.get("/dashboards/supply/?dim=city"), True),
    }
