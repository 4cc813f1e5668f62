"""What `pip install mako-engine` brings, and what an analyst is told when a module is missing.

The missing-module cases run in a subprocess whose ``sys.modules[name] = None`` makes the import of
``name`` fail as if it were not installed."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mako_engine as mk


def _requirement_names(requirements: list) -> dict:
    """{name: marker} of the distribution's requirements (marker "" for a default dependency)."""
    out = {}
    for req in requirements:
        name = re.match(r"[A-Za-z0-9._-]+", req).group(0).lower()
        out.setdefault(name, []).append(req.split(";", 1)[1].strip() if ";" in req else "")
    return out


def test_a_plain_install_brings_pandas_and_numpy() -> None:
    requires = _requirement_names(importlib.metadata.requires("mako-engine") or [])
    for name in ("pandas", "numpy"):
        assert "" in requires.get(name, []), f"{name} is not a default dependency: {requires}"
    for name in ("pyarrow", "matplotlib", "tqdm"):  # the rest of the analyst's kit: the [history] extra
        assert any("history" in marker for marker in requires.get(name, [])), f"{name}: {requires}"


def _run_without(modules: list, code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    blocker = "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)
    return subprocess.run([sys.executable, "-c", blocker + textwrap.dedent(code), str(tmp_path)],
                          capture_output=True, text=True, timeout=600)


HISTORY = """
    import sys
    import mako_engine as mk
    engine = mk.Engine.open(sys.argv[1] + "/h.sqlite")
    engine.spawn("lifecycle").execute({"type": "Register", "data": {"name": "x"}})
    for call in (lambda: engine.events(), lambda: engine.processes(), lambda: mk.history.events(sys.argv[1] + "/h.sqlite"),
                 lambda: mk.Engine.in_memory().events()):
        try:
            call()
            print("no error")
        except ImportError as e:
            print("ImportError:", e)
"""


@pytest.mark.parametrize("missing", [["numpy"], ["pandas"], ["numpy", "pandas"]])
def test_history_without_pandas_or_numpy_says_what_to_install(missing: list, tmp_path: Path) -> None:
    out = _run_without(missing, HISTORY, tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 4, out.stdout
    for line in lines:
        assert line.startswith("ImportError: mako_engine's history (DataFrames) needs pandas and numpy"), line
        assert "pip install pandas numpy" in line
        assert any(m in line for m in missing), line


def test_a_timeline_plot_without_matplotlib_says_what_to_install(tmp_path: Path) -> None:
    out = _run_without(["matplotlib"], """
        import mako_engine as mk
        engine = mk.Engine.in_memory()
        engine.spawn("lifecycle").execute({"type": "Register", "data": {"name": "x"}})
        try:
            mk.plot_timeline(engine)
        except ImportError as e:
            print("ImportError:", e)
    """, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ImportError: plot_timeline needs matplotlib"), out.stdout
    assert "pip install 'mako-engine[history]'" in out.stdout


def test_the_engine_itself_needs_none_of_them(tmp_path: Path) -> None:
    out = _run_without(["numpy", "pandas", "pyarrow", "matplotlib", "tqdm"], """
        import mako_engine as mk
        p = mk.Engine.in_memory().spawn("lifecycle")
        p.execute({"type": "Register", "data": {"name": "x"}})
        print(p.state()["status"])
    """, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Registered"
    assert mk.__name__ == "mako_engine"
