from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"
    verbose_name = _("监测看板")

    def ready(self) -> None:
        """Cached figures go stale when a counted row changes (imports: their ImportJob's final save)."""
        from core.models import ImportJob
        from dashboards.models import IpcIndustryMapping
        from dashboards.services import dashboard_cache_invalidate_receiver
        from enterprises.models import DockingRequest, Enterprise, PatentFollow, TechNeed
        from patents.models import Patent

        for model in (Patent, Enterprise, PatentFollow, DockingRequest, TechNeed, ImportJob, IpcIndustryMapping):
            for signal in (post_save, post_delete):
                signal.connect(
                    dashboard_cache_invalidate_receiver,
                    sender=model,
                    dispatch_uid=f"dashboards-{signal is post_save}-{model.__name__}",
                )
