from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "enterprises"
    verbose_name = _("企业")

    def ready(self) -> None:
        # deferred: AppConfig.ready, once the models are loaded
        from enterprises.hooks import notification_emails
        from enterprises.importers import EnterpriseImportSchema
        from enterprises.tasks import notification_email_task, review_notices_task
        from imports.kinds import register
        from imports.models import ImportJob
        from patents.hooks import review_moved

        register(kind=ImportJob.Kind.ENTERPRISES, schema=EnterpriseImportSchema)
        notification_emails.register(task=notification_email_task)
        review_moved.register(task=review_notices_task)
