"""Registration instead of dotted settings: the higher apps hand their import kinds, sweepers and tasks to
the lower layers' registries in AppConfig.ready(); no setting names them."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.jobs import TaskHook, registered_sweepers
from enterprises.hooks import need_changed, notification_emails
from enterprises.importers import EnterpriseImportSchema
from enterprises.tasks import notification_email_task
from imports.dispatch import import_jobs_redispatch
from imports.kinds import register, registered_kinds
from matching.tasks import match_enterprise_now_task, patents_changed_task
from patents.hooks import pool_changed
from patents.importers import PatentImportSchema


def test_each_kind_of_import_is_registered_by_its_app():
    assert registered_kinds() == {"patents": PatentImportSchema, "enterprises": EnterpriseImportSchema}


def test_a_kind_registered_twice_with_another_schema_is_refused(monkeypatch):
    # given
    monkeypatch.setattr("imports.kinds._SCHEMAS", {"patents": PatentImportSchema})
    # when / then
    register(kind="patents", schema=PatentImportSchema)  # the same again (a second ready()) is harmless
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        register(kind="patents", schema=EnterpriseImportSchema)
    assert registered_kinds() == {"patents": PatentImportSchema}


def test_each_app_registers_its_stalled_work_sweeper(monkeypatch):
    # given
    sweepers = registered_sweepers()
    swept: list[float | None] = []
    monkeypatch.setattr(
        "matching.runs.recover.match_runs_redispatch", lambda *, stalled_for: swept.append(stalled_for) or 4
    )
    # then: the imports' sweeper is imports.dispatch's; matching's calls matching.runs.recover's when it runs
    assert set(sweepers) == {"match_tasks", "import_jobs"}
    assert sweepers["import_jobs"] is import_jobs_redispatch
    assert (sweepers["match_tasks"](stalled_for=60), swept) == (4, [60])


def test_the_hooks_hold_the_tasks_their_providers_registered():
    assert need_changed.registered() is match_enterprise_now_task
    assert pool_changed.registered() is patents_changed_task
    assert notification_emails.registered() is notification_email_task


def test_a_hook_nobody_registered_refuses_to_send():
    # given
    hook = TaskHook(what="a test's change")
    # when / then
    with pytest.raises(ImproperlyConfigured, match='no task registered for "a test\'s change"'):
        hook.send(1)


def test_the_dotted_settings_are_gone():
    gone = ("IMPORT_SCHEMAS", "RECOVERY_SWEEPERS", "NEED_RERANK_TASK", "POOL_CHANGED_TASK")
    assert [name for name in gone if hasattr(settings, name)] == []
