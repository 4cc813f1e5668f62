"""The package surface: exports, docstrings, stubs, error hierarchy, reprs."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import mako_engine as mk
from mako_engine import _core

PACKAGE = Path(mk.__file__).resolve().parent


def test_typed_package_ships_stubs() -> None:
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "_core.pyi").exists()


def test_stub_declares_every_public_core_name() -> None:
    tree = ast.parse((PACKAGE / "_core.pyi").read_text())
    declared = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    declared |= {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target] if isinstance(t, ast.Name)}
    public = {n for n in dir(_core) if not n.startswith("__")}
    assert public - declared == set()


@pytest.mark.parametrize("name", mk.__all__)
def test_every_public_name_has_a_docstring(name: str) -> None:
    obj = getattr(mk, name)
    if isinstance(obj, str) or name == "WorkflowLike":
        return
    assert inspect.getdoc(obj), name
    if inspect.isclass(obj):
        for attr, member in vars(obj).items():
            if attr.startswith("_") or not callable(member):
                continue
            assert inspect.getdoc(getattr(obj, attr)), f"{name}.{attr}"


def test_error_hierarchy() -> None:
    assert issubclass(mk.VersionConflict, mk.EngineError)
    for cls in (mk.InvalidState, mk.CommandRejected, mk.ValidationFailed, mk.WorkflowNotImplemented, mk.OtherWorkflowError):
        assert issubclass(cls, mk.WorkflowError) and issubclass(cls, mk.EngineError)
    assert issubclass(mk.InvalidInput, ValueError) and issubclass(mk.SerializationError, ValueError)
    assert issubclass(mk.NotFound, LookupError)
    for cls in (mk.StoreBusy, mk.CorruptStore, mk.SchemaTooNew):
        assert issubclass(cls, mk.StorageError)
    assert mk.StoreBusy("x").is_transient() and mk.VersionConflict("x").is_transient()
    assert not mk.CorruptStore("x").is_transient() and mk.CorruptStore("x").is_storage_error()
    e = mk.WorkflowError.invalid_state("A", "B")
    assert isinstance(e, mk.InvalidState) and e.is_invalid_state() and e.as_workflow_error() is e
    assert str(e) == "invalid state: expected state A, but the process is in state B"
    assert repr(e) == "InvalidState(expected='A', actual='B')"
    assert mk.WorkflowError.rejected("no").is_rejected()
    assert mk.WorkflowError.validation("v").is_validation()
    assert mk.WorkflowError.not_implemented("n").is_not_implemented()
    assert mk.WorkflowError.other("o").is_other()
    assert mk.InvalidInput("bad").as_workflow_error() is None


def test_sqlite_errors_are_classified(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(mk.StorageError) as info:
        mk.Engine.open(junk)
    assert info.value.is_storage_error()
    with pytest.raises(mk.InvalidInput, match="durab"):
        mk.Engine.open(tmp_path / "x.sqlite", durability="sometimes")
    engine = mk.Engine.open(tmp_path / "ro.sqlite")
    engine.spawn("lifecycle").execute({"type": "Register", "data": {"name": "x"}})
    ro = mk.Engine.open(tmp_path / "ro.sqlite", read_only=True)
    with pytest.raises(mk.StorageError):
        ro.spawn("lifecycle").execute({"type": "Register", "data": {"name": "y"}})


def test_reprs_help_in_a_repl(tmp_path: Path) -> None:
    engine = mk.Engine.open(tmp_path / "r.sqlite")
    assert repr(engine) == f"Engine(location={str(tmp_path / 'r.sqlite')!r}, durability='durable')"
    p = engine.spawn("lifecycle")
    assert repr(p).startswith("<Process lifecycle@FV2025-10-01 (built-in) stream_id='process/") and "events=0" in repr(p)
    assert repr(p.identity()).startswith("ProcessIdentity(stream_id='process/")
    assert repr(mk.Engine.in_memory()) == "Engine(location=':memory:', durability='memory')"


def test_engine_log_access(tmp_path: Path) -> None:
    engine = mk.Engine.open(tmp_path / "log.sqlite")
    procs = [engine.spawn("lifecycle") for _ in range(3)]
    for p in procs:
        p.execute({"type": "Register", "data": {"name": "x"}})
    assert engine.head_position() == 3
    assert sorted(engine.iter_streams("process/", page_size=2)) == sorted(p.stream_id for p in procs)
    assert [e.global_position for e in engine.read_all(1, 10)] == [2, 3]
    assert engine.stream_version(procs[0].stream_id) == 1
