# ImportJob moves from core: the state is created here, the table core_importjob (and its rows) stays as it is.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0004_importjob_error_total_files_removed'),
        ('patents', '0002_patent_contact_phone_patent_open_licence_entry_fee_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='ImportJob',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('patents', '专利盘点清单'), ('enterprises', '企业名录')], max_length=16, verbose_name='类型')),
                    ('status', models.CharField(choices=[('pending', '待校验'), ('validating', '校验中'), ('previewed', '待确认'), ('queued', '排队中'), ('running', '导入中'), ('done', '已完成'), ('rejected', '有错误，未写入'), ('failed', '失败')], db_index=True, default='pending', max_length=16, verbose_name='状态')),
                    ('file', models.FileField(upload_to='imports/%Y/%m/', verbose_name='文件')),
                    ('original_name', models.CharField(max_length=255, verbose_name='原文件名')),
                    ('valid_rows_only', models.BooleanField(default=False, verbose_name='仅导入有效行')),
                    ('file_format', models.CharField(blank=True, max_length=8, verbose_name='格式')),
                    ('encoding', models.CharField(blank=True, max_length=16, verbose_name='编码')),
                    ('total_rows', models.PositiveIntegerField(default=0, verbose_name='总行数')),
                    ('valid_rows', models.PositiveIntegerField(default=0, verbose_name='有效行数')),
                    ('created_count', models.PositiveIntegerField(default=0, verbose_name='新增')),
                    ('updated_count', models.PositiveIntegerField(default=0, verbose_name='更新')),
                    ('unchanged_count', models.PositiveIntegerField(default=0, verbose_name='未变化')),
                    ('rejected_count', models.PositiveIntegerField(default=0, verbose_name='拒绝')),
                    ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='进度(%)')),
                    ('errors', models.JSONField(blank=True, default=list, verbose_name='错误')),
                    ('error_total', models.PositiveIntegerField(default=0, verbose_name='错误总数')),
                    ('error_counts', models.JSONField(blank=True, default=dict, verbose_name='各列错误数')),
                    ('warnings', models.JSONField(blank=True, default=list, verbose_name='提示')),
                    ('unknown_columns', models.JSONField(blank=True, default=list, verbose_name='未识别的列')),
                    ('column_mapping', models.JSONField(blank=True, default=dict, verbose_name='列对应')),
                    ('preview_rows', models.JSONField(blank=True, default=list, verbose_name='预览')),
                    ('rejected_file', models.FileField(blank=True, upload_to='imports/rejected/%Y/%m/', verbose_name='被拒绝的行')),
                    ('message', models.TextField(blank=True, verbose_name='说明')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                    ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                    ('files_removed_at', models.DateTimeField(blank=True, null=True, verbose_name='文件删除时间')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='import_jobs', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
                    ('institution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='import_jobs', to='patents.institution', verbose_name='高校/院所')),
                ],
                options={
                    'verbose_name': '导入任务',
                    'verbose_name_plural': '导入任务',
                    'db_table': 'core_importjob',
                    'ordering': ['-created_at'],
                },
            ),
            ],
            database_operations=[],
        ),
    ]
