"""The shape of the code (docs/architecture.md): layers that import only downwards, no import cycles (imports
inside functions count, `if TYPE_CHECKING:` blocks do not), Qt only in the GUI layers, small modules and functions.

The import graph is read from the source with `ast`, so a cycle hidden in a function-level import is found
without running anything.
"""

from __future__ import annotations

import ast
import dataclasses
import pathlib

from tests.support.paths import ROOT

PACKAGE = ROOT / "pflow_studio"
QT_MODULES = ("PySide6", "shiboken6", "NodeGraphQt", "Qt")
GUI_LAYERS = ("app", "canvas", "cluster_panel.dock")

LAYERS_BELOW = {
    "common": set(),
    "nodes": {"common"},
    "runtime": {"nodes", "common"},
    "project": {"runtime", "nodes", "common"},
    "cluster_panel": {"runtime", "nodes", "common"},
    "cli": {"project", "cluster_panel", "runtime", "nodes", "common"},
    "canvas": {"project", "runtime", "nodes", "common"},
    "cluster_panel.dock": {"cluster_panel", "runtime", "nodes", "common"},
    "app": {"canvas", "cluster_panel.dock", "cluster_panel", "project", "runtime", "nodes", "common"},
    "launcher": {"cli", "app"},
    "__main__": {"launcher"},
}
"""Each layer and the layers it may import (besides itself and the package root, which holds only the version)."""

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


@dataclasses.dataclass(frozen=True)
class Import:
    """One import of a module of ours (`target`) by `source`, at `line`."""

    source: str
    target: str
    line: int


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for inner in ast.walk(node))
    return skipped


def _imported_names(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The dotted names an import statement may refer to (`from a import b` may import module a.b)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join([*base, node.module] if node.module else base)
    else:
        prefix = node.module or ""
    return [prefix, *(f"{prefix}.{alias.name}" for alias in node.names)]


def read_imports() -> tuple[set[str], list[Import]]:
    """Every module of the package, and every import of one of ours anywhere in a module (functions included)."""
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    imports = []
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            for name in _imported_names(node, module, path.name == "__init__.py"):
                target = _resolve(name, files)
                if target and target != module:
                    imports.append(Import(module, target, node.lineno))
    return set(files), imports


def _resolve(name: str, modules: dict[str, pathlib.Path]) -> str | None:
    """The module of ours that `name` names (a module, or a name inside one), or None when not ours."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def find_cycles(modules: set[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def layer_of(module: str) -> str | None:
    """The layer a module belongs to (the longest matching key of LAYERS_BELOW), None for the package root."""
    relative = module.removeprefix("pflow_studio").lstrip(".")
    matches = [layer for layer in LAYERS_BELOW if relative == layer or relative.startswith(layer + ".")]
    return max(matches, key=len) if matches else None


def test_the_reader_sees_imports_inside_functions_and_skips_type_checking(tmp_path):
    source = "import typing\nif typing.TYPE_CHECKING:\n    import a.b\ndef f():\n    from a import c\n"
    tree = ast.parse(source)
    skipped = _type_checking_nodes(tree)
    names = [n for node in ast.walk(tree) if id(node) not in skipped for n in _imported_names(node, "a.x", False)]
    assert "a.c" in names and "a.b" not in names


def test_cycles_are_found():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles({"a", "b", "c", "d"}, edges) == [["a", "b", "c"]]
    assert find_cycles({"a", "b"}, {"a": {"b"}}) == []


def test_no_import_cycles():
    modules, imports = read_imports()
    edges: dict[str, set[str]] = {}
    for imp in imports:
        if not imp.source.startswith(imp.target + "."):  # a module may import its own package
            edges.setdefault(imp.source, set()).add(imp.target)
    assert len(modules) > 90
    assert find_cycles(modules, edges) == []


def test_every_module_belongs_to_a_layer():
    modules, _ = read_imports()
    assert sorted(m for m in modules if layer_of(m) is None) == ["pflow_studio"]


def test_layers_import_only_downwards():
    _, imports = read_imports()
    wrong = []
    for imp in imports:
        source, target = layer_of(imp.source), layer_of(imp.target)
        if target is None or source == target:
            continue
        if target not in LAYERS_BELOW[source]:
            wrong.append(f"{imp.source}:{imp.line} imports {imp.target} ({source} -> {target})")
    assert wrong == []


def test_qt_is_imported_only_by_the_gui_layers():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        module = module_name(path)
        if layer_of(module) in GUI_LAYERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = _imported_names(node, module, path.name == "__init__.py")
            if any(name.split(".")[0] in QT_MODULES for name in names):
                wrong.append(f"{module}:{node.lineno}")
    assert wrong == []


def python_files() -> list[pathlib.Path]:
    return sorted(p for folder in ("pflow_studio", "tests", "bench", "scripts") for p in (ROOT / folder).rglob("*.py"))


def test_modules_are_small():
    lines = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in python_files()}
    assert {path: n for path, n in lines.items() if n > MAX_MODULE_LINES} == {}


def test_functions_are_small():
    long = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = length
    assert long == {}
