"""python manage.py warm_kernels — fill numba's cache with the matching kernels (`make run`'s setup, the Docker build).

A process that finds the kernels in NUMBA_CACHE_DIR loads them in a fraction of a second; one that does not compiles
them first (8 s on a quiet machine, a minute under load). This command compiles them once, ahead of any run or worker.
`--check` fails unless every kernel was loaded from the cache: run after the warm-up, in a fresh process, it proves
the next worker or run will load rather than compile.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from matching.engine import kernels_warm_up

SOURCES = {
    "cache": "从缓存加载 / loaded from the cache",
    "compiled": "已编译 / compiled",
    "memory": "已在内存 / in memory",
}


class Command(BaseCommand):
    help = "Compile the matching kernels into NUMBA_CACHE_DIR (or load them from it); --check: fail unless loaded."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="fail unless every kernel was loaded from the cache (no compile)"
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        report = kernels_warm_up()
        seconds = time.perf_counter() - started
        cache_dir = os.environ.get("NUMBA_CACHE_DIR", "")
        if not report:
            self.stdout.write("未安装 numba，无需编译 / numba not installed: numpy and scipy rank, nothing to compile")
            return
        for name, source in report.items():
            self.stdout.write(f"  {name}: {SOURCES[source]}")
        self.stdout.write(f"匹配内核就绪 / matching kernels ready in {seconds:.2f} s (NUMBA_CACHE_DIR={cache_dir})")
        missed = sorted(name for name, source in report.items() if source != "cache")
        if options["check"] and missed:
            raise CommandError(
                f"内核未从缓存加载：{', '.join(missed)}；请检查 NUMBA_CACHE_DIR 是否可写且与预热时相同 / "
                f"kernels not loaded from the cache: {', '.join(missed)}; check that NUMBA_CACHE_DIR is writable and "
                f"the one the warm-up used"
            )
