"""What the runs page shows of each run while it polls: phase, chunks done of total, percentage, elapsed seconds,
and once done its counts and whether it is the one served."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import MatchChunk, MatchRun


def _phase(run: MatchRun) -> str:
    if run.status == MatchRun.Status.PENDING:
        return _("排队等待")
    if run.status == MatchRun.Status.RUNNING:
        return _("分块匹配") if run.chunks_total else _("准备索引（分词、建模）")
    if run.status == MatchRun.Status.DONE:
        return _("已完成")
    return _("失败")


def run_progress_rows(runs: Iterable[MatchRun]) -> list[dict[str, Any]]:
    runs = list(runs)
    done_of = dict(
        MatchChunk.objects.filter(run__in=[r.pk for r in runs if r.chunks_total])
        .values("run")
        .annotate(done=Count("pk", filter=Q(done=True)))
        .values_list("run", "done")
    )
    now = timezone.now()
    rows = []
    for r in runs:
        end = r.finished_at or now
        elapsed = round((end - r.started_at).total_seconds(), 1) if r.started_at else None
        rows.append(
            {
                "pk": r.pk,
                "status": r.status,
                "status_display": r.get_status_display(),
                "phase": _phase(r),
                "progress": r.progress,
                "chunks_done": done_of.get(r.pk, 0),
                "chunks_total": r.chunks_total,
                "elapsed_s": elapsed,
                "is_current": r.is_current,
                "counts": r.counts,
                "wall_s": r.timings.get("wall_s"),
                "error": r.error,
            }
        )
    return rows
