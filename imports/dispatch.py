"""Queueing an import job's tasks: the start of a previewed job and the recovery sweep of stalled jobs."""

from django.utils import timezone

from core.errors import ConflictError, ServiceUnavailableError
from core.jobs import task_send, unchanged_for
from imports.models import ImportJob
from imports.selectors import import_job_confirm_deadline, import_job_expired_message
from imports.services import import_job_expire
from imports.tasks import import_job_preview_task, import_job_run_task


def import_job_preview_queue(*, job: ImportJob) -> None:
    """Queue the validation of a stored upload (after commit); a broker that is down is a 'try again'."""
    task_send(import_job_preview_task, job.pk)


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Queue the write of a previewed job; without a broker it runs in-process before this returns.

    A preview past its confirmation deadline (IMPORT_CONFIRM_HOURS) is expired here if the hourly sweep has not done
    it yet, and refused like any expired job: a conflict that says so, nothing written.
    """
    if job.status == ImportJob.Status.PREVIEWED and timezone.now() >= import_job_confirm_deadline(job=job):
        import_job_expire(job=job)
    previous = job.status
    startable = (ImportJob.Status.PREVIEWED, ImportJob.Status.PENDING)
    # conditional: the expiry sweep (or a second click) may have changed the job since the caller read it
    if not ImportJob.objects.filter(pk=job.pk, status__in=startable).update(status=ImportJob.Status.QUEUED):
        job.refresh_from_db()
        if job.status == ImportJob.Status.EXPIRED:
            raise ConflictError(import_job_expired_message(), {"status": job.status})
        raise ConflictError(
            f"该导入任务当前状态为“{job.get_status_display()}”，不能再次开始 / the job cannot be started again",
            {"status": job.status},
        )
    try:
        task_send(import_job_run_task, job.pk)
    except ServiceUnavailableError:  # "try again" must be possible: back to where it was, not queued for a sweep
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(status=previous)
        raise
    job.refresh_from_db()
    return job


def import_jobs_redispatch(*, stalled_for: float | None = None) -> int:
    """Send again the import jobs a dead worker (or a lost broker message) may have held: their write rolled back
    and the tasks are idempotent. `stalled_for`: only the jobs whose status and progress did not change for that
    many seconds (the periodic sweep); None: every unfinished one (a worker starting)."""
    sent = 0
    unfinished = (
        ImportJob.Status.PENDING,
        ImportJob.Status.VALIDATING,
        ImportJob.Status.QUEUED,
        ImportJob.Status.RUNNING,
    )
    for pk, status, progress in ImportJob.objects.filter(status__in=unfinished).values_list("pk", "status", "progress"):
        if stalled_for is not None and not unchanged_for(
            key=f"import:{pk}", state=(status, progress), seconds=stalled_for
        ):
            continue
        if status in (ImportJob.Status.PENDING, ImportJob.Status.VALIDATING):
            if stalled_for is None:  # a preview is only re-sent by the sweep: a fresh upload's is still on its way
                continue
            import_job_preview_task.delay(pk)
        else:
            import_job_run_task.delay(pk)
        sent += 1
    return sent
