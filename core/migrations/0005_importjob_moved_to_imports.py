# ImportJob moved to the imports app: core forgets the model, the table core_importjob (and its rows) stays.

from django.db import migrations


def content_type_follows(apps, schema_editor):
    """Keep the admin permissions and any log entries of import jobs: their content type changes app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model="importjob").update(app_label="imports")


def content_type_returns(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="imports", model="importjob").update(app_label="core")


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
