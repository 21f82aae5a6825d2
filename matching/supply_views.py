"""The officer's supply page: 建议入库 (patents not pooled that enterprises would rank) and 冷门 (pooled patents
with no demand after SUPPLY_COLD_DAYS days). Thin: matching.live.suggest and matching.reading.supply do the work."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import is_officer, require_access
from core.http import AuthedHttpRequest
from core.supply import cold_days
from matching.live.suggest import pool_suggestions
from matching.reading.supply import institution_cold_patents
from matching.runs.current import current_run
from patents.models import Patent
from patents.selectors import supply_context

COLD_SHOWN = 100


@require_access(is_officer)
def supply_page(request: AuthedHttpRequest) -> HttpResponse:
    """建议入库 and 冷门 for the officer's institution."""
    institution_id = request.user.institution_id
    assert institution_id is not None  # require_access(is_officer) checked it
    suggestions = pool_suggestions(institution_id=institution_id)
    patents = Patent.objects.only("pk", "title", "application_number", "inventory_status").in_bulk(
        [s.patent_id for s in suggestions]
    )
    cold = list(institution_cold_patents(institution_id=institution_id)[:COLD_SHOWN])
    now = timezone.now()
    context = {
        "run": current_run(),
        "suggestions": [(patents[s.patent_id], s) for s in suggestions if s.patent_id in patents],
        "cold": [(p, getattr(p, "pooled_at"), (now - getattr(p, "pooled_at")).days) for p in cold],  # noqa: B009
        "cold_days": cold_days(),
        **supply_context(),
    }
    return render(request, "matching/supply.html", context)
