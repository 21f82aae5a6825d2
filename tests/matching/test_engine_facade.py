"""The engine has one public face: outside matching/engine, code imports `matching.engine` (its facade), never one of
its modules — so the engine can move code between its modules (a kernel, a backend switch) without touching a caller.
Only the engine's own unit tests (tests/matching/engine/) may reach a module's internals."""

import ast
import pkgutil
import types
from pathlib import Path

import matching.engine

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = ("matching/engine/", "tests/matching/engine/")  # the engine itself and its unit tests
SKIPPED_DIRS = {".venv", "node_modules", ".git", "media", "staticfiles", "__pycache__"}
# `from matching.engine import explain` is the function the facade exports, not the module of the same name
SUBMODULES = {
    info.name
    for info in pkgutil.iter_modules(matching.engine.__path__)
    if isinstance(getattr(matching.engine, info.name, None), types.ModuleType | None)
}


def _python_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)
        and not path.relative_to(ROOT).as_posix().startswith(ALLOWED)
    ]


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    """The module an ImportFrom names, relative imports resolved against the file's package."""
    if not node.level:
        return node.module or ""
    package = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
    return ".".join([*package, *([node.module] if node.module else [])])


def engine_submodule_imports(path: Path) -> list[str]:
    """Every place in `path` that imports a module of the engine (not its facade): `import matching.engine.rank`,
    `from matching.engine.rank import …`, `from matching.engine import rank`, and dotted strings such as
    "matching.engine.rank.rank_one" (import_string, monkeypatch targets)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("matching.engine.")]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, path)
            if module.startswith("matching.engine."):
                found.append(module)
            elif module == "matching.engine":
                found += [f"{module}.{alias.name}" for alias in node.names if alias.name in SUBMODULES]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts = node.value.split(".")
            if parts[:2] == ["matching", "engine"] and len(parts) > 2 and all(p.isidentifier() for p in parts):
                found.append(node.value)
    return [f"{path.relative_to(ROOT).as_posix()}: {name}" for name in found]


def test_no_module_outside_the_engine_imports_one_of_its_modules():
    # given
    files = _python_files()
    # when
    offenders = [hit for path in files for hit in engine_submodule_imports(path)]
    # then
    assert len(files) > 300  # the app, the benches, the tests: the scan is not vacuous
    assert offenders == []


def test_the_scan_finds_each_way_of_reaching_a_module(tmp_path, monkeypatch):
    # given: a file in the matching app that reaches the engine's modules in every way the scan knows
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    sample = tmp_path / "matching" / "sample.py"
    sample.parent.mkdir()
    sample.write_text(
        "import matching.engine.rank\n"
        "from matching.engine.explain import explain\n"
        "from matching.engine import rank, fit_index, explain\n"
        "from .engine.vectorize import MatchIndex\n"
        "from matching import engine\n"
        "TARGET = 'matching.engine.rank.rank_one'\n"
        "TEXT = 'see matching.engine.rank for the order'\n",
        encoding="utf-8",
    )
    # when
    found = engine_submodule_imports(sample)
    # then
    assert found == [
        "matching/sample.py: matching.engine.rank",
        "matching/sample.py: matching.engine.explain",
        "matching/sample.py: matching.engine.rank",
        "matching/sample.py: matching.engine.vectorize",
        "matching/sample.py: matching.engine.rank.rank_one",
    ]


def test_the_facade_exports_the_modules_callers_need():
    # when
    exported = set(matching.engine.__all__)
    # then: every name is there, among them those of classes, extend, coverage and the pair explanation
    assert all(hasattr(matching.engine, name) for name in exported)
    assert {
        "ClassPrior",
        "fit_class_prior",
        "index_apply",
        "index_pivot",
        "coverage_applies",
        "words_missing",
    } <= exported
    assert {"explain_pairs", "kernels_warm_up", "available_rank_backend", "FeedbackKind", "read_stopwords"} <= exported
