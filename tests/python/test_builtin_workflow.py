"""A built-in C++ workflow ("lifecycle") driven from Python: JSON commands, dict states, envelopes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import mako_engine as mk

REGISTER = {"type": "Register", "data": {"name": "x"}}


def test_lifecycle_is_registered() -> None:
    assert "lifecycle" in mk.registered_workflows()


def test_spawn_defaults(engine: mk.Engine) -> None:
    p = engine.spawn("lifecycle")
    assert p.workflow_id == mk.WorkflowId("lifecycle", mk.DEFAULT_FORMAT_VERSION)
    assert p.stream_id == f"process/{p.tenant_id}/{p.process_id}"
    assert p.identity().stream_id == p.stream_id
    assert p.is_builtin and p.workflow == "lifecycle"
    assert p.event_count() == 0
    assert p.state() == {"status": "New", "name": "", "activations": 0}
    other = engine.spawn("lifecycle")
    assert other.tenant_id != p.tenant_id  # a fresh tenant by default
    assert "lifecycle@FV2025-10-01" in repr(p)


def test_spawn_with_tenant_and_workflow_id(engine: mk.Engine) -> None:
    tenant = mk.TenantId.from_party_id("9900123456789")
    p = engine.spawn("lifecycle", tenant=tenant, workflow_id=mk.WorkflowId("lifecycle", "FV2024-04-03"))
    assert p.tenant_id == tenant and str(p.workflow_id) == "lifecycle@FV2024-04-03"
    q = engine.spawn("lifecycle", tenant=str(tenant), workflow_id="lifecycle")
    assert q.tenant_id == tenant


def test_unknown_builtin_is_not_found(engine: mk.Engine) -> None:
    with pytest.raises(mk.NotFound, match="lifecycle"):
        engine.spawn("no-such-workflow")


def test_execute_returns_stamped_envelopes(engine: mk.Engine) -> None:
    p = engine.spawn("lifecycle")
    before = dt.datetime.now(dt.timezone.utc)
    [e] = p.execute(REGISTER)
    assert isinstance(e, mk.EventEnvelope)
    assert e.sequence_number == 1 and e.stream_id == p.stream_id
    assert e.event_type == "Registered" and e.schema_version == 2
    assert e.payload == {"type": "Registered", "data": {"name": "x"}} and e.data == {"name": "x"}
    assert e.process_id == p.process_id and e.tenant_id == p.tenant_id and e.workflow_id == p.workflow_id
    assert e.conversation_id == mk.ConversationId(str(p.process_id))
    assert isinstance(e.correlation_id, mk.CorrelationId) and e.causation_id is None
    assert e.timestamp.tzinfo is not None and e.timestamp.utcoffset() == dt.timedelta(0)
    assert before - dt.timedelta(seconds=1) <= e.timestamp <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    doc = json.loads(e.to_json())
    assert list(doc) == ["event_id", "stream_id", "sequence_number", "timestamp", "correlation_id", "causation_id",
                         "conversation_id", "process_id", "tenant_id", "workflow_id", "event_type", "schema_version",
                         "payload"]
    assert mk.EventEnvelope.from_json(e.to_json()) == e
    assert "Registered" in repr(e)
    [a] = p.execute({"type": "Activate"})
    assert a.sequence_number == 2 and a.data is None
    assert p.state() == {"status": "Active", "name": "x", "activations": 1}
    assert [x.sequence_number for x in engine.load_stream(p.stream_id)] == [1, 2]


def test_refusal_is_classified_and_writes_nothing(engine: mk.Engine) -> None:
    p = engine.spawn("lifecycle")
    with pytest.raises(mk.EngineError) as info:
        p.execute({"type": "Activate"})
    err = info.value
    assert isinstance(err, mk.InvalidState) and isinstance(err, mk.WorkflowError)
    assert err.is_workflow_error() and err.is_invalid_state() and not err.is_version_conflict()
    assert not err.is_transient() and not err.is_rejected()
    wf = err.as_workflow_error()
    assert wf is err and (wf.expected, wf.actual) == ("Registered or Inactive", "New")
    assert str(err) == "invalid state: expected state Registered or Inactive, but the process is in state New"
    assert p.event_count() == 0
    with pytest.raises(mk.ValidationFailed, match="name must not be empty"):
        p.execute({"type": "Register", "data": {"name": ""}})


def test_malformed_command_is_invalid_input(engine: mk.Engine) -> None:
    p = engine.spawn("lifecycle")
    with pytest.raises(mk.InvalidInput, match="Command"):
        p.execute({"type": "Explode"})
    with pytest.raises(mk.SerializationError, match=r"command\.data\.name: object of type set"):
        p.execute({"type": "Register", "data": {"name": {1}}})


def test_execute_with_context(engine: mk.Engine) -> None:
    p = engine.spawn("lifecycle")
    corr = mk.CorrelationId.from_interchange_ref("A000123")
    cause = mk.CausationId()
    ctx = mk.CommandContext(correlation_id=corr, causation_id=cause, tenant_id=p.tenant_id, workflow_id=p.workflow_id)
    [e] = p.execute_with(REGISTER, ctx)
    assert e.correlation_id == corr and e.causation_id == cause
    with pytest.raises(mk.InvalidInput, match="tenant"):
        p.execute_with({"type": "Activate"}, mk.CommandContext(tenant_id=mk.TenantId()))
    assert p.event_count() == 1


def test_resume_from_identity_json(engine: mk.Engine) -> None:
    p = engine.spawn("lifecycle")
    p.execute(REGISTER)
    saved = p.identity().to_json()
    q = engine.resume("lifecycle", saved)
    assert q.identity() == p.identity() and q.state()["status"] == "Registered"
    q.execute({"type": "Activate"})
    assert p.state()["status"] == "Active"  # p folds what q appended


def test_version_conflict_and_retry(engine: mk.Engine) -> None:
    p = engine.spawn("lifecycle")
    p.execute(REGISTER)
    stale = engine.resume("lifecycle", p.identity())
    assert stale.state()["status"] == "Registered"  # cached at version 1
    p.execute({"type": "Activate"})
    p.execute({"type": "Deactivate"})
    # `stale` folds the two new events before deciding, so it never decides on stale state:
    [e] = stale.execute_with_retry({"type": "Activate"}, max_attempts=3)
    assert e.sequence_number == 4
    with pytest.raises(mk.InvalidInput):
        stale.execute_with_retry({"type": "Deactivate"}, max_attempts=0)


def test_snapshots(engine: mk.Engine) -> None:
    p = engine.spawn("lifecycle")
    assert not p.take_snapshot(1)  # nothing to snapshot yet
    p.execute(REGISTER)
    p.execute({"type": "Activate"})
    assert not p.take_snapshot(0)
    assert p.take_snapshot(2)
    assert not p.take_snapshot(2)  # no new events since
    p.execute({"type": "Deactivate"})
    assert p.state_with_snapshot() == p.state() == p.replay() == {"status": "Inactive", "name": "x", "activations": 1}
