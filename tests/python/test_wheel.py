"""The binary wheel as a user without a compiler gets it: `make wheel` builds and repairs it into
$MAKO_WHEEL_DIR (`make test` sets it); this test installs it into a brand-new venv whose PATH holds
no compiler, away from the source tree, and runs a smoke test there."""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import textwrap
import zipfile

import pytest
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]

SMOKE = textwrap.dedent(
    """
    import pathlib, shutil, sys
    assert shutil.which("g++") is None and shutil.which("cc") is None and shutil.which("cmake") is None
    import mako_engine as mk
    from mako_engine import edifact
    src = pathlib.Path(sys.argv[1])
    assert src not in pathlib.Path(mk.__file__).resolve().parents, mk.__file__
    assert mk.__version__ == sys.argv[2], mk.__version__

    with mk.Engine.open("smoke.sqlite") as engine:            # SQLite through the bundled libsqlite3
        p = engine.spawn("lifecycle")
        p.execute({"type": "Register", "data": {"name": "MaLo 41373559241"}})

        class Counter(mk.Workflow):
            def initial_state(self): return {"n": 0}
            def apply(self, state, event): return {"n": state["n"] + event["data"]["by"]}
            def handle(self, state, command): return [{"type": "Incremented", "data": {"by": command}}]

        c = engine.spawn(Counter)
        c.execute(5)
        c.execute(7)
        assert engine.resume(Counter, c.identity().to_json()).state() == {"n": 12}
        events = engine.events()
        assert type(events).__module__.startswith("pandas"), type(events)
        assert len(events) == 3, events

    # PostgreSQL through the bundled libpq: no server here, so the connection is refused, by libpq.
    assert mk.postgres_supported()
    try:
        mk.Engine.open("postgresql://mako@/mako?host=" + str(pathlib.Path.cwd()) + "&port=1")
        raise AssertionError("there is no server")
    except mk.StoreBusy as e:
        assert "cannot connect" in str(e), e
        assert sorted(events["event_type"]) == ["Incremented", "Incremented", "Registered"], list(events["event_type"])

    raw = edifact.corpus.gpke_examples()[0]["bytes"]
    interchange = edifact.parse(raw)
    assert interchange.messages and interchange.messages[0].type == "UTILMD"
    assert edifact.write(interchange) == raw
    assert edifact.check_ahb(raw) == []
    print("smoke ok", mk.__version__)
    """
)


def _wheel() -> pathlib.Path:
    where = os.environ.get("MAKO_WHEEL_DIR")
    wheels = sorted(pathlib.Path(where).glob(f"mako_engine-{VERSION}-*-manylinux_*.whl")) if where else []
    if len(wheels) == 1:
        return wheels[0]
    why = f"no single mako_engine-{VERSION} manylinux wheel in MAKO_WHEEL_DIR={where!r} (run `make wheel`): {wheels}"
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


def test_wheel_name_carries_the_version_and_a_manylinux_tag():
    wheel = _wheel()
    assert re.fullmatch(rf"mako_engine-{re.escape(VERSION)}-cp3\d+-cp3\d+-manylinux_2_\d+_x86_64\.whl", wheel.name)
    # auditwheel bundled libsqlite3 (SQLiteCpp is linked statically): nothing to install beside it.
    names = zipfile.ZipFile(wheel).namelist()
    assert any(re.fullmatch(r"mako_engine\.libs/libsqlite3-[0-9a-f]+\.so[.0-9]*", n) for n in names), names
    # ... and libpq for the PostgreSQL store (with what it links: TLS, Kerberos, LDAP).
    assert any(re.fullmatch(r"mako_engine\.libs/libpq-[0-9a-f]+\.so[.0-9]*", n) for n in names), names


def test_wheel_installs_and_runs_without_a_compiler(tmp_path):
    wheel = _wheel()
    work = tmp_path / "user"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, cwd=work)
    bin_dir = tmp_path / "venv" / "bin"
    # Nothing on PATH but the venv: no compiler, no cmake, no system tools.
    env = {k: v for k, v in os.environ.items() if k.startswith("PIP_") or k in ("HOME", "LANG", "TMPDIR")}
    env["PATH"] = str(bin_dir)

    def run(*args):
        done = subprocess.run([str(a) for a in args], cwd=work, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{args[:2]} failed:\n{done.stdout}\n{done.stderr}"
        return done
    # Runtime deps (pandas, numpy) come as wheels from the pip cache/index; nothing may be compiled.
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", "--only-binary", ":all:", wheel)
    out = run(bin_dir / "python", "-c", SMOKE, ROOT, VERSION)
    assert out.stdout.strip() == f"smoke ok {VERSION}", out.stdout + out.stderr
    assert run(bin_dir / "mako-engine", "--version").stdout.strip() == f"mako-engine {VERSION}"
    # The CLI reads the history the smoke test wrote.
    assert "lifecycle" in run(bin_dir / "mako-engine", "processes", work / "smoke.sqlite").stdout


def test_pip_install_from_the_checkout_builds_outside_it():
    # scikit-build-core builds in a temporary directory unless build-dir is set; only the Makefile
    # sets it (-Cbuild-dir=build/python/...) for incremental developer builds.
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["scikit-build"]
    assert "build-dir" not in tool, tool
    assert "-Cbuild-dir=" in (ROOT / "Makefile").read_text()
