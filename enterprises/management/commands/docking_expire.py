from django.core.management.base import BaseCommand

from enterprises.services.docking import docking_expire_due


class Command(BaseCommand):
    help = "Expire open docking requests past their deadline (what docking_expire_due_task does; for cron)."

    def handle(self, *args: object, **options: object) -> None:
        expired = docking_expire_due()
        self.stdout.write(f"已过期 / expired: {expired}")
