"""ImportJob moved from core to imports without copying: the rows of core_importjob are the new app's rows."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from imports.models import ImportJob

BEFORE = [("core", "0004_importjob_error_total_files_removed"), ("imports", None)]
AFTER = [("core", "0005_importjob_moved_to_imports"), ("imports", "0001_initial")]


@pytest.fixture
def _schema_restored():
    """Back to the latest migrations afterwards: going back to BEFORE unapplies every later migration that depends on
    core (matching's, enterprises', …), and the tests that follow need their tables."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_schema_restored")
def test_the_move_keeps_the_table_its_rows_and_the_content_type():
    # given: the database as it was before the move, with one job and core's content type for it
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state([BEFORE[0]]).apps
    old_job = old_apps.get_model("core", "ImportJob").objects.create(
        kind="patents", status="done", file="imports/2026/11/a.csv", original_name="清单.csv", created_count=3
    )
    ContentType.objects.clear_cache()
    old_type = ContentType.objects.get_or_create(app_label="core", model="importjob")[0]
    # when
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # then
    job = ImportJob.objects.get()
    assert (job.pk, job.kind, job.status, job.original_name, job.created_count) == (
        old_job.pk,
        "patents",
        "done",
        "清单.csv",
        3,
    )
    assert ImportJob._meta.db_table == "core_importjob"
    ContentType.objects.clear_cache()
    moved = ContentType.objects.get(pk=old_type.pk)
    assert (moved.app_label, moved.model) == ("imports", "importjob")
    assert not ContentType.objects.filter(app_label="core", model="importjob").exists()
