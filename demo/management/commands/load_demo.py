"""python manage.py load_demo — the Hubei demo, idempotent; prints the demo logins."""

from django.core.management.base import BaseCommand

from demo.services import demo_load


class Command(BaseCommand):
    help = "Load the Hubei demo (institutions, real patents, enterprises, one user per role). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", default="Demo-2026!", help="password for new demo users")

    def handle(self, *args, **options) -> None:
        summary = demo_load(password=options["password"])
        self.stdout.write(
            f"演示数据 / demo data: +{summary.institutions} 高校/institutions, +{summary.patents} 专利/patents, "
            f"+{summary.enterprises} 企业/enterprises, +{summary.needs} 需求/needs, "
            f"+{summary.follows} 关注/follows, +{summary.docking_requests} 对接/docking requests"
        )
        self.stdout.write("演示账号 / demo logins (username / password):")
        for username, password, label in summary.users:
            self.stdout.write(f"  {username:<14} {password:<12} {label}")
