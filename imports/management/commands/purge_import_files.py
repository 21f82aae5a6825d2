"""python manage.py purge_import_files: expire unconfirmed previews; delete old rejected uploads and rejected rows."""

from django.conf import settings
from django.core.management.base import BaseCommand

from imports.services import import_files_purge, import_jobs_expire


class Command(BaseCommand):
    help = (
        "Expire previewed imports not confirmed within PLATFORM_IMPORT_CONFIRM_HOURS (their uploads are deleted), "
        "then delete the uploads of rejected import jobs and the rejected-rows files older than "
        "PLATFORM_IMPORT_FILE_RETENTION_DAYS; the jobs stay with their figures. Celery beat runs both (hourly, daily)."
    )

    def handle(self, *args, **options) -> None:
        expired = import_jobs_expire()
        hours = settings.IMPORT_CONFIRM_HOURS
        self.stdout.write(
            f"{expired} 个超过 {hours} 小时未确认的导入已作废 / "
            f"{expired} imports not confirmed within {hours} hours expired"
        )
        purged = import_files_purge()
        days = settings.IMPORT_FILE_RETENTION_DAYS
        self.stdout.write(
            f"{purged} 个导入任务的文件已删除（保留期 {days} 天） / files of {purged} import jobs deleted"
        )
