"""python manage.py import_patents FILE --institution CODE [--valid-rows-only]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from common.numbers import parse_id
from imports.models import ImportJob
from imports.selectors import import_context_for, import_job_summary
from imports.services import import_job_create, import_job_execute
from patents.importers import PatentImportSchema
from patents.models import Institution


class Command(BaseCommand):
    help = "Import an institution's patent inventory (CSV/XLSX). Exit code 0 only when every row was written."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--institution", required=True, help="学校标识码, name or pk of the institution")
        parser.add_argument("--valid-rows-only", action="store_true", help="write the valid rows, reject the others")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在 / no such file: {path}")
        key = options["institution"]
        pk = parse_id(key)  # "²" or "٣٣٥" is no institution's pk (nor a crash)
        lookup = Q(moe_code=key) | Q(name=key) | (Q(pk=pk) if pk is not None else Q(pk=None))
        institution = Institution.objects.filter(lookup).first()
        if institution is None:
            raise CommandError(f"找不到高校/院所 / no institution matches: {key}")
        job = import_job_create(
            kind=ImportJob.Kind.PATENTS,
            user=None,
            content=path.read_bytes(),
            filename=path.name,
            valid_rows_only=options["valid_rows_only"],
            institution=institution,
        )
        job = import_job_execute(job=job, schema=PatentImportSchema(), context=import_context_for(job=job))
        summary = import_job_summary(job=job)
        self.stdout.write(
            f"{institution.name} · {path.name} ({summary['file_format']}, {summary['encoding'] or '-'}): "
            f"{summary['total_rows']} 行/rows — 新增/created {summary['created']}, 更新/updated {summary['updated']}, "
            f"未变化/unchanged {summary['unchanged']}, 拒绝/rejected {summary['rejected']}"
        )
        for error in job.errors[:50]:
            self.stderr.write(error["message"])
        if summary["error_count"] > 50:
            self.stderr.write(f"… {summary['error_count'] - 50} more / 另有 {summary['error_count'] - 50} 条")
        if job.rejected_file:
            self.stderr.write(f"被拒绝的行 / rejected rows: {job.rejected_file.path}")
        if job.status != ImportJob.Status.DONE or summary["rejected"]:
            raise CommandError(job.message or "部分行未写入 / some rows were not written", returncode=1)
