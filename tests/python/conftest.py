"""Shared fixtures of the mako_engine pytest suite."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

import mako_engine as mk


@pytest.fixture(params=["in_memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[mk.Engine]:
    """Every engine-level test runs against the in-memory store and a SQLite file."""
    if request.param == "in_memory":
        yield mk.Engine.in_memory()
    else:
        yield mk.Engine.open(tmp_path / "engine.sqlite", durability="relaxed")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "mako.sqlite"


class Counter(mk.Workflow):
    """A small Python workflow used by several tests."""

    name = "counter"

    def initial_state(self) -> dict:
        return {"count": 0, "log": []}

    def apply(self, state: dict, event: dict) -> dict:
        if event["type"] == "Added":
            return {"count": state["count"] + event["data"]["by"], "log": state["log"] + [event["data"]["by"]]}
        if event["type"] == "Reset":
            return {"count": 0, "log": state["log"]}
        raise ValueError(f"unknown event {event!r}")

    def handle(self, state: dict, command: dict) -> list:
        kind = command["kind"]
        if kind == "add":
            if command["by"] <= 0:
                raise mk.ValidationFailed("by must be positive")
            return [{"type": "Added", "data": {"by": command["by"]}}]
        if kind == "reset":
            if state["count"] == 0:
                raise mk.InvalidState("Counting", "Zero")
            return [{"type": "Reset"}]
        if kind == "noop":
            return []
        raise mk.WorkflowNotImplemented(f"command {kind}")


@pytest.fixture
def counter_workflow() -> type:
    return Counter


# --- PostgreSQL -----------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
PG_TEST_SERVER = ROOT / "tools" / "pg-test-server.sh"


@pytest.fixture(scope="session")
def pg_conninfo() -> Iterator[str]:
    """libpq key=value string of a PostgreSQL server for the tests that need one: $MAKO_TEST_PG when
    set (``make test-cpp`` and ``tools/pg-test-server.sh run -- ...`` set it), else a throw-away
    server started here by tools/pg-test-server.sh and deleted at the end of the session. Never a
    skip: without the server binaries the tests that need it fail, saying how to get them."""
    import os
    import re
    import shutil
    import subprocess
    import tempfile

    if os.environ.get("MAKO_TEST_PG"):
        yield os.environ["MAKO_TEST_PG"]
        return
    parent = tempfile.mkdtemp(prefix="mako-pgpy.", dir="/tmp")  # short: the socket path must stay < 108 bytes
    os.chmod(parent, 0o755)  # the server user (postgres, when running as root) must reach its folder inside
    folder = os.path.join(parent, "pg")
    r = subprocess.run([str(PG_TEST_SERVER), "start", folder], capture_output=True, text=True, timeout=180)
    found = re.search(r"MAKO_TEST_PG='([^']*)'", r.stdout)
    if r.returncode != 0 or not found:
        subprocess.run([str(PG_TEST_SERVER), "stop", folder], capture_output=True, timeout=120)
        shutil.rmtree(parent, ignore_errors=True)
        pytest.fail(f"the PostgreSQL tests need a server and {PG_TEST_SERVER.name} could not start one "
                    f"(exit {r.returncode}): {r.stderr.strip() or r.stdout.strip()} -- install the Debian package "
                    "'postgresql' (`make test-deps`), or set MAKO_TEST_PG to a libpq connection string", pytrace=False)
    try:
        yield found.group(1)
    finally:
        subprocess.run([str(PG_TEST_SERVER), "stop", folder], capture_output=True, timeout=120)
        shutil.rmtree(parent, ignore_errors=True)


def pg_url(conninfo: str) -> str:
    """The same server as a postgresql:// URL (a socket folder as host goes into the query)."""
    parts = dict(p.split("=", 1) for p in conninfo.split())
    query = "&".join(f"{k}={parts[k]}" for k in ("host", "port") if k in parts)
    return f"postgresql://{parts.get('user', '')}@/{parts.get('dbname', '')}" + (f"?{query}" if query else "")


@pytest.fixture
def pg_schema() -> str:
    """A schema name no other test (or earlier run) used: each test starts from an empty store."""
    import uuid

    return "t_py_" + uuid.uuid4().hex[:16]
