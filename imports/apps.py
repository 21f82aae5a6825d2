from django.apps import AppConfig


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = "数据导入 / Imports"

    def ready(self) -> None:
        # deferred: AppConfig.ready, once the models are loaded
        from core.jobs import register_sweeper
        from imports.dispatch import import_jobs_redispatch

        register_sweeper(name="import_jobs", sweeper=import_jobs_redispatch)
