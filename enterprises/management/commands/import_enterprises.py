"""python manage.py import_enterprises FILE [--valid-rows-only] — the bureau's bulk enterprise import."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enterprises.importers import EnterpriseImportSchema
from imports.models import ImportJob
from imports.selectors import import_context_for, import_job_summary
from imports.services import import_job_create, import_job_execute


class Command(BaseCommand):
    help = "Import enterprises (CSV/XLSX: 企业名称, 统一社会信用代码, 经营范围, 地区 …); exit 0 if all written."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--valid-rows-only", action="store_true")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在 / no such file: {path}")
        job = import_job_create(
            kind=ImportJob.Kind.ENTERPRISES,
            user=None,
            content=path.read_bytes(),
            filename=path.name,
            valid_rows_only=options["valid_rows_only"],
        )
        job = import_job_execute(job=job, schema=EnterpriseImportSchema(), context=import_context_for(job=job))
        s = import_job_summary(job=job)
        self.stdout.write(
            f"{path.name} ({s['file_format']}, {s['encoding'] or '-'}): {s['total_rows']} 行/rows — "
            f"新增/created {s['created']}, 更新/updated {s['updated']}, 未变化/unchanged {s['unchanged']}, "
            f"拒绝/rejected {s['rejected']}"
        )
        for error in job.errors[:50]:
            self.stderr.write(error["message"])
        if job.rejected_file:
            self.stderr.write(f"被拒绝的行 / rejected rows: {job.rejected_file.path}")
        if job.status != ImportJob.Status.DONE or s["rejected"]:
            raise CommandError(job.message or "部分行未写入 / some rows were not written", returncode=1)
