"""Settings the code reads are declared in base.py through env(), with their defaults and their variables."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_docking_settings_are_declared_with_their_defaults():
    # then (the test settings do not set them)
    assert (settings.DOCKING_EXPIRY_DAYS, settings.DOCKING_CONTRACT_MAX_BYTES) == (60, 10 * 1024 * 1024)
    assert settings.PLATFORM_COUNTIES_FILE == ROOT / "core" / "data" / "province-administered-counties.csv"


def test_the_environment_sets_them():
    # given
    env = {
        **os.environ,
        "PLATFORM_DOCKING_EXPIRY_DAYS": "14",
        "PLATFORM_DOCKING_CONTRACT_MAX_BYTES": "2048",
        "PLATFORM_COUNTIES_FILE": "/srv/counties.csv",
        "PLATFORM_PROVINCE_CODE": "46",
    }
    code = (
        "from patent_platform.settings import base as s; "
        "print(s.DOCKING_EXPIRY_DAYS, s.DOCKING_CONTRACT_MAX_BYTES, s.PLATFORM_COUNTIES_FILE, s.PLATFORM_PROVINCE_CODE)"
    )
    # when
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    # then
    assert out.stdout.split() == ["14", "2048", "/srv/counties.csv", "46"]


def test_no_setting_is_read_with_a_fallback_default():
    # given: the project's own modules (a getattr(settings, …) default hides a setting from base.py and the README)
    sources = [
        p
        for p in ROOT.rglob("*.py")
        if not {".venv", "tests", "migrations", "node_modules"} & set(p.relative_to(ROOT).parts)
    ]
    # when
    offenders = sorted(str(p.relative_to(ROOT)) for p in sources if "getattr(settings" in p.read_text(encoding="utf-8"))
    # then
    assert offenders == []
