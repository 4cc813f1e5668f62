"""The README's examples are the real thing: its Python blocks run, its C++ example and CMake file are
examples/cpp/consumer word for word (which ctest builds against the installed package, outside the
clone: "example: installed package consumer"), and every market-partner id it or an example quotes
passes the BDEW check digit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import mako_engine as mk

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CONSUMER = ROOT / "examples" / "cpp" / "consumer"


def _blocks(language: str) -> list:
    return re.findall(r"^```" + language + r"\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.M | re.S)


PYTHON_BLOCKS = _blocks("python")


def test_the_readme_has_python_and_cpp_examples() -> None:
    assert PYTHON_BLOCKS
    assert len(_blocks("cpp")) == 1
    assert len(_blocks("cmake")) == 1


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_readme_python_block_runs(index: int, tmp_path: Path) -> None:
    script = tmp_path / f"readme_{index}.py"
    script.write_text(PYTHON_BLOCKS[index], encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr


def test_readme_cpp_example_is_the_consumer_built_against_the_installed_package() -> None:
    assert _blocks("cpp")[0] == (CONSUMER / "main.cpp").read_text(encoding="utf-8")
    assert _blocks("cmake")[0] == (CONSUMER / "CMakeLists.txt").read_text(encoding="utf-8")
    # Nothing from the clone: only the installed package's headers.
    includes = re.findall(r'#include\s+[<"]([^>"]+)[>"]', _blocks("cpp")[0])
    assert all(not i.startswith("mako/") or (ROOT / "cpp" / "include" / i).is_file() for i in includes), includes
    assert all(i.startswith("mako/") or ("/" not in i and "." not in i) for i in includes), includes


def _documents() -> list:
    files = [README, *sorted((ROOT / "docs").rglob("*.md"))]
    for folder in ("examples", "notebooks"):
        files += sorted(p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".cpp", ".hpp", ".ipynb", ".md"))
    return files


def test_every_quoted_mp_id_passes_the_check_digit() -> None:
    quoted = {}
    for path in _documents():
        for mp_id in re.findall(r"(?<!\d)9[89]\d{11}(?!\d)", path.read_text(encoding="utf-8")):
            quoted.setdefault(mp_id, path.relative_to(ROOT).as_posix())
    assert quoted
    invalid = {mp_id: (where, mk.identifiers.MpId.why_invalid(mp_id)) for mp_id, where in quoted.items()
               if not mk.identifiers.MpId.is_valid(mp_id)}
    assert invalid == {}


def _market_simulation() -> Path:
    env = os.environ.get("MAKO_MARKET_SIMULATION")
    found = [Path(env)] if env else sorted(ROOT.glob("build*/examples/cpp/market_simulation"))
    found = [p for p in found if os.access(p, os.X_OK)]
    if not found:  # a failure, never a skip: the README's demo excerpt is checked nowhere else
        pytest.fail("market_simulation not found: build it (cmake --build build --target market_simulation) "
                    "or set MAKO_MARKET_SIMULATION to its path")
    return found[0]


def test_make_demo_prints_what_the_readme_says(tmp_path: Path) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    customers = re.search(r"^DEMO_CUSTOMERS \?= (\d+)$", makefile, flags=re.M).group(1)
    recipe = re.search(r"^demo:.*\n(?:\t.*\n)*?\t\$\(BUILD\)/(examples/cpp/market_simulation [^\n]*)$", makefile, flags=re.M).group(1)
    command = recipe.replace("$(DEMO_CUSTOMERS)", customers)
    assert f"`make demo` runs `build/{command}`" in README.read_text(encoding="utf-8")

    args = command.split()[1:]
    out = subprocess.run([str(_market_simulation()), *args], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    # The excerpt, line for line: "..." skips lines, "…" stands for a machine-dependent number.
    excerpt = _blocks("text")
    assert len(excerpt) == 1
    pattern = ""
    for line in excerpt[0].splitlines():
        pattern += r"(?:.*\n)*?" if line == "..." else re.escape(line).replace("…", r"[0-9.e+]+") + r"\n"
    assert re.match(pattern, out.stdout), out.stdout
