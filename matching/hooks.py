"""The tasks of a matching run that matching.services queues: registered by MatchingConfig.ready() from
matching.tasks, which calls matching.services, so the services import no task module (no import cycle)."""

from core.jobs import TaskHook

run_prepare = TaskHook(what="prepare a matching run")
run_chunk = TaskHook(what="rank one chunk of a matching run")
