"""The seed example in Python: one process through its life (compare examples/cpp/process_lifecycle.cpp).

Spawn a process of the built-in C++ workflow "lifecycle", register and activate it, take a snapshot,
"restart" (a new engine on the same SQLite file) and resume from the identity's JSON, execute with a
CommandContext built from the process, execute with retry, and classify the error of an Activate on a
new process. Run:  python examples/python/process_lifecycle.py [database path]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import mako_engine as mk


def main(db_path: Path) -> None:
    engine = mk.Engine.open(db_path)  # SQLite, durable; snapshots in the same file
    tenant = mk.TenantId.from_party_id("9900467000000")

    process = engine.spawn("lifecycle", tenant=tenant)
    print(f"spawned:             {process.stream_id}")
    process.execute({"type": "Register", "data": {"name": "Marktlokation 51238696781"}})
    events = process.execute({"type": "Activate"})
    print(f"after Activate:      {process.state()['status']} ({process.event_count()} events, "
          f"last: {events[-1].event_type} #{events[-1].sequence_number})")
    print(f"snapshot taken:      {process.take_snapshot(1)}")

    saved = process.identity().to_json()  # persist this; it is all a restart needs
    del process, engine

    engine = mk.Engine.open(db_path)  # "restart"
    process = engine.resume("lifecycle", mk.ProcessIdentity.from_json(saved))
    print(f"resumed:             {process.state_with_snapshot()['status']} ({process.event_count()} events)")

    context = mk.CommandContext(
        correlation_id=mk.CorrelationId.from_interchange_ref("A000123"),
        tenant_id=process.tenant_id,
        workflow_id=process.workflow_id,
    )
    [deactivated] = process.execute_with({"type": "Deactivate"}, context)
    print(f"execute_with:        {deactivated.event_type}, correlation {deactivated.correlation_id}")

    [activated] = process.execute_with_retry({"type": "Activate"}, max_attempts=3)
    print(f"execute_with_retry:  {activated.event_type} #{activated.sequence_number}, "
          f"activations {process.state()['activations']}")

    fresh = engine.spawn("lifecycle", tenant=tenant)
    try:
        fresh.execute({"type": "Activate"})
    except mk.EngineError as error:
        print(f"is_workflow_error:   {str(error.is_workflow_error()).lower()}")
        workflow_error = error.as_workflow_error()
        assert workflow_error is not None
        print(f"is_invalid_state:    {str(workflow_error.is_invalid_state()).lower()} "
              f"(expected {workflow_error.expected}, actual {workflow_error.actual})")
        print(f"is_version_conflict: {str(error.is_version_conflict()).lower()}")
    print(f"fresh process:       {fresh.event_count()} events (nothing written)")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp) / "lifecycle.sqlite")
