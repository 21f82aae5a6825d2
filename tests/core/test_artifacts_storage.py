"""Where matching runs keep their files: the media directory by default, a directory every host mounts, or an
S3-compatible bucket (django-storages) — chosen from the environment, checked without any network."""

import json
import os
import subprocess
import sys
from pathlib import Path

from patent_platform.settings.base import artifacts_storage

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_bucket_the_files_stay_in_the_media_directory_or_the_one_named():
    # when
    default = artifacts_storage({})
    shared = artifacts_storage({"PLATFORM_ARTIFACTS_ROOT": "/mnt/platform-runs"})
    # then
    assert default == {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {}}
    assert shared == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/mnt/platform-runs"},
    }


def test_a_bucket_selects_s3_with_its_endpoint_region_and_prefix():
    # when
    minio = artifacts_storage(
        {
            "PLATFORM_ARTIFACTS_S3_BUCKET": "platform-runs",
            "PLATFORM_ARTIFACTS_S3_ENDPOINT_URL": "http://10.0.0.5:9000",
            "PLATFORM_ARTIFACTS_S3_REGION": "cn-central-1",
            "PLATFORM_ARTIFACTS_S3_PREFIX": "hubei",
            "PLATFORM_ARTIFACTS_ROOT": "/ignored",
        }
    )
    aws = artifacts_storage({"PLATFORM_ARTIFACTS_S3_BUCKET": "platform-runs", "PLATFORM_ARTIFACTS_S3_ENDPOINT_URL": ""})
    # then
    assert minio == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "platform-runs",
            "location": "hubei",
            "file_overwrite": True,
            "querystring_auth": False,
            "default_acl": None,
            "endpoint_url": "http://10.0.0.5:9000",
            "region_name": "cn-central-1",
        },
    }
    assert "endpoint_url" not in aws["OPTIONS"]  # an empty variable (docker-compose passes them empty) is unset


def _storage_in_production(extra: dict[str, str]) -> dict:
    """The artifacts storage a production process builds from this environment (no request is made)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PLATFORM_ARTIFACTS_", "AWS_"))},
        "DJANGO_SETTINGS_MODULE": "patent_platform.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "patents.example.cn",
        "DATABASE_URL": "postgres://u:p@db.invalid:5432/p",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        **extra,
    }
    code = (
        "import json, django; django.setup(); from matching.runs.artifacts import artifacts_storage as a; s = a(); "
        "print(json.dumps([type(s).__module__ + '.' + type(s).__name__, getattr(s, 'bucket_name', None), "
        "getattr(s, 'endpoint_url', None), str(getattr(s, 'location', ''))]))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_processes_build_the_storage_the_environment_names():
    # when
    bucket = _storage_in_production(
        {
            "PLATFORM_ARTIFACTS_S3_BUCKET": "platform-runs",
            "PLATFORM_ARTIFACTS_S3_ENDPOINT_URL": "http://minio.invalid:9000",
            "AWS_ACCESS_KEY_ID": "test-key",
            "AWS_SECRET_ACCESS_KEY": "test-secret",
        }
    )
    local = _storage_in_production({"DJANGO_MEDIA_ROOT": "/srv/platform-media"})
    # then
    assert bucket[:3] == ["storages.backends.s3.S3Storage", "platform-runs", "http://minio.invalid:9000"]
    assert local == ["django.core.files.storage.filesystem.FileSystemStorage", None, None, "/srv/platform-media"]
