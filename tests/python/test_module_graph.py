"""The mako_engine modules import each other without a cycle, leave the C++ classes as _core defines
them, and spell the GPKE event type names in one module.

The import graph is read from the sources (python/mako_engine/*.py): every ``import`` between two
mako_engine modules counts, at module level, inside functions and under ``TYPE_CHECKING`` alike.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set

import pytest

PACKAGE = "mako_engine"
SOURCES = Path(__file__).resolve().parents[2] / "python" / PACKAGE
MODULES = sorted(p.stem for p in SOURCES.glob("*.py") if p.stem not in ("__init__", "__main__"))
EVENT_NAMES_MODULE = "_event_names"


def _tree(module: str) -> ast.Module:
    return ast.parse((SOURCES / f"{module}.py").read_text(encoding="utf-8"), filename=f"{module}.py")


def _absolute(node: ast.ImportFrom) -> str:
    """The absolute module name of a ``from ... import`` in a module of the package."""
    if node.level == 0:
        return node.module or ""
    assert node.level == 1, "mako_engine has no subpackages"
    return PACKAGE + (f".{node.module}" if node.module else "")


def _imports(module: str) -> Set[str]:
    """The mako_engine modules that ``module`` imports (``__init__`` is the package itself)."""
    out: Set[str] = set()
    for node in ast.walk(_tree(module)):
        targets: List[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node)
            targets = [f"{base}.{a.name}" for a in node.names] + ([base] if node.module else [])
        for t in targets:
            parts = t.split(".")
            if parts[0] == PACKAGE:
                name = parts[1] if len(parts) > 1 else "__init__"
                if name in MODULES or name == "__init__":
                    out.add(name)
    out.discard(module)
    return out


def _cycle(graph: Dict[str, Set[str]]) -> Optional[List[str]]:
    """One cycle of ``graph`` as a path ``[a, b, ..., a]``, or None."""
    state: Dict[str, int] = {}  # 1: on the stack, 2: done
    stack: List[str] = []

    def visit(node: str) -> Optional[List[str]]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_reader_finds_a_cycle() -> None:
    """The checks below must be able to fail: a cycle in a made-up graph is found."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_import_graph_of_the_modules_has_no_cycle() -> None:
    graph = {m: _imports(m) for m in MODULES}
    assert all(m in MODULES for targets in graph.values() for m in targets if m != "__init__"), graph
    assert not any("__init__" in targets for targets in graph.values()), \
        {m: t for m, t in graph.items() if "__init__" in t}  # only the package imports its modules
    assert _cycle(graph) is None, f"import cycle: {' -> '.join(_cycle(graph) or [])}"


def _core_names(tree: ast.Module) -> Set[str]:
    """The names bound to ``_core`` or to something imported from it (``from ._core import Process``)."""
    names: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(node)
            if module == f"{PACKAGE}._core":
                names.update(a.asname or a.name for a in node.names)
            elif module == PACKAGE:
                names.update(a.asname or a.name for a in node.names if a.name == "_core")
        elif isinstance(node, ast.Import):
            names.update(a.asname for a in node.names if a.name == f"{PACKAGE}._core" and a.asname)
    return names


def _root(node: ast.expr) -> Optional[str]:
    """``a`` of ``a.b.c``."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _patches(module: str) -> Iterator[str]:
    tree = _tree(module)
    core = _core_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" and node.args \
                and _root(node.args[0]) in core:
            yield f"{module}.py:{node.lineno}: setattr({ast.unparse(node.args[0])}, ...)"
        targets: List[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for t in targets:
            if isinstance(t, ast.Attribute) and _root(t) in core:
                yield f"{module}.py:{node.lineno}: {ast.unparse(t)} = ..."


def test_no_module_assigns_attributes_onto_core_classes() -> None:
    found = [p for m in [*MODULES, "__init__"] for p in _patches(m)]
    assert not found, "methods patched onto C++ classes (define them in a Python class instead):\n" + "\n".join(found)


_CORE_CLASS_FUNCTIONS = """
import json, sys, types
import {module} as _
from mako_engine import _core
out = {{}}
for name, cls in vars(_core).items():
    if isinstance(cls, type) and type(cls).__name__ == "pybind11_type":
        for key, value in vars(cls).items():
            f = value.fget if isinstance(value, property) else getattr(value, "__func__", value)
            if isinstance(f, types.FunctionType):
                out.setdefault(name, []).append(key)
json.dump(out, sys.stdout)
"""


@pytest.mark.parametrize("module", [PACKAGE] + [f"{PACKAGE}.{m}" for m in MODULES])
def test_each_module_imports_on_its_own_and_leaves_core_classes_alone(module: str) -> None:
    """Imported first in a fresh interpreter, each module loads (no import-order dependency) and no
    class of _core has a Python function among its attributes afterwards (pybind11 defines C++ ones)."""
    run = subprocess.run([sys.executable, "-c", _CORE_CLASS_FUNCTIONS.format(module=module)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {}, f"importing {module} put Python functions onto _core classes"


def _docstring_nodes(tree: ast.Module) -> Set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_gpke_event_type_names_are_spelled_in_one_module() -> None:
    names_tree = _tree(EVENT_NAMES_MODULE)
    names = {n.value.value for n in ast.walk(names_tree)
             if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
    assert {"MessageSent", "AnswerDeadlineMissed", "AnmeldungReceived", "NbConfirmed"} <= names
    found = []
    for m in [*MODULES, "__init__"]:
        if m == EVENT_NAMES_MODULE:
            continue
        tree = _tree(m)
        docs = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in names and id(node) not in docs:
                found.append(f"{m}.py:{node.lineno}: {node.value!r}")
    assert not found, f"GPKE event type names spelled outside {EVENT_NAMES_MODULE}.py:\n" + "\n".join(found)
