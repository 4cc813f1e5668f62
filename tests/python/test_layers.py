"""The layer boundaries of the C++ code, checked on every #include (docs/architecture.md).

core knows nothing of MaKo, SQLite, PostgreSQL or Python; the domain nothing of SQLite, PostgreSQL or
Python; the SQLite and PostgreSQL stores nothing of MaKo, Python or each other; the stores layer
(open_store: one string picks SQLite or PostgreSQL) sits above both, through their public headers
only, and knows nothing of MaKo or Python, and nothing below it knows it; only cpp/bindings/
includes pybind11. A quoted include is resolved
against the including file's folder, so a relative path into another layer counts too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)

# Layer -> the folders holding its code, and what it must not include (prefixes of include paths
# as written in <...>, or of repository paths for quoted includes that resolve inside the tree).
LAYERS = {
    "core": (["cpp/src/core", "cpp/include/mako/core"],
             ["mako/sqlite/", "mako/postgres/", "mako/stores/", "mako/domain/", "pybind11/", "Python.h", "sqlite3.h",
              "SQLiteCpp/", "libpq-fe.h", "cpp/src/sqlite/", "cpp/src/postgres/", "cpp/src/stores/", "cpp/src/domain/",
              "cpp/bindings/"]),
    "domain": (["cpp/src/domain", "cpp/include/mako/domain"],
               ["mako/sqlite/", "mako/postgres/", "mako/stores/", "pybind11/", "Python.h", "sqlite3.h", "SQLiteCpp/",
                "libpq-fe.h", "cpp/src/sqlite/", "cpp/src/postgres/", "cpp/src/stores/", "cpp/bindings/"]),
    "sqlite": (["cpp/src/sqlite", "cpp/include/mako/sqlite"],
               ["mako/domain/", "mako/postgres/", "mako/stores/", "pybind11/", "Python.h", "libpq-fe.h", "cpp/src/domain/",
                "cpp/src/postgres/", "cpp/src/stores/", "cpp/bindings/"]),
    "postgres": (["cpp/src/postgres", "cpp/include/mako/postgres"],
                 ["mako/domain/", "mako/sqlite/", "mako/stores/", "pybind11/", "Python.h", "sqlite3.h", "SQLiteCpp/",
                  "cpp/src/domain/", "cpp/src/sqlite/", "cpp/src/stores/", "cpp/bindings/"]),
    # Above sqlite and postgres through their public headers (mako/sqlite/, mako/postgres/), never their
    # internals or their C libraries: it builds without libpq (open_store.cpp, MAKO_HAVE_POSTGRES).
    "stores": (["cpp/src/stores", "cpp/include/mako/stores"],
               ["mako/domain/", "pybind11/", "Python.h", "sqlite3.h", "SQLiteCpp/", "libpq-fe.h", "cpp/src/domain/",
                "cpp/src/sqlite/", "cpp/src/postgres/", "cpp/bindings/"]),
}
PYBIND_ALLOWED = "cpp/bindings/"


def _sources(folders: list[str]) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*") if p.suffix in {".cpp", ".hpp", ".h"})


def _includes(path: Path) -> list[str]:
    """Each include as written (<...>) or as a repository path (quoted, when it resolves in the tree)."""
    found = []
    for kind, name in INCLUDE.findall(path.read_text(encoding="utf-8")):
        if kind == '"':
            resolved = (path.parent / name).resolve()
            if resolved.is_file() and ROOT in resolved.parents:
                found.append(resolved.relative_to(ROOT).as_posix())
                continue
        found.append(name)
    return found


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_a_layer_includes_nothing_above_it(layer: str) -> None:
    folders, forbidden = LAYERS[layer]
    files = _sources(folders)
    assert files, f"no sources found for layer {layer} in {folders}"
    breaches = [f"{p.relative_to(ROOT)}: {inc}" for p in files for inc in _includes(p)
                if any(inc.startswith(prefix) for prefix in forbidden)]
    assert breaches == []


def test_only_the_bindings_include_pybind11() -> None:
    trees = ["cpp", "examples", "bench", "tests/cpp", "tools"]
    files = [p for t in trees for p in _sources([t])]
    assert len(files) > 100
    breaches = [p.relative_to(ROOT).as_posix() for p in files
                if not p.relative_to(ROOT).as_posix().startswith(PYBIND_ALLOWED)
                and any(inc.startswith(("pybind11/", "Python.h")) for inc in _includes(p))]
    assert breaches == []


def test_the_check_sees_a_breach(tmp_path: Path) -> None:
    # The rule itself must be able to fail: a core file that includes the SQLite store.
    bad = tmp_path / "bad.hpp"
    bad.write_text('#include <mako/sqlite/sqlite_store.hpp>\n#include "x.hpp"\n', encoding="utf-8")
    assert _includes(bad) == ["mako/sqlite/sqlite_store.hpp", "x.hpp"]
    assert any(i.startswith(tuple(LAYERS["core"][1])) for i in _includes(bad))
