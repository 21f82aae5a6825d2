"""python manage.py purge_import_files: delete rejected uploads and rejected-rows files past the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand

from imports.services import import_files_purge


class Command(BaseCommand):
    help = (
        "Delete the uploads of rejected import jobs and the rejected-rows files older than "
        "PLATFORM_IMPORT_FILE_RETENTION_DAYS; the jobs stay with their figures. Celery beat runs this daily."
    )

    def handle(self, *args, **options) -> None:
        purged = import_files_purge()
        days = settings.IMPORT_FILE_RETENTION_DAYS
        self.stdout.write(
            f"{purged} 个导入任务的文件已删除（保留期 {days} 天） / files of {purged} import jobs deleted"
        )
