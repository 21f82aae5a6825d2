from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from common.numbers import IdConverter


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("基础数据")

    def ready(self) -> None:
        # deferred: AppConfig.ready, once the models are loaded
        from core import checks, lookups  # noqa: F401 - registers the start-up checks and the any_of lookup

        # `<id:pk>` in every URL pattern (and the API router's detail routes): ASCII digits in range, nothing else
        register_converter(IdConverter, "id")
