from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "基础数据 / Core"

    def ready(self) -> None:
        from core import checks, lookups  # noqa: F401 - registers the start-up checks and the any_of lookup
