from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patents"
    verbose_name = _("专利库")

    def ready(self) -> None:
        # deferred: AppConfig.ready, once the models are loaded
        from imports.kinds import register
        from imports.models import ImportJob
        from patents.importers import PatentImportSchema

        register(kind=ImportJob.Kind.PATENTS, schema=PatentImportSchema)
