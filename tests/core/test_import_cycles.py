"""No import cycle anywhere in the project, function-level imports included.

import-linter's contracts check the layers and the siblings of an app, but a function-level import that closes a
cycle passes them when it is whitelisted. This test reads every module of the project's packages with `ast`, takes
every import statement wherever it stands (module level, inside a function, a method or a branch) and asserts that
the graph has no cycle. `from x import y` points at the submodule `x.y` when there is one, else at `x`; only imports
under `if TYPE_CHECKING:` are left out (they never run). Imports of modules outside the project are ignored.
"""

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings


def _project_modules(base: Path, packages: list[str]) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under the project's root packages."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((base / package).rglob("*.py")):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement of the tree, at any depth, except those under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _import_nodes(ast.Module(body=[child], type_ignores=[]))
        else:
            yield from _import_nodes(node)


def _in_project(name: str, modules: dict[str, Path]) -> str | None:
    """`name` or its closest enclosing module of the project, or None (another distribution)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `module` imports, wherever the import statement stands."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            resolved = _in_project(target, modules)
            if resolved is not None and resolved != module:
                found.add(resolved)
    return found


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports, for the root packages import-linter knows (pyproject.toml)."""
    base = Path(settings.BASE_DIR)
    config = tomllib.loads((base / "pyproject.toml").read_text(encoding="utf-8"))
    modules = _project_modules(base, config["tool"]["importlinter"]["root_packages"])
    return {module: _imports_of(module, path, modules) for module, path in modules.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a → … → a) per strongly connected component that has more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(start: str) -> None:  # iterative, so a long chain of imports cannot hit the recursion limit
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return [_a_cycle_in(component, graph) for component in components if len(component) > 1]


def _a_cycle_in(component: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside the component (breadth first)."""
    start = min(component)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node] & component):
                if successor == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start] if node != start else [start, start]
                if successor not in came_from:
                    came_from[successor] = node
                    following.append(successor)
        frontier = following
    raise AssertionError(f"not a cycle: {sorted(component)}")  # pragma: no cover - Tarjan gave a component


def test_the_graph_sees_function_level_imports_and_submodules_of_from_imports():
    # given: the graph of the project as it stands
    graph = import_graph()
    # then: a function-level import counts (Celery's start-up hook imports core.jobs inside a function) and
    # `from core import checks, lookups` (in CoreConfig.ready) points at the two submodules
    assert "core.jobs" in graph["patent_platform.celery"]
    assert {"core.checks", "core.lookups"} <= graph["core.apps"]
    assert "core" not in graph["core.apps"]


def test_import_cycles_finds_a_cycle_and_names_its_path():
    # given: a → b → c → a, and d → a outside the cycle
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    # when / then
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_the_project_takes_part_in_an_import_cycle():
    # when
    cycles = import_cycles(import_graph())
    # then
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)
