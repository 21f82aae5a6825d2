"""python manage.py load_institutions [--province 42] [--level 本科] [--institutes FILE]
[--colleges FILE --institution CODE] [--no-universities] [--dry-run]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from patents.institutions import (
    MOE_LEVELS,
    InstitutionLoad,
    colleges_load_file,
    institutes_load_file,
    institutions_load_moe,
)
from patents.models import Institution


class Command(BaseCommand):
    help = (
        "Load the province's universities from the MOE list shipped with the platform (idempotent), and research "
        "institutes from a CSV/.xlsx file (名称, 城市, 主管部门, 英文名称). Nothing is written if a row is wrong."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--province", default=None, help="GB/T 2260 province code (default PLATFORM_PROVINCE_CODE)")
        parser.add_argument(
            "--level", action="append", choices=MOE_LEVELS, help="本科 and/or 专科 (default both); repeatable"
        )
        parser.add_argument("--institutes", type=Path, help="a file of research institutes to add or update")
        parser.add_argument(
            "--colleges", type=Path, help="one institution's colleges (学院名称, 学院代码); needs --institution"
        )
        parser.add_argument("--institution", help="学校标识码 or name of the institution --colleges belongs to")
        parser.add_argument(
            "--no-universities", action="store_true", help="only the files given (--institutes, --colleges)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, **options) -> None:
        province = options["province"] or settings.PLATFORM_PROVINCE_CODE
        dry_run = options["dry_run"]
        path: Path | None = options["institutes"]
        colleges: Path | None = options["colleges"]
        for given in (path, colleges):
            if given is not None and not given.is_file():
                raise CommandError(f"文件不存在 / no such file: {given}")
        if colleges is not None and not options["institution"]:
            raise CommandError("--colleges 需要 --institution / --colleges needs --institution")
        with transaction.atomic():  # the list and the file together, or nothing
            failed = self._load(province=province, path=path, options=options, dry_run=dry_run)
            if colleges is not None and not failed:
                failed = self._load_colleges(colleges, key=options["institution"], dry_run=dry_run)
            if failed or dry_run:
                transaction.set_rollback(True)
        if failed:
            raise CommandError("未写入任何数据 / nothing was written", returncode=1)
        if dry_run:
            self.stdout.write("试运行，未写入 / dry run, nothing written")

    def _load(self, *, province: str, path: Path | None, options: dict, dry_run: bool) -> bool:
        failed = False
        if not options["no_universities"]:
            levels = options["level"] or MOE_LEVELS
            load = institutions_load_moe(province_code=province, levels=levels, dry_run=dry_run)
            failed |= self._report("教育部名单 / MOE list", load)
        if path is not None:
            load = institutes_load_file(data=path, filename=path.name, province_code=province, dry_run=dry_run)
            failed |= self._report(f"科研院所 / institutes ({path.name})", load)
        return failed

    def _load_colleges(self, path: Path, *, key: str, dry_run: bool) -> bool:
        # after the lists, so a university loaded by this very command can take its colleges
        institution = Institution.objects.filter(Q(moe_code=key) | Q(name=key)).first()
        if institution is None:
            self.stderr.write(f"找不到高校/院所 / no institution matches: {key}")
            return True
        load = colleges_load_file(data=path, filename=path.name, institution=institution, dry_run=dry_run)
        return self._report(f"{institution.name} 学院 / colleges ({path.name})", load)

    def _report(self, source: str, load: InstitutionLoad) -> bool:
        if load.errors:
            self.stderr.write(f"{source}: {len(load.errors)} 处错误 / errors")
            for error in load.errors[:50]:
                self.stderr.write(f"  {error}")
            if len(load.errors) > 50:
                self.stderr.write(f"  … 另有 {len(load.errors) - 50} 条 / {len(load.errors) - 50} more")
            return True
        self.stdout.write(
            f"{source}: 新增/created {len(load.created)}, 更新/updated {len(load.updated)}, "
            f"未变化/unchanged {load.unchanged}"
        )
        for name in load.updated[:50]:
            self.stdout.write(f"  更新/updated: {name}")
        return False
