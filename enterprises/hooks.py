"""The tasks enterprises' services queue without importing them (each registered in an AppConfig.ready()):

- `need_changed`: an enterprise's need was created, edited, closed or reopened; queued with the enterprise's id after
  commit, never critical (matching.apps registers the task that ranks the enterprise at once; matching sits above);
- `notification_emails`: e-mail freshly created notifications; queued with their ids after commit
  (enterprises.apps registers enterprises.tasks.notification_email_task: the task module imports the services, the
  services never import it, so there is no import cycle).
"""

from core.jobs import TaskHook

need_changed = TaskHook(what="an enterprise's technology needs changed")
notification_emails = TaskHook(what="e-mail new notifications")
