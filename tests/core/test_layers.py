"""The apps' layers (pyproject's import-linter contracts) hold: core imports no app above it, no app has a cycle."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_every_import_linter_contract_is_kept():
    # given
    lint_imports = Path(sys.executable).with_name("lint-imports")
    # when
    done = subprocess.run([str(lint_imports)], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False)
    # then
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Contracts: 3 kept, 0 broken." in done.stdout
