"""_core.pyi names the parameters the compiled module takes.

``mypy.stubtest`` (``make lint``) checks that every name of ``_core`` is in the stub and its kind, but it
cannot see the parameters of a pybind11 function: they have no ``__text_signature__``. pybind11 writes
each signature into the first line of the docstring (``market_simulate(out_dir: str, ...) -> dict``);
this test compares those parameter names, and where ``*`` makes the rest keyword-only, with the stub.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from mako_engine import _core

STUB = Path(__file__).resolve().parents[2] / "python" / "mako_engine" / "_core.pyi"


def _split_top_level(text: str) -> List[str]:
    """``text`` split at the commas outside brackets and quotes."""
    parts, depth, quote, current = [], 0, "", []
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{<":
            depth += 1
        elif ch in ")]}>" and depth:
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def _pybind_parameters(name: str, doc: Optional[str]) -> Optional[List[str]]:
    """The parameter names (and ``*``/``/`` markers) in pybind11's signature line of ``name``; None when
    the docstring has none (or the function is overloaded: several signatures)."""
    if not doc or doc.startswith("Overloaded function"):
        return None
    first = doc.split("\n", 1)[0]
    if not first.startswith(f"{name}(") or ") -> " not in first:
        return None
    inner = first[len(name) + 1:first.rindex(") -> ")]
    params = [re.split(r"[:=]", p, maxsplit=1)[0].strip() for p in _split_top_level(inner)]
    return [p for p in params if p not in ("self", "")]


def _stub_parameters(fn: ast.FunctionDef) -> List[str]:
    a = fn.args
    out = [x.arg for x in a.posonlyargs] + (["/"] if a.posonlyargs else []) + [x.arg for x in a.args]
    if a.vararg:
        out.append(f"*{a.vararg.arg}")
    elif a.kwonlyargs:
        out.append("*")
    out += [x.arg for x in a.kwonlyargs]
    if a.kwarg:
        out.append(f"**{a.kwarg.arg}")
    return [p for p in out if p not in ("self", "cls")]


def _stub_functions() -> Dict[Tuple[str, ...], ast.FunctionDef]:
    """``{("market_simulate",): def, ("Engine", "open"): def, ...}`` of the stub, without overloads."""
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    out: Dict[Tuple[str, ...], ast.FunctionDef] = {}
    overloaded = set()

    def visit(body: List[ast.stmt], prefix: Tuple[str, ...]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef):
                key = (*prefix, node.name)
                decorators = [d.id if isinstance(d, ast.Name) else "" for d in node.decorator_list]
                if "overload" in decorators or "property" in decorators or "" in decorators or key in out:
                    overloaded.add(key)
                out[key] = node
            elif isinstance(node, ast.ClassDef):
                visit(node.body, (*prefix, node.name))

    visit(tree.body, ())
    return {k: v for k, v in out.items() if k not in overloaded}


def _runtime_callables() -> Iterator[Tuple[Tuple[str, ...], object]]:
    for name, obj in vars(_core).items():
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                if attr.startswith("__"):
                    continue
                func = value.__func__ if isinstance(value, staticmethod) else value
                if callable(func) and not isinstance(value, property):
                    yield (name, attr), func
        elif callable(obj):
            yield (name,), obj


def test_the_signature_reader_reads_pybind11_lines() -> None:
    doc = "f(self: m.X, a: dict[str, int], b: tuple[int, str] = (1, 'x, y'), *, c: int = 1) -> None\n\ntext"
    assert _pybind_parameters("f", doc) == ["a", "b", "*", "c"]
    assert _pybind_parameters("f", "Overloaded function.\n\n1. f(a: int) -> None") is None


def test_the_stub_names_the_parameters_of_every_function_and_method() -> None:
    stub = _stub_functions()
    checked, wrong = 0, []
    for key, func in _runtime_callables():
        expected = _pybind_parameters(key[-1], getattr(func, "__doc__", None))
        declared = stub.get(key)
        if expected is None or declared is None:
            continue  # overloaded, or missing from the stub: mypy.stubtest reports the latter
        checked += 1
        if _stub_parameters(declared) != expected:
            wrong.append(f"{'.'.join(key)}: stub {_stub_parameters(declared)}, module {expected}")
    assert checked > 100, f"only {checked} signatures compared: the reader lost track of pybind11's docstrings"
    assert not wrong, "_core.pyi differs from the compiled module:\n" + "\n".join(wrong)

