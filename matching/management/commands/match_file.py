"""python manage.py match_file --patents P.csv --needs N.csv --top K --out R.csv (no database needed)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.engine import BatchInputError, match_files


class Command(BaseCommand):
    help = "按需求文件匹配专利文件并写出结果 / match needs against patents from CSV files and write the results."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--patents", required=True, type=Path, help="CSV: id,title,abstract[,claims]")
        parser.add_argument("--needs", required=True, type=Path, help="CSV: id,text")
        parser.add_argument("--top", type=int, default=10, help="patents per need (default 10)")
        parser.add_argument("--out", required=True, type=Path, help="CSV: need_id,patent_id,rank,score,terms")
        parser.add_argument("--processes", type=int, default=1, help="CPU processes for tokenizing (default 1)")

    def handle(self, *args, **options) -> None:
        for key in ("patents", "needs"):
            if not options[key].is_file():
                raise CommandError(f"找不到文件 {options[key]} / file not found: {options[key]}")
        if options["top"] < 1:
            raise CommandError("--top 必须 ≥ 1 / --top must be >= 1")
        try:
            written = match_files(
                patents_csv=options["patents"],
                needs_csv=options["needs"],
                out_csv=options["out"],
                top=options["top"],
                processes=options["processes"],
            )
        except BatchInputError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已写出 {written} 行 / wrote {written} rows to {options['out']}")
