"""The engine: where processes are spawned and resumed.

``Engine.open(path)`` keeps events and snapshots in a SQLite file (the default way to start);
``Engine.in_memory()`` keeps them in process memory. A process is driven through
:class:`mako_engine.Process` (``execute``, ``execute_with``, ``execute_with_retry``, ``state`` ...).
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Union

from . import _core
from ._core import EventEnvelope, Process, ProcessIdentity, PythonWorkflow, TenantId, WorkflowId
from ._workflow import FunctionWorkflow, workflow_format_version, workflow_name
from .history import HistoryMixin

__all__ = ["Engine", "WorkflowLike"]

#: What ``Engine.spawn``/``Engine.resume`` accept as a workflow.
WorkflowLike = Union[str, PythonWorkflow, type, Tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]], Any]


def _prepare(workflow: WorkflowLike) -> Tuple[Union[str, PythonWorkflow], str, str]:
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


def _tenant(tenant: Union[TenantId, str, None]) -> TenantId:
    if tenant is None:
        return TenantId.generate()
    return tenant if isinstance(tenant, TenantId) else TenantId(tenant)


class Engine(HistoryMixin):
    """An event store, a snapshot store and a clock; spawns and resumes processes.

    Its history as pandas DataFrames: :meth:`events`, :meth:`processes`, :meth:`deadlines`,
    :meth:`missed_deadlines`, :meth:`to_process_mining` (see :mod:`mako_engine.history`).

    Thread-safe: processes may be driven from several threads (the GIL is released during store I/O
    and C++ work). Several OS processes may open the same SQLite file; optimistic concurrency keeps
    each stream's sequence contiguous.

    Close it when done -- ``engine.close()`` or ``with mk.Engine.open(path) as engine:`` -- so that
    the ``.sqlite`` file alone holds everything (its WAL is written back and removed) and can be
    copied or archived on its own. Engines still open when the interpreter exits are closed then.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.Engine) -> None:
        """Wraps a ``_core.Engine``; use :meth:`open` or :meth:`in_memory` instead."""
        self._core = core

    @classmethod
    def open(
        cls,
        path: Union[str, "os.PathLike[str]"],
        durability: str = "durable",
        *,
        busy_timeout: float = 5.0,
        read_only: bool = False,
    ) -> "Engine":
        """Opens (creating if needed) the SQLite database at ``path``; snapshots live in the same file.

        ``durability``: ``"durable"`` (synchronous commit, survives power loss), ``"relaxed"`` (WAL
        without a sync per commit: survives a crash of the process, may lose the last commits on power
        loss) or ``"memory"`` (nothing on disk is kept safe; for tests). ``busy_timeout``: seconds to
        wait for another writer's lock before raising :class:`~mako_engine.StoreBusy`.
        """
        if not _core.HAVE_SQLITE:  # pragma: no cover - only when built without the SQLite store
            raise NotImplementedError("this build of mako_engine has no SQLite store")
        return cls(_core.Engine.open(os.fspath(path), durability, busy_timeout=busy_timeout, read_only=read_only))

    @classmethod
    def in_memory(cls) -> "Engine":
        """An engine keeping events and snapshots in process memory (tests, simulations)."""
        return cls(_core.Engine.in_memory())

    def spawn(
        self,
        workflow: WorkflowLike,
        tenant: Union[TenantId, str, None] = None,
        workflow_id: Union[WorkflowId, str, None] = None,
    ) -> Process:
        """Starts a new process of ``workflow`` and returns its handle.

        ``workflow``: the name of a built-in C++ workflow (see :func:`registered_workflows`), a
        workflow class (instantiated without arguments) or instance, an ``(initial_state, apply,
        handle)`` tuple, a :meth:`Workflow.from_functions` result or a prepared
        :class:`PythonWorkflow` (the fastest way to spawn many processes of one workflow).
        ``tenant``: default a fresh :class:`TenantId`. ``workflow_id``: default ``WorkflowId(<workflow
        name>, <its format_version or "FV2025-10-01">)``; a string is taken as the name.
        """
        core_workflow, name, fv = _prepare(workflow)
        if workflow_id is None:
            workflow_id = WorkflowId(name, fv)
        elif isinstance(workflow_id, str):
            workflow_id = WorkflowId(workflow_id, fv)
        process = self._core.spawn(core_workflow, _tenant(tenant), workflow_id)
        process._engine = self  # process.history() reads through it
        return process

    def resume(self, workflow: WorkflowLike, identity: Union[ProcessIdentity, str, dict]) -> Process:
        """Re-attaches to an existing process; ``identity`` is a :class:`ProcessIdentity`, its JSON
        text or its dict (as persisted from ``process.identity().to_json()``). Raises
        :class:`~mako_engine.NotFound` when the store holds no event of that process (under that
        tenant): :meth:`spawn` starts processes, resume never creates one."""
        core_workflow, _, _ = _prepare(workflow)
        if not isinstance(identity, ProcessIdentity):
            identity = ProcessIdentity.from_json(identity)
        process = self._core.resume(core_workflow, identity)
        process._engine = self
        return process

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """Groups every write this thread makes inside the ``with`` block into one transaction.

        On a SQLite engine the commands executed in the block -- their events, outbox messages,
        deadlines and registry keys -- commit together when the block ends (one commit, and in
        ``durable`` mode one fsync, instead of one per command), and nothing of them is kept when the
        block raises. Other threads' writes wait until the block ends; reads by this thread see the
        block's writes. Blocks nest (an inner block is a savepoint). An in-memory engine commits each
        write as it happens and cannot roll back.

        A :class:`Process` handle that executed inside a block that raised holds state that was
        never committed: its next ``execute_with_retry`` notices (a version conflict), drops that
        state and decides on what is committed; ``process.invalidate()`` does the same at once.
        """
        unit = self._core.begin_work_unit()
        try:
            yield
        except BaseException:
            unit.rollback()
            raise
        unit.commit()

    def close(self) -> None:
        """Closes the engine: a SQLite file gets everything in its write-ahead log written back into
        the ``.sqlite`` file (``wal_checkpoint(TRUNCATE)``) and its connections closed, so the file
        alone holds every event. Idempotent. Afterwards every use of the engine or of its processes
        raises :class:`~mako_engine.InvalidInput`. Refused inside :meth:`unit_of_work`."""
        self._core.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._core.closed

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def location(self) -> str:
        """The database path, or ``":memory:"``."""
        return self._core.location

    @property
    def durability(self) -> str:
        """``"durable"``, ``"relaxed"`` or ``"memory"``."""
        return self._core.durability

    def load_stream(self, stream_id: str, after_sequence: int = 0) -> List[EventEnvelope]:
        """The events of a stream with ``sequence_number > after_sequence``."""
        return self._core.load_stream(stream_id, after_sequence)

    def stream_version(self, stream_id: str) -> int:
        """The number of events in a stream (0 when it does not exist)."""
        return self._core.stream_version(stream_id)

    def read_all(self, after_position: int = 0, limit: int = 1000) -> List[EventEnvelope]:
        """Events of all streams after a global position, in commit order (at most ``limit``)."""
        return self._core.read_all(after_position, limit)

    def list_streams(self, prefix: str = "", after: Optional[str] = None, limit: int = 1000) -> Tuple[List[str], Optional[str]]:
        """One page of stream ids starting with ``prefix``: ``(stream_ids, next_cursor)``."""
        return self._core.list_streams(prefix, after, limit)

    def iter_streams(self, prefix: str = "", page_size: int = 1000) -> Iterator[str]:
        """All stream ids starting with ``prefix``, page by page."""
        cursor: Optional[str] = None
        while True:
            ids, cursor = self._core.list_streams(prefix, cursor, page_size)
            yield from ids
            if cursor is None:
                return

    def head_position(self) -> int:
        """The highest global position committed so far (0 when empty)."""
        return self._core.head_position()

    def runtime_counts(self) -> Dict[str, int]:
        """What waits and what was given up: ``outbox_pending`` (outbox messages not yet delivered),
        ``outbox_dead`` (given up after too many attempts) and ``dead_letters`` (unroutable or
        refused input). What ``mako-engine serve`` reports as gauges."""
        return dict(self._core.runtime_counts())

    def __repr__(self) -> str:
        closed = ", closed" if self.closed else ""
        return f"Engine(location={self.location!r}, durability={self.durability!r}{closed})"
