"""python manage.py alerts_send — one round of the saved-search alerts now (what the daily beat task does)."""

from django.core.management.base import BaseCommand

from matching.alerts import alerts_send


class Command(BaseCommand):
    help = "Tell subscribers about newly pooled patents that rank for their saved searches and needs (once each)."

    def handle(self, *args: object, **options: object) -> None:
        report = alerts_send()
        self.stdout.write(
            f"订阅 / subscriptions: {report.subscriptions}, 跳过 / skipped: {report.skipped}, "
            f"检索 / ranked: {report.ranked}, 提醒专利 / patents alerted: {report.alerts}, "
            f"通知 / notifications: {report.notifications}, 邮件 / e-mails: {report.mails}"
        )
