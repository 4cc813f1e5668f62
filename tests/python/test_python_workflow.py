"""Workflows written in Python, run by the C++ process machinery."""

from __future__ import annotations

import dataclasses
import datetime as dt
import traceback
from typing import Any, ClassVar

import pytest

import mako_engine as mk

from conftest import Counter

ADD = {"kind": "add", "by": 2}


def test_class_instance_and_class(engine: mk.Engine) -> None:
    for wf in (Counter, Counter()):
        p = engine.spawn(wf)
        assert p.workflow_id == mk.WorkflowId("counter", "FV2025-10-01") and not p.is_builtin
        [e] = p.execute(ADD)
        assert e.payload == {"type": "Added", "data": {"by": 2}} and e.sequence_number == 1
        p.execute({"kind": "add", "by": 3})
        assert p.state() == {"count": 5, "log": [2, 3]}
        assert p.event_count() == 2


def test_triple_of_callables_and_from_functions(engine: mk.Engine) -> None:
    def apply(state: int, event: dict) -> int:
        return state + event["data"]["n"]

    def handle(state: int, command: int) -> list:
        return [{"type": "Added", "data": {"n": command}}]

    p = engine.spawn((lambda: 0, apply, handle))
    p.execute(4)
    p.execute(5)
    assert p.state() == 9 and p.workflow_id.name == "workflow"
    wf = mk.Workflow.from_functions(0, apply, handle, name="adder", format_version="FV2024-04-03")
    q = engine.spawn(wf)
    q.execute(1)
    assert q.state() == 1 and str(q.workflow_id) == "adder@FV2024-04-03"
    assert engine.resume(wf, q.identity().to_json()).state() == 1


def test_state_is_a_copy(engine: mk.Engine) -> None:
    p = engine.spawn(Counter)
    p.execute(ADD)
    s = p.state()
    s["log"].append(99)
    assert p.state() == {"count": 2, "log": [2]}


def test_no_events_writes_nothing(engine: mk.Engine) -> None:
    p = engine.spawn(Counter)
    assert p.execute({"kind": "noop"}) == []
    assert p.event_count() == 0


@pytest.mark.parametrize(
    "command, exc, predicate",
    [
        ({"kind": "add", "by": 0}, mk.ValidationFailed, "is_validation"),
        ({"kind": "reset"}, mk.InvalidState, "is_invalid_state"),
        ({"kind": "fly"}, mk.WorkflowNotImplemented, "is_not_implemented"),
    ],
)
def test_workflow_errors_are_classified_like_cpp(engine: mk.Engine, command: dict, exc: type, predicate: str) -> None:
    p = engine.spawn(Counter)
    with pytest.raises(exc) as info:
        p.execute(command)
    err = info.value
    assert err.is_workflow_error() and getattr(err.as_workflow_error(), predicate)()
    assert err.kind == "workflow"
    assert p.event_count() == 0


def test_raised_invalid_state_keeps_expected_and_actual(engine: mk.Engine) -> None:
    p = engine.spawn(Counter)
    with pytest.raises(mk.EngineError) as info:
        p.execute({"kind": "reset"})
    assert info.value.is_invalid_state()
    assert (info.value.expected, info.value.actual) == ("Counting", "Zero")
    with pytest.raises(mk.CommandRejected) as rejected:
        engine.spawn((dict, lambda s, e: s, lambda s, c: (_ for _ in ()).throw(mk.CommandRejected("closed")))).execute(1)
    assert rejected.value.is_rejected() and rejected.value.reason == "closed"
    with pytest.raises(mk.OtherWorkflowError):
        engine.spawn((dict, lambda s, e: s, lambda s, c: (_ for _ in ()).throw(mk.WorkflowError.other("x")))).execute(1)


class Flaky(Counter):
    """Raises ordinary exceptions from handle or apply on request."""

    def handle(self, state: dict, command: dict) -> list:
        if command["kind"] == "crash":
            raise KeyError("crash in handle")
        if command["kind"] == "poison":
            return [{"type": "Poison"}]
        return super().handle(state, command)


def test_other_exception_in_handle_keeps_type_and_traceback(engine: mk.Engine) -> None:
    p = engine.spawn(Flaky)
    p.execute(ADD)
    with pytest.raises(KeyError, match="crash in handle") as info:
        p.execute({"kind": "crash"})
    frames = [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    assert "handle" in frames
    assert p.event_count() == 1 and p.state() == {"count": 2, "log": [2]}


def test_exception_in_apply_of_new_events(engine: mk.Engine) -> None:
    # handle emits an event apply cannot take: apply runs after the append, so the event is stored
    # (apply must accept whatever handle emits); the error surfaces with its type and the cached
    # state is dropped, so the next call re-folds and fails the same way instead of deciding on a
    # half-applied state.
    p = engine.spawn(Flaky)
    p.execute(ADD)
    with pytest.raises(ValueError, match="unknown event"):
        p.execute({"kind": "poison"})
    with pytest.raises(ValueError, match="unknown event"):
        p.state()


def test_exception_in_apply_during_fold_leaves_stream_untouched(engine: mk.Engine) -> None:
    p = engine.spawn(Counter)
    p.execute(ADD)
    p.execute(ADD)
    calls = {"n": 0}

    def apply(state: dict, event: dict) -> dict:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("apply failed")
        return Counter().apply(state, event)

    broken = mk.Workflow.from_functions(Counter().initial_state, apply, Counter().handle, name="counter")
    q = engine.resume(broken, p.identity())
    with pytest.raises(RuntimeError, match="apply failed"):
        q.execute(ADD)
    assert q.event_count() == 2
    assert q.state() == {"count": 4, "log": [2, 2]}  # the failed fold was discarded, not half-kept
    q.execute(ADD)
    assert q.event_count() == 3


def test_apply_returning_none_is_a_type_error(engine: mk.Engine) -> None:
    p = engine.spawn((dict, lambda s, e: None, lambda s, c: [{"type": "X"}]))
    with pytest.raises(TypeError, match="returned None"):
        p.execute(1)


def test_bad_handle_results(engine: mk.Engine) -> None:
    p = engine.spawn((dict, lambda s, e: s, lambda s, c: c))
    with pytest.raises(TypeError, match="must return a list"):
        p.execute("not a list")
    with pytest.raises(mk.SerializationError, match=r"events\[0\]: an event must be a dict"):
        p.execute([42])
    with pytest.raises(mk.SerializationError, match=r"events\[0\]: an event dict needs a string 'type'"):
        p.execute([{"data": {}}])
    assert p.event_count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"when": dt.datetime(2025, 1, 1)}, "events[1].data.when: object of type datetime.datetime is not JSON serialisable"),
        ({"tags": {"a"}}, "events[1].data.tags: object of type set is not JSON serialisable"),
        ({"xs": [1, object()]}, "events[1].data.xs[1]: object of type object is not JSON serialisable"),
        ({"n": float("nan")}, "events[1].data.n: float nan is not allowed in JSON"),
        ({1: "x"}, "events[1].data: dict key 1 is not a string"),
    ],
)
def test_unserialisable_payload_names_the_path(engine: mk.Engine, data: dict, message: str) -> None:
    p = engine.spawn((dict, lambda s, e: s, lambda s, c: [{"type": "Ok"}, {"type": "Bad", "data": c}]))
    with pytest.raises(mk.SerializationError) as info:
        p.execute(data)
    assert str(info.value).startswith(message), str(info.value)
    assert isinstance(info.value, ValueError)
    assert p.event_count() == 0


@dataclasses.dataclass
class Opened:
    by: str


@dataclasses.dataclass
class Closed:
    pass


@dataclasses.dataclass
class Renamed:
    event_type: ClassVar[str] = "NameChanged"
    schema_version: ClassVar[int] = 3
    name: str


@dataclasses.dataclass
class Door:
    open: bool = False
    opened_by: list = dataclasses.field(default_factory=list)
    name: str = ""


class DoorWorkflow(mk.Workflow):
    name = "door"
    event_types = (Opened, Closed, Renamed)

    def initial_state(self) -> Door:
        return Door()

    def apply(self, state: Door, event: Any) -> Door:
        if isinstance(event, Opened):
            return dataclasses.replace(state, open=True, opened_by=[*state.opened_by, event.by])
        if isinstance(event, Closed):
            return dataclasses.replace(state, open=False)
        if isinstance(event, Renamed):
            return dataclasses.replace(state, name=event.name)
        raise TypeError(f"unexpected {event!r}")

    def handle(self, state: Door, command: str) -> list:
        if command == "open":
            return [Opened(by="alice")]
        if command == "rename":
            return [Renamed("front")]
        return [Closed()]


def test_dataclass_events_and_state(engine: mk.Engine) -> None:
    p = engine.spawn(DoorWorkflow)
    [o] = p.execute("open")
    assert o.payload == {"type": "Opened", "data": {"by": "alice"}} and o.schema_version == 1
    [c] = p.execute("close")
    assert c.payload == {"type": "Closed"}
    [r] = p.execute("rename")
    assert r.event_type == "NameChanged" and r.schema_version == 3 and r.data == {"name": "front"}
    assert p.state() == Door(open=False, opened_by=["alice"], name="front")
    assert p.take_snapshot(1)
    q = engine.resume(DoorWorkflow, p.identity())
    assert q.state_with_snapshot() == Door(open=False, opened_by=["alice"], name="front")
    assert q.state() == p.state()


def test_dataclass_events_arrive_as_dicts_without_event_types(engine: mk.Engine) -> None:
    seen = []

    def apply(state: dict, event: Any) -> dict:
        seen.append(event)
        return state

    p = engine.spawn((dict, apply, lambda s, c: [Opened(by="bob"), Closed()]))
    p.execute(None)
    engine.resume((dict, apply, lambda s, c: []), p.identity()).state()
    assert seen[-2:] == [{"type": "Opened", "data": {"by": "bob"}}, {"type": "Closed"}]


class Versioned(mk.Workflow):
    """Schema 1 of 'Registered' carried 'label'; upcast renames it to 'name'."""

    name = "versioned"
    event_schema_versions: ClassVar[dict[str, int]] = {"Registered": 2}

    def __init__(self, state_schema_version: int = 1) -> None:
        self.state_schema_version = state_schema_version
        self.upcasts: list = []

    def initial_state(self) -> dict:
        return {"name": None, "applied": 0}

    def upcast(self, event_type: str, schema_version: int, payload: dict) -> dict:
        self.upcasts.append((event_type, schema_version))
        if event_type == "Registered" and schema_version < 2:
            return {"type": "Registered", "data": {"name": payload["data"]["label"]}}
        return payload

    def apply(self, state: dict, event: dict) -> dict:
        return {"name": event["data"]["name"], "applied": state["applied"] + 1}

    def handle(self, state: dict, command: Any) -> list:
        if command == "old":  # writes a schema-1 event, as an old version of the workflow did
            return [{"type": "Registered", "data": {"label": "legacy"}}]
        return [{"type": "Registered", "data": {"name": command}}]


def test_upcast_and_event_schema_versions(engine: mk.Engine) -> None:
    old = mk.Workflow.from_functions(
        lambda: {"name": None, "applied": 0},
        lambda s, e: {"name": e["data"].get("label"), "applied": s["applied"] + 1},
        lambda s, c: [{"type": "Registered", "data": {"label": "legacy"}}],
        name="versioned",
    )
    p = engine.spawn(old)
    [e] = p.execute(None)
    assert e.schema_version == 1
    wf = Versioned()
    q = engine.resume(wf, p.identity())
    assert q.state() == {"name": "legacy", "applied": 1}
    assert ("Registered", 1) in wf.upcasts
    [e2] = q.execute("new")
    assert e2.schema_version == 2


def test_state_schema_version_ignores_old_snapshots(engine: mk.Engine) -> None:
    p = engine.spawn(Versioned(1))
    p.execute("a")
    p.execute("b")
    assert p.take_snapshot(1)
    v1 = Versioned(1)
    assert engine.resume(v1, p.identity()).state_with_snapshot() == {"name": "b", "applied": 2}
    assert v1.upcasts == []  # started from the snapshot: nothing folded
    v2 = Versioned(2)
    assert engine.resume(v2, p.identity()).state_with_snapshot() == {"name": "b", "applied": 2}
    assert len(v2.upcasts) == 2  # snapshot of schema 1 ignored: full replay


def test_custom_state_json(engine: mk.Engine) -> None:
    class Box:
        def __init__(self, items: frozenset) -> None:
            self.items = items

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Box) and other.items == self.items

    class SetWorkflow(mk.Workflow):
        def initial_state(self) -> Box:
            return Box(frozenset())

        def apply(self, state: Box, event: dict) -> Box:
            return Box(state.items | {event["data"]["item"]})

        def handle(self, state: Box, command: str) -> list:
            return [{"type": "Added", "data": {"item": command}}]

        def state_to_json(self, state: Box) -> list:
            return sorted(state.items)

        def state_from_json(self, data: list) -> Box:
            return Box(frozenset(data))

    p = engine.spawn(SetWorkflow)
    p.execute("a")
    p.execute("b")
    assert p.take_snapshot(1)
    assert engine.resume(SetWorkflow, p.identity()).state_with_snapshot() == Box(frozenset({"a", "b"}))

    class Unserialisable(SetWorkflow):
        state_to_json = None  # falls back to plain JSON conversion, which refuses a Box

    q = engine.spawn(Unserialisable)
    q.execute("a")
    with pytest.raises(mk.SerializationError, match="state: object of type"):
        q.take_snapshot(1)


def test_workflow_output_with_messages_deadlines_registrations(engine: mk.Engine) -> None:
    due = dt.datetime(2025, 10, 2, 12, 0, tzinfo=dt.timezone.utc)

    def handle(state: dict, command: str) -> Any:
        if command == "naive":
            return mk.WorkflowOutput(events=[{"type": "X"}], deadlines=[mk.DeadlineRequest("d", dt.datetime(2025, 1, 1))])
        if command == "only-message":
            return mk.WorkflowOutput(messages=[mk.OutboundMessage("Step", "4012345000023", "APERAK")])
        return mk.WorkflowOutput(
            events=[{"type": "Received", "data": {"ref": "A1"}}],
            messages=[mk.OutboundMessage("DispatchAperak", "4012345000023", "APERAK", {"ok": True})],
            deadlines=[mk.DeadlineRequest("answer", due, {"type": "Timeout"})],
            registrations=[mk.RegistryEntry("malo", "51238696781")],
        )

    p = engine.spawn((dict, lambda s, e: s, handle))
    [e] = p.execute("go")
    assert e.event_type == "Received" and p.event_count() == 1
    with pytest.raises(mk.InvalidInput, match=r"deadlines\[0\]\.due: a timezone-aware datetime"):
        p.execute("naive")
    with pytest.raises(mk.InvalidInput, match="at least one event"):
        p.execute("only-message")
    assert p.event_count() == 1


def test_missing_methods_are_refused(engine: mk.Engine) -> None:
    class NoHandle:
        def initial_state(self) -> dict:
            return {}

        def apply(self, s: dict, e: dict) -> dict:
            return s

    with pytest.raises(TypeError, match="no callable 'handle'"):
        engine.spawn(NoHandle)
    with pytest.raises(TypeError, match=r"\(initial_state, apply, handle\)"):
        engine.spawn((dict, dict))


def test_prepared_python_workflow_is_reusable(engine: mk.Engine) -> None:
    prepared = mk.PythonWorkflow(Counter())
    procs = [engine.spawn(prepared) for _ in range(3)]
    for i, p in enumerate(procs):
        for _ in range(i + 1):
            p.execute(ADD)
    assert [p.state()["count"] for p in procs] == [2, 4, 6]
    assert procs[0].workflow_id.name == "counter"


def test_version_conflict_is_raised_and_retried(engine: mk.Engine) -> None:
    """handle() of the first writer lets a second writer append first: a real version conflict."""
    state: dict = {"interfere": 0}
    holder: dict = {}

    def handle(s: int, command: str) -> list:
        if command == "mine" and state["interfere"] > 0:
            state["interfere"] -= 1
            holder["other"].execute("other")
        return [{"type": "Did", "data": {"what": command}}]

    wf = mk.Workflow.from_functions(0, lambda s, e: s + 1, handle, name="racer")
    p = engine.spawn(wf)
    p.execute("first")  # resumable from its first event on
    holder["other"] = engine.resume(wf, p.identity())
    state["interfere"] = 1
    with pytest.raises(mk.VersionConflict) as info:
        p.execute("mine")
    err = info.value
    assert err.is_version_conflict() and err.is_transient() and not err.is_workflow_error()
    assert err.as_workflow_error() is None and err.actual == 2
    assert p.event_count() == 2

    state["interfere"] = 2
    events = p.execute_with_retry("mine", max_attempts=3)
    assert [e.sequence_number for e in events] == [5]
    assert p.event_count() == 5 and p.state() == 5
    state["interfere"] = 5
    with pytest.raises(mk.VersionConflict):
        p.execute_with_retry("mine", max_attempts=2)
