"""python manage.py load_demo — the Hubei demo, idempotent; prints the demo logins."""

import argparse
import time

from django.core.management.base import BaseCommand, CommandParser

from demo.services import SCALES, demo_load


class Command(BaseCommand):
    help = "Load the Hubei demo (institutions, real patents, enterprises, one user per role). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="Demo-2026!", help="password for new demo users")
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default="demo",
            help="demo: the real records of demo_data/ (default); full: Hubei's size, 65,000 patents (45,000 pooled) "
            "and 26,000 enterprises, the rest recombined from the real records (see demo_data/README.md)",
        )
        # the tests build a fraction of the full scale's synthetic records
        parser.add_argument("--scale-factor", type=float, default=1.0, help=argparse.SUPPRESS)

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        summary = demo_load(password=options["password"], scale=options["scale"], scale_factor=options["scale_factor"])
        self.stdout.write(
            f"演示数据 / demo data: +{summary.institutions} 高校/institutions, +{summary.patents} 专利/patents, "
            f"+{summary.enterprises} 企业/enterprises, +{summary.needs} 需求/needs, "
            f"+{summary.follows} 关注/follows, +{summary.docking_requests} 对接/docking requests, "
            f"+{summary.colleges} 学院/colleges, +{summary.holdings} 存量填报/holdings"
            f" ({time.monotonic() - started:.0f} s)"
        )
        if summary.synthetic_patents or summary.synthetic_enterprises:
            self.stdout.write(
                f"其中合成 / synthetic among them: {summary.synthetic_patents} 专利/patents, "
                f"{summary.synthetic_enterprises} 企业/enterprises (demo_data/README.md)"
            )
        self.stdout.write("演示账号 / demo logins (username / password):")
        for username, password, label in summary.users:
            self.stdout.write(f"  {username:<14} {password:<12} {label}")
