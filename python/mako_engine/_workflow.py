"""Workflows written in Python.

A workflow is pure code with three parts, the same as in C++::

    class Counter(mako_engine.Workflow):
        name = "counter"

        def initial_state(self):
            return {"count": 0}

        def apply(self, state, event):          # returns the new state
            return {"count": state["count"] + event["data"]["by"]}

        def handle(self, state, command):       # returns the events (or a WorkflowOutput)
            if command["by"] <= 0:
                raise mako_engine.ValidationFailed("by must be positive")
            return [{"type": "Added", "data": {"by": command["by"]}}]

Deriving from :class:`Workflow` is optional: any object with ``initial_state``, ``apply`` and
``handle`` works, and so does ``Workflow.from_functions(initial_state, apply, handle)`` or a plain
``(initial_state, apply, handle)`` tuple passed to ``Engine.spawn``.

**Events** are dicts in the JSON shape the C++ workflows use, ``{"type": "Added", "data": {...}}``
(no ``"data"`` for unit events), or dataclass instances: an instance of ``@dataclass class Added``
is stored as ``{"type": "Added", "data": dataclasses.asdict(event)}`` (a class attribute
``event_type`` overrides the name, a class attribute ``schema_version`` sets the event's schema
version). ``apply`` receives events back as dicts -- unless the workflow lists the event classes
in ``event_types``; then events of those types arrive as ``cls(**data)`` (``cls()`` for unit
events). Nested dataclasses inside ``data`` come back as dicts.

**Commands** are passed to ``handle`` exactly as given to ``execute`` (any Python object); the
built-in C++ workflows take JSON-shaped dicts instead.

**Status**: an optional ``status(state) -> str`` names the process's status for analysts
(``"confirmed"``, ``"awaiting answer"`` ...): ``process.status()``, the ``status`` column of
``engine.processes()``, the process card in Jupyter and ``mako-engine processes`` show it. Without
it (or when it returns ``None``) the status is ``unknown``.

**Old events**: an optional ``upcast(event_type, schema_version, payload) -> payload`` rewrites a
stored payload before it is decoded and applied.

**State snapshots** need the state as JSON: dict/list states work as they are, dataclass states via
``dataclasses.asdict`` and back via ``state_type(**json)`` (``state_type`` defaults to the class of
``initial_state()``); anything else provides ``state_to_json``/``state_from_json``. Bump
``state_schema_version`` when the state's shape changes: older snapshots are then ignored.

The engine (C++) does the loading, folding, appending, retrying and snapshots; Python runs only
the workflow's own functions, with the GIL held.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any, Callable, ClassVar, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from ._core import PythonWorkflow

__all__ = [
    "DEFAULT_FORMAT_VERSION",
    "Workflow",
    "FunctionWorkflow",
    "WorkflowOutput",
    "OutboundMessage",
    "DeadlineRequest",
    "RegistryEntry",
    "workflow_name",
    "workflow_format_version",
    "WorkflowLike",
    "prepare_workflow",
]

#: The format version a workflow gets when it does not name one (defined in the compiled module).
DEFAULT_FORMAT_VERSION: str = _core.DEFAULT_FORMAT_VERSION

Event = Union[Mapping[str, Any], Any]


@dataclasses.dataclass(frozen=True)
class OutboundMessage:
    """A message for the outbox, committed with the events; delivered at least once.

    ``idempotency_key`` is filled by the engine when empty (UUIDv5 over process, step, recipient and
    format version), so a retried command does not send twice.
    """

    step: str
    recipient: str
    message_type: str
    payload: Any = None
    idempotency_key: str = ""


@dataclasses.dataclass(frozen=True)
class DeadlineRequest:
    """At ``due`` (a timezone-aware datetime), deliver ``command`` to the process, at most once."""

    name: str
    due: _dt.datetime
    command: Any = None


@dataclasses.dataclass(frozen=True)
class RegistryEntry:
    """Makes the process findable by a tenant-scoped key, e.g. ``RegistryEntry("malo", malo_id)``."""

    kind: str
    key: str


@dataclasses.dataclass
class WorkflowOutput:
    """What ``handle`` may return instead of a plain event list: events plus outbound messages,
    deadlines and registry entries, all persisted in one transaction with the events."""

    events: List[Event] = dataclasses.field(default_factory=list)
    messages: List[OutboundMessage] = dataclasses.field(default_factory=list)
    deadlines: List[DeadlineRequest] = dataclasses.field(default_factory=list)
    registrations: List[RegistryEntry] = dataclasses.field(default_factory=list)


class Workflow:
    """Optional base class of Python workflows (documents the protocol, gives defaults).

    Class attributes: ``name`` (default: the class name), ``format_version`` (default
    ``"FV2025-10-01"``), ``state_schema_version`` (default 1), ``event_types`` (event classes that
    ``apply`` receives as dataclasses), ``event_schema_versions`` (``{type: version}``).
    """

    name: ClassVar[Optional[str]] = None
    format_version: ClassVar[str] = DEFAULT_FORMAT_VERSION
    state_schema_version: ClassVar[int] = 1

    def initial_state(self) -> Any:
        """The state of a process without events (default: an empty dict)."""
        return {}

    def apply(self, state: Any, event: Any) -> Any:
        """Returns the state after ``event``. Must be deterministic and must not fail on stored events."""
        raise NotImplementedError(f"{type(self).__name__}.apply")

    def handle(self, state: Any, command: Any) -> Union[Sequence[Event], WorkflowOutput, None]:
        """Decides on ``command``: returns the events (or a :class:`WorkflowOutput`); raises a
        :class:`~mako_engine.WorkflowError` subclass to refuse."""
        raise NotImplementedError(f"{type(self).__name__}.handle")

    def status(self, state: Any) -> Optional[str]:
        """The process's status in this ``state``, as analysts should see it (e.g. ``"confirmed"``);
        ``None`` (the default) means unknown. Must be deterministic and cheap."""
        return None

    @staticmethod
    def from_functions(
        initial_state: Union[Callable[[], Any], Any],
        apply: Callable[[Any, Any], Any],
        handle: Callable[[Any, Any], Any],
        *,
        name: str = "workflow",
        format_version: str = DEFAULT_FORMAT_VERSION,
        upcast: Optional[Callable[[str, int, Any], Any]] = None,
        state_schema_version: int = 1,
        event_types: Optional[Iterable[type]] = None,
        status: Optional[Callable[[Any], Optional[str]]] = None,
    ) -> FunctionWorkflow:
        """A workflow made of three plain functions. ``initial_state`` may also be a value (each
        process starts from a deep copy of it)."""
        return FunctionWorkflow(
            initial_state,
            apply,
            handle,
            name=name,
            format_version=format_version,
            upcast=upcast,
            state_schema_version=state_schema_version,
            event_types=event_types,
            status=status,
        )


class FunctionWorkflow:
    """A workflow made of plain callables (see :meth:`Workflow.from_functions`).

    The functions are stored as instance attributes, so the engine calls them directly (no bound
    method in between).
    """

    def __init__(
        self,
        initial_state: Union[Callable[[], Any], Any],
        apply: Callable[[Any, Any], Any],
        handle: Callable[[Any, Any], Any],
        *,
        name: str = "workflow",
        format_version: str = DEFAULT_FORMAT_VERSION,
        upcast: Optional[Callable[[str, int, Any], Any]] = None,
        state_schema_version: int = 1,
        event_types: Optional[Iterable[type]] = None,
        status: Optional[Callable[[Any], Optional[str]]] = None,
    ) -> None:
        if callable(initial_state):
            self.initial_state = initial_state
        else:
            import copy

            value = initial_state
            self.initial_state = lambda: copy.deepcopy(value)
        if not callable(apply) or not callable(handle):
            raise TypeError("apply and handle must be callables")
        self.apply = apply
        self.handle = handle
        self.name = name
        self.format_version = format_version
        self.state_schema_version = state_schema_version
        if upcast is not None:
            self.upcast = upcast
        if status is not None:
            self.status = status
        if event_types is not None:
            self.event_types = tuple(event_types)

    def __repr__(self) -> str:
        return f"FunctionWorkflow(name={self.name!r}, format_version={self.format_version!r})"


def workflow_name(workflow: Any) -> str:
    """The workflow's ``name`` attribute, else its class name."""
    name = getattr(workflow, "name", None)
    if isinstance(name, str) and name:
        return name
    cls = workflow if isinstance(workflow, type) else type(workflow)
    return cls.__name__


def workflow_format_version(workflow: Any) -> str:
    """The workflow's ``format_version`` attribute, else :data:`DEFAULT_FORMAT_VERSION`."""
    fv = getattr(workflow, "format_version", None)
    return str(fv) if fv else DEFAULT_FORMAT_VERSION


#: What ``Engine.spawn``/``Engine.resume`` accept as a workflow.
WorkflowLike = Union[str, PythonWorkflow, type, Tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]], Any]


def prepare_workflow(workflow: WorkflowLike) -> Tuple[Union[str, PythonWorkflow], str, str]:
    """Returns (what _core spawns, workflow name, default format version)."""
    if isinstance(workflow, str):
        return workflow, workflow, _core.DEFAULT_FORMAT_VERSION
    if isinstance(workflow, PythonWorkflow):
        obj = workflow.workflow
        return workflow, workflow_name(obj), workflow_format_version(obj)
    if isinstance(workflow, tuple):
        if len(workflow) != 3:
            raise TypeError("a workflow tuple must be (initial_state, apply, handle)")
        workflow = FunctionWorkflow(*workflow)
    elif isinstance(workflow, type):
        workflow = workflow()
    return PythonWorkflow(workflow), workflow_name(workflow), workflow_format_version(workflow)
