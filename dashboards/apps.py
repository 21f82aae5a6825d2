from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Bureau dashboards. Cached figures are invalidated explicitly by the services that write (no signals)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"
    verbose_name = "监测看板 / Dashboards"
