"""One version number, pyproject.toml's: the package, the CLI and the CMake package report it."""
from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import tomllib

import mako_engine as mk

ROOT = pathlib.Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_package_and_cli_report_the_pyproject_version(capsys):
    from mako_engine import cli

    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert mk.__version__ == VERSION
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"mako-engine {VERSION}"


def test_cmake_package_takes_the_pyproject_version(tmp_path):
    cmake = shutil.which("cmake", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("cmake")
    assert cmake, "cmake not found"
    subprocess.run(
        [cmake, "-S", ROOT, "-B", tmp_path, "-DMAKO_BUILD_TESTS=OFF", "-DMAKO_BUILD_EXAMPLES=OFF", "-DMAKO_BUILD_BENCH=OFF"],
        check=True, capture_output=True,
    )
    config = (tmp_path / "cpp" / "mako_engineConfigVersion.cmake").read_text()
    assert f'set(PACKAGE_VERSION "{VERSION}")' in config
