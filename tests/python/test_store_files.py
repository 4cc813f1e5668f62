"""What a SQLite file holds once the engine is done with it, and who may read it.

A closed engine leaves a self-contained ``.sqlite`` file (its WAL written back), also when the
interpreter exits with engines and Python workflows still alive; a copy made without its ``-wal``
is reported as such; archived files on read-only media can be read. Resume never creates a process,
and a process id under two tenants is never shown as one process. Bad event types and text are
refused with the project's errors.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

import mako_engine as mk
from mako_engine import _core, cli

from conftest import Counter


def _events_in_copy(db: Path, tmp_path: Path, name: str) -> int:
    """Copies the database file alone (as a user copying "the .sqlite file" would) and counts its events."""
    copy = tmp_path / name
    shutil.copyfile(db, copy)
    return len(mk.history.events(copy, payload=False))


def _fill(engine: mk.Engine, processes: int = 20) -> int:
    for i in range(processes):
        p = engine.spawn(Counter)
        p.execute({"kind": "add", "by": i + 1})
        p.execute({"kind": "add", "by": 1})
    return 2 * processes


# --- close ----------------------------------------------------------------------------------------

def test_close_leaves_a_self_contained_file(tmp_path: Path) -> None:
    db = tmp_path / "lf.sqlite"
    engine = mk.Engine.open(db, "relaxed")
    written = _fill(engine)
    assert Path(f"{db}-wal").stat().st_size > 0  # open: the commits are in the WAL
    engine.close()
    assert engine.closed and "closed" in repr(engine)
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    assert _events_in_copy(db, tmp_path, "copy.sqlite") == written
    engine.close()  # idempotent


def test_a_closed_engine_refuses_every_use(tmp_path: Path) -> None:
    engine = mk.Engine.open(tmp_path / "e.sqlite")
    process = engine.spawn(Counter)
    process.execute({"kind": "add", "by": 1})
    engine.close()
    for use in (lambda: engine.spawn(Counter), lambda: engine.head_position(), lambda: engine.read_all(),
                lambda: engine.events(), lambda: engine.resume(Counter, process.identity()),
                lambda: process.execute({"kind": "add", "by": 1})):
        with pytest.raises(mk.InvalidInput, match="closed"):
            use()
    with pytest.raises(mk.InvalidInput, match="closed"), engine.unit_of_work():
        pass
    assert len(mk.history.events(tmp_path / "e.sqlite")) == 1  # nothing written after close


def test_with_closes_the_engine_also_after_an_error(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    with pytest.raises(RuntimeError), mk.Engine.open(db) as engine:
        written = _fill(engine, 5)
        raise RuntimeError("boom")
    assert engine.closed
    assert _events_in_copy(db, tmp_path, "copy.sqlite") == written
    with mk.Engine.in_memory() as memory:
        memory.spawn(Counter).execute({"kind": "add", "by": 1})
    with pytest.raises(mk.InvalidInput, match="closed"):
        memory.read_all()


def test_close_inside_a_unit_of_work_is_refused(tmp_path: Path) -> None:
    engine = mk.Engine.open(tmp_path / "u.sqlite")
    with engine.unit_of_work():
        engine.spawn(Counter).execute({"kind": "add", "by": 1})
        with pytest.raises(mk.InvalidInput, match="unit of work"):
            engine.close()
    assert not engine.closed
    engine.close()
    assert _events_in_copy(tmp_path / "u.sqlite", tmp_path, "copy.sqlite") == 1


_LIVE_AT_EXIT = textwrap.dedent("""
    import sys
    import mako_engine as mk

    class Counter(mk.Workflow):
        def initial_state(self): return {"n": 0}
        def apply(self, state, event): return {"n": state["n"] + event["data"]["by"]}
        def handle(self, state, command): return [{"type": "Added", "data": {"by": command}}]

    engine = mk.Engine.open(sys.argv[1], "relaxed")
    workflow = Counter()
    workflow.engine = engine                  # a cycle through the workflow, the engine and its processes
    workflow.processes = [engine.spawn(workflow) for _ in range(30)]
    for p in workflow.processes:
        p.execute(2)
        p.execute(3)
    print(engine.head_position())
""")


def test_a_workflow_alive_at_exit_leaves_a_self_contained_file(tmp_path: Path) -> None:
    db = tmp_path / "exit.sqlite"
    r = subprocess.run([sys.executable, "-c", _LIVE_AT_EXIT, str(db)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout) == 60
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    assert _events_in_copy(db, tmp_path, "copy.sqlite") == 60


def test_simulate_leaves_self_contained_files(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    report = mk.market.simulate(out, customers=8, seed=2)
    for party in ("lf", "nb"):
        db = out / f"{party}.sqlite"
        assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
        assert _events_in_copy(db, tmp_path, f"{party}-copy.sqlite") == report[party]["events"]


def test_ingest_leaves_a_self_contained_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "sim"
    mk.market.simulate(out, customers=6, seed=4)
    files = sorted((out / "exchange" / "nb").glob("*/processed/*UTILMD55001*"))
    inbound = tmp_path / "inbound"
    inbound.mkdir()
    for f in files:
        (inbound / f.name).write_bytes(f.read_bytes())
    fresh = tmp_path / "fresh.sqlite"
    assert cli.main(["ingest", str(fresh), str(inbound), "--mp-id", files[0].name.split("_")[3], "--role", "nb"]) == 0
    capsys.readouterr()
    assert not Path(f"{fresh}-wal").exists() or Path(f"{fresh}-wal").stat().st_size == 0
    assert _events_in_copy(fresh, tmp_path, "copy.sqlite") == len(mk.history.events(fresh))


def test_a_young_database_copied_while_open_holds_its_schema(tmp_path: Path) -> None:
    db = tmp_path / "open.sqlite"
    engine = mk.Engine.open(db)
    _fill(engine, 3)
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(db, copy)  # while the engine is open: the events are in the -wal, the schema is not
    with mk.Engine.open(copy, read_only=True):
        pass
    assert len(mk.history.events(copy)) <= len(mk.history.events(db))
    engine.close()


def test_a_file_without_its_wal_says_so_and_is_not_written(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # An older engine's young file copied without its -wal: WAL mode, the schema only in the -wal.
    db = tmp_path / "older.sqlite"
    writer = sqlite3.connect(db)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("CREATE TABLE events (x)")
    writer.commit()
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(db, copy)
    shell = copy.read_bytes()
    with pytest.raises(mk.StorageError, match="without its -wal file") as info:
        mk.Engine.open(copy, read_only=True)
    assert "once for writing" not in str(info.value)
    with pytest.raises(mk.StorageError, match=r"without its -wal file.*delete it"):
        mk.Engine.open(copy)
    with pytest.raises(mk.InvalidInput, match="without its -wal file"):
        mk.history.events(copy)
    assert cli.main(["processes", str(copy)]) == 2
    assert "without its -wal file" in capsys.readouterr().err
    assert copy.read_bytes() == shell
    writer.close()


# --- read-only media ------------------------------------------------------------------------------

_READ_ARCHIVE = textwrap.dedent("""
    import sys
    import mako_engine as mk
    from mako_engine import cli

    db = sys.argv[1]
    assert not __import__("os").access(__import__("os").path.dirname(db), __import__("os").W_OK), "directory is writable"
    with mk.Engine.open(db, read_only=True) as engine:
        print(engine.head_position(), len(engine.events()), len(engine.processes()))
    print(len(mk.history.events(db)))
    sys.exit(cli.main(["processes", db, "--count"]))
""")


def _run_on_read_only_dir(directory: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    """Runs ``script`` in a Python child that sees ``directory`` read-only: a read-only bind mount in
    its own mount namespace (unshare), else -- where that is not allowed -- the directory without
    write permission and, for root (whom permission bits do not stop), a child that became ``nobody``."""
    cmd = [sys.executable, "-c", script, *args]
    if os.geteuid() == 0 and shutil.which("unshare"):
        mount = (f"mount --bind {directory} {directory} && mount -o remount,bind,ro {directory} && "
                 'exec "$@"')
        probe = subprocess.run(["unshare", "-m", "sh", "-c", mount, "sh", "true"], capture_output=True)
        if probe.returncode == 0:
            return subprocess.run(["unshare", "-m", "sh", "-c", mount, "sh", *cmd], capture_output=True, text=True, timeout=120)
    for f in directory.iterdir():
        f.chmod(0o444)
    directory.chmod(0o555)
    if os.geteuid() != 0:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return _run_forked_as_nobody(script, *args)


def _run_forked_as_nobody(script: str, *args: str) -> subprocess.CompletedProcess:
    """Runs ``script`` in a forked child that became ``nobody`` (an exec'd interpreter may not be
    readable by nobody, e.g. under /root): what it imports lazily is imported here first."""
    import pandas  # noqa: F401

    import mako_engine.deadlines  # noqa: F401

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 1
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                os.setgid(65534)
                os.setuid(65534)
                sys.argv = ["-c", *args]
                exec(compile(script, "<read-only child>", "exec"), {"__name__": "__main__"})
                code = 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 1
            except BaseException:  # noqa: BLE001 - reported through stderr
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess([script], os.waitstatus_to_exitcode(status), out.read(), err.read())


@pytest.fixture
def public_dir() -> Iterator[Path]:
    """A directory outside pytest's private (0700) temp tree: the read-only child may run as nobody."""
    d = Path(tempfile.mkdtemp(prefix="mako-ro-"))
    d.chmod(0o755)
    yield d
    d.chmod(0o755)
    shutil.rmtree(d, ignore_errors=True)


def test_an_archived_database_is_readable_on_read_only_media(public_dir: Path) -> None:
    db = public_dir / "archive.sqlite"
    with mk.Engine.open(db) as engine:
        written = _fill(engine, 10)
    r = _run_on_read_only_dir(public_dir, _READ_ARCHIVE, str(db))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"{written} {written} 10"
    assert lines[1] == str(written)
    assert "counter" in r.stdout and "unknown" in r.stdout  # the CLI's processes --count (Counter has no status())


_READ_UNCLEAN = textwrap.dedent("""
    import sys
    import mako_engine as mk
    try:
        mk.Engine.open(sys.argv[1], read_only=True).head_position()
    except mk.StorageError as e:
        print(e)
        sys.exit(0 if "-wal" in str(e) and "read-only directory" in str(e) else 1)
    sys.exit(2)
""")


def test_unsaved_commits_on_read_only_media_are_reported_not_skipped(public_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite"
    engine = mk.Engine.open(source)
    _fill(engine, 3)
    shutil.copyfile(source, public_dir / "live.sqlite")  # an engine's file and -wal, copied while it ran
    shutil.copyfile(f"{source}-wal", public_dir / "live.sqlite-wal")
    r = _run_on_read_only_dir(public_dir, _READ_UNCLEAN, str(public_dir / "live.sqlite"))
    assert r.returncode == 0, r.stdout + r.stderr
    engine.close()


# --- processes across tenants ---------------------------------------------------------------------

def test_resume_of_a_process_that_does_not_exist_is_not_found(engine: mk.Engine) -> None:
    p = engine.spawn(Counter, tenant=mk.TenantId.from_party_id("9900123456789"))
    p.execute({"kind": "add", "by": 1})
    other = mk.ProcessIdentity(mk.TenantId.from_party_id("9900987654321"), p.process_id, p.workflow_id)
    with pytest.raises(mk.NotFound, match="spawn"):
        engine.resume(Counter, other)
    with pytest.raises(mk.NotFound):
        engine.resume(Counter, mk.ProcessIdentity(p.tenant_id, mk.ProcessId.generate(), p.workflow_id))
    assert engine.head_position() == 1
    assert engine.resume(Counter, p.identity().to_json()).state()["count"] == 1


def test_a_process_id_under_two_tenants_is_never_mixed(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "two.sqlite")
    pid = "0b5f7c4e-6a8b-4c1d-9e2f-3a4b5c6d7e8f"
    tenants = ["1c8a2f51-0000-4000-8000-000000000001", "1c8a2f51-0000-4000-8000-000000000002"]
    # Files written before resume refused unknown processes can hold such a pair.
    _core._import_history(db, "counter", "FV2025-10-01", [tenants[0], tenants[0], tenants[1]], [pid] * 3,
                          ["Added", "Added", "Reset"], [1_000, 2_000, 3_000],
                          ['{"type":"Added","data":{"by":1}}', '{"type":"Added","data":{"by":2}}', '{"type":"Reset"}'])
    procs = mk.history.processes(db, process=pid)
    assert sorted(procs["tenant_id"].astype(str)) == tenants and list(procs["events"].sort_values()) == [1, 2]
    assert mk.history.events(db, process=pid)["stream_id"].nunique() == 2
    assert cli.main(["history", db, pid]) == 2
    err = capsys.readouterr().err
    assert "several tenants" in err and tenants[0] in err and tenants[1] in err and "--tenant" in err
    assert cli.main(["history", db, pid, "--tenant", tenants[1]]) == 0
    out = capsys.readouterr().out
    assert f"tenant {tenants[1]}" in out and "1 events" in out and tenants[0] not in out
    assert cli.main(["history", db, f"process/{tenants[0]}/{pid}"]) == 0
    assert "2 events" in capsys.readouterr().out


# --- bad event types and text ---------------------------------------------------------------------

class _Emits(mk.Workflow):
    def __init__(self, event: dict) -> None:
        self.event = event

    def initial_state(self) -> dict:
        return {}

    def apply(self, state: dict, event: dict) -> dict:
        return state

    def handle(self, state: dict, command: object) -> list:
        return [{"type": "Ok", "data": {}}, self.event]


def test_an_event_without_a_type_is_refused(engine: mk.Engine) -> None:
    p = engine.spawn(_Emits({"type": "", "data": {}}))
    with pytest.raises(mk.InvalidInput, match="empty event type"):
        p.execute(None)
    assert engine.head_position() == 0


@pytest.mark.parametrize("event, field", [
    ({"type": "Named", "data": {"name": "MaLo \ud800"}}, "events[1].data.name"),
    ({"type": "Named", "data": {"bad\udcff": 1}}, "events[1].data"),
    ({"type": "Nam\ud800ed"}, "events[1].type"),
])
def test_a_lone_surrogate_is_a_serialization_error_naming_the_field(engine: mk.Engine, event: dict, field: str) -> None:
    p = engine.spawn(_Emits(event))
    with pytest.raises(mk.SerializationError, match="not valid Unicode") as info:
        p.execute(None)
    assert str(info.value).startswith(field + ":")
    assert "surrogate" in str(info.value)
    assert engine.head_position() == 0
    builtin = engine.spawn("lifecycle")
    with pytest.raises(mk.SerializationError, match=r"command\.data\.name: .*surrogate"):
        builtin.execute({"type": "Register", "data": {"name": "x\ud800"}})
    assert engine.head_position() == 0


# --- SQLite is shared with the rest of the process ------------------------------------------------

_SQLITE_PROBE = textwrap.dedent("""
    import ctypes, sys
    if sys.argv[1] == "engine":
        import mako_engine as mk
        mk.Engine.open(sys.argv[2]).close()
    lib = ctypes.CDLL("libsqlite3.so.0")
    lib.sqlite3_malloc.restype = ctypes.c_void_p
    lib.sqlite3_msize.argtypes = [ctypes.c_void_p]
    lib.sqlite3_msize.restype = ctypes.c_uint64
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    import sqlite3
    sqlite3.connect(":memory:").execute("CREATE TABLE t (x)")
    print(lib.sqlite3_msize(lib.sqlite3_malloc(1)), lib.sqlite3_memory_used() > 0)
""")


def test_opening_an_engine_leaves_sqlites_process_settings_alone(tmp_path: Path) -> None:
    # Python's sqlite3 module shares the process's SQLite with the engine: opening a store must not
    # change its allocator or turn off its memory statistics (tune_sqlite_process is C++ opt-in).
    def probe(*args: str) -> str:
        out = subprocess.run([sys.executable, "-c", _SQLITE_PROBE, *args], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    plain = probe("plain")
    assert plain.endswith("True")
    assert probe("engine", str(tmp_path / "e.sqlite")) == plain
