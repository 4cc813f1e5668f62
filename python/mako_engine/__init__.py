"""mako-engine: an event-sourced process engine for German energy market communication (MaKo).

The engine is C++; this package is its Python face. Quick start::

    import mako_engine as mk

    engine = mk.Engine.open("mako.sqlite")        # or "postgresql://user@host/db", or mk.Engine.in_memory()
    process = engine.spawn("lifecycle")           # a built-in C++ workflow, by name ...
    process.execute({"type": "Register", "data": {"name": "x"}})
    process.state()                               # {'status': 'Registered', ...}

    class Counter(mk.Workflow):                   # ... or a workflow written in Python
        def initial_state(self): return {"n": 0}
        def apply(self, state, event): return {"n": state["n"] + 1}
        def handle(self, state, command): return [{"type": "Incremented"}]

    counter = engine.spawn(Counter)
    counter.execute("inc")
    saved = counter.identity().to_json()          # persist; later:
    counter = engine.resume(Counter, saved)

See :mod:`mako_engine._workflow` for the workflow protocol and :mod:`mako_engine._errors` for the
error hierarchy. The market domain: :mod:`mako_engine.edifact` (parse/write EDI@Energy),
:mod:`mako_engine.identifiers` (MaLo/MP/MeLo-IDs), :mod:`mako_engine.calendar` (working days, Berlin
time, deadlines, format versions), :mod:`mako_engine.gpke` (the GPKE workflows by name and their
commands) and :mod:`mako_engine.market` (inbound pipeline, PID routes, simulation).
"""

from __future__ import annotations

import importlib.metadata as _metadata

# The compiled core; the domain layer, one module per concept (importing mako_engine registers the
# GPKE workflows: calendar, edifact, gpke, identifiers, market); the history for analysts: DataFrames,
# deadlines as data, Jupyter display, timeline plot, process-mining export (deadlines, display,
# history, process_mining, registry, timeline; pandas and matplotlib are imported only when used).
from . import _core, calendar, deadlines, display, edifact, gpke, history, identifiers, market, process_mining, registry, timeline
from ._core import (
    CausationId,
    CommandContext,
    ConversationId,
    CorrelationId,
    EventEnvelope,
    EventId,
    FormatVersion,
    ProcessId,
    ProcessIdentity,
    PythonWorkflow,
    TenantId,
    WorkflowId,
)
from ._engine import Engine, is_postgres_location, postgres_supported
from ._errors import (
    CommandRejected,
    CorruptStore,
    EngineError,
    InvalidInput,
    InvalidState,
    NotFound,
    OtherWorkflowError,
    SchemaTooNew,
    SerializationError,
    StorageError,
    StoreBusy,
    ValidationFailed,
    VersionConflict,
    WorkflowError,
    WorkflowNotImplemented,
)
from ._process import Process
from ._workflow import (
    DEFAULT_FORMAT_VERSION,
    DeadlineRequest,
    FunctionWorkflow,
    OutboundMessage,
    RegistryEntry,
    Workflow,
    WorkflowLike,
    WorkflowOutput,
)
from .display import EventsView
from .process_mining import to_process_mining
from .timeline import plot_timeline

# One version number, pyproject.toml's; the installed distribution's metadata carries it.
__version__ = _metadata.version("mako-engine")


def registered_workflows() -> list[str]:
    """Names of the built-in C++ workflows that :meth:`Engine.spawn` accepts (e.g. ``"lifecycle"``)."""
    return list(_core.registered_workflows())


__all__ = [
    "CausationId",
    "CommandContext",
    "CommandRejected",
    "ConversationId",
    "CorrelationId",
    "CorruptStore",
    "DEFAULT_FORMAT_VERSION",
    "DeadlineRequest",
    "Engine",
    "EngineError",
    "EventEnvelope",
    "EventId",
    "FormatVersion",
    "FunctionWorkflow",
    "EventsView",
    "InvalidInput",
    "InvalidState",
    "NotFound",
    "OtherWorkflowError",
    "OutboundMessage",
    "Process",
    "ProcessId",
    "ProcessIdentity",
    "PythonWorkflow",
    "RegistryEntry",
    "SchemaTooNew",
    "SerializationError",
    "StorageError",
    "StoreBusy",
    "TenantId",
    "ValidationFailed",
    "VersionConflict",
    "Workflow",
    "WorkflowError",
    "WorkflowId",
    "WorkflowLike",
    "WorkflowNotImplemented",
    "WorkflowOutput",
    "calendar",
    "deadlines",
    "display",
    "edifact",
    "gpke",
    "history",
    "identifiers",
    "is_postgres_location",
    "market",
    "plot_timeline",
    "postgres_supported",
    "process_mining",
    "registered_workflows",
    "registry",
    "timeline",
    "to_process_mining",
]
