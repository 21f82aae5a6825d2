"""python manage.py match_all — a full matching run in this process (used by `make run`)."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import ConflictError
from matching.models import MatchRun
from matching.runs.current import current_run
from matching.runs.start import match_run_start


class Command(BaseCommand):
    help = "Run a full matching run now (in-process) and serve it when complete."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-stale", action="store_true", help="skip when a complete run already exists")

    def handle(self, *args, **options) -> None:
        if options["if_stale"] and current_run() is not None:
            self.stdout.write("已有完成的匹配结果，跳过 / a complete matching run exists; skipped")
            return
        try:
            run = match_run_start(trigger="command", inline=True)
        except ConflictError as exc:
            raise CommandError(exc.message) from exc
        if run.status != MatchRun.Status.DONE:
            raise CommandError(f"匹配失败 / matching failed: {run.error}")
        self.stdout.write(
            f"匹配完成 / matching done: run #{run.pk}, {run.counts.get('patents')} 专利/patents × "
            f"{run.counts.get('enterprises')} 企业/enterprises → "
            f"{run.counts.get('recommendations')} 推荐/recommendations "
            f"in {run.timings.get('wall_s')} s"
        )
