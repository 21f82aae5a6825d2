"""Start-up checks of the deployment's settings."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def visibility_timeout_check(app_configs, **kwargs) -> list[Error]:  # noqa: ANN001 - Django check signature
    """An unacknowledged task comes back after the broker's visibility timeout; it must outlast every time limit,
    or a long task still running would be delivered a second time."""
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    if timeout <= settings.CELERY_TASK_TIME_LIMIT:
        return [
            Error(
                f"broker visibility_timeout ({timeout}s) must exceed CELERY_TASK_TIME_LIMIT "
                f"({settings.CELERY_TASK_TIME_LIMIT}s)",
                hint="Raise CELERY_VISIBILITY_TIMEOUT or lower CELERY_TASK_TIME_LIMIT.",
                id="platform.E001",
            )
        ]
    return []
