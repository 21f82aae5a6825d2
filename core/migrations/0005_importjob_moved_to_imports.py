# ImportJob moved to the imports app: core forgets the model, the table core_importjob (and its rows) stays.

from django.db import migrations


def _content_type_moves(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label=source, model="importjob")
    if old.exists():  # an empty one the new app got from a post_migrate run gives way to the one holding the rows
        ContentType.objects.filter(app_label=target, model="importjob").delete()
        old.update(app_label=target)


def content_type_follows(apps, schema_editor):
    """Keep the admin permissions and any log entries of import jobs: their content type changes app."""
    _content_type_moves(apps, "core", "imports")


def content_type_returns(apps, schema_editor):
    _content_type_moves(apps, "imports", "core")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0004_importjob_error_total_files_removed'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ImportJob')],
            database_operations=[],
        ),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
