"""Modules stay readable: no Python module of the project is longer than 400 lines (migrations are generated)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400
EXCLUDED_DIRS = {"migrations", "node_modules", "__pycache__"}  # and every hidden directory (.venv, .git, caches)
EXCLUDED_TOP_LEVEL: set[str] = set()  # bench/ is held to the limit too


def python_modules(root: Path) -> list[Path]:
    """Every .py file under root, outside the excluded directories, sorted."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        here = Path(directory)
        subdirectories[:] = [
            name
            for name in subdirectories
            if not name.startswith(".")
            and name not in EXCLUDED_DIRS
            and not (here == root and name in EXCLUDED_TOP_LEVEL)
        ]
        found += [here / name for name in files if name.endswith(".py")]
    return sorted(found)


def modules_over_the_limit(root: Path) -> list[str]:
    """'path (N lines)' for every module of root longer than MAX_LINES."""
    over = []
    for path in python_modules(root):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            over.append(f"{path.relative_to(root)} ({lines} lines)")
    return over


def test_no_module_is_longer_than_400_lines():
    # given: every Python module of the project
    modules = python_modules(ROOT)
    assert len(modules) > 100

    # when
    too_long = modules_over_the_limit(ROOT)

    # then
    assert too_long == []
