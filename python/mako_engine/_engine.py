"""The engine: where processes are spawned and resumed.

``Engine.open(path)`` keeps events and snapshots in a SQLite file (the default way to start);
``Engine.open("postgresql://user@host/db")`` in a PostgreSQL database (docs/postgresql.md);
``Engine.in_memory()`` keeps them in process memory. A process is driven through
:class:`mako_engine.Process` (``execute``, ``execute_with``, ``execute_with_retry``, ``state`` ...).
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from . import _core
from ._core import EventEnvelope, ProcessIdentity, TenantId, WorkflowId
from ._frames import Filter, TimeLike
from ._process import Process, adopt
from ._workflow import WorkflowLike, prepare_workflow
from .deadlines import deadlines as _deadlines
from .deadlines import missed_deadlines as _missed_deadlines
from .history import events as _events
from .history import processes as _processes
from .process_mining import to_process_mining as _to_process_mining

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from typing_extensions import Self  # annotations only: not a runtime dependency

__all__ = ["Engine", "WorkflowLike", "is_postgres_location", "postgres_supported"]


def is_postgres_location(location: Union[str, os.PathLike[str]]) -> bool:
    """Whether :meth:`Engine.open` takes ``location`` as a PostgreSQL connection string
    (``postgresql://...``, ``postgres://...`` or libpq's ``key=value`` form starting with a libpq
    keyword such as ``host=``) rather than a SQLite path."""
    return _core.is_postgres_location(os.fspath(location))


def postgres_supported() -> bool:
    """Whether this build holds the PostgreSQL store (libpq was found when it was built)."""
    return _core.postgres_supported()

def _tenant(tenant: Union[TenantId, str, None]) -> TenantId:
    if tenant is None:
        return TenantId.generate()
    return tenant if isinstance(tenant, TenantId) else TenantId(tenant)


class Engine:
    """An event store, a snapshot store and a clock; spawns and resumes processes.

    Its history as pandas DataFrames: :meth:`events`, :meth:`processes`, :meth:`deadlines`,
    :meth:`missed_deadlines`, :meth:`to_process_mining` (the functions of :mod:`mako_engine.history`,
    :mod:`mako_engine.deadlines` and :mod:`mako_engine.process_mining` on this engine).

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
        location: Union[str, os.PathLike[str]],
        durability: str = "durable",
        *,
        busy_timeout: float = 5.0,
        read_only: bool = False,
        schema: Optional[str] = None,
    ) -> Engine:
        """Opens (creating if needed) the store at ``location``; snapshots live in the same store.

        ``location`` is a PostgreSQL connection string -- ``"postgresql://user:pw@host:5432/db"``,
        ``"postgres://..."`` or libpq's ``"host=... dbname=..."`` (:func:`is_postgres_location`) --
        or else the path of a SQLite file. ``busy_timeout``: seconds a write waits for another
        writer's lock before raising :class:`~mako_engine.StoreBusy`.

        SQLite only: ``durability`` ``"durable"`` (synchronous commit, survives power loss),
        ``"relaxed"`` (WAL without a sync per commit: survives a crash of the process, may lose the
        last commits on power loss) or ``"memory"`` (nothing on disk is kept safe; for tests);
        ``read_only`` (no writes, no migration).

        PostgreSQL only: ``schema`` (default ``"mako"``), the PostgreSQL schema holding the tables,
        created if missing -- several engines (e.g. an LF and an NB) share one database in several
        schemas. A commit is as durable as the server makes it, so ``durability`` stays
        ``"durable"``. An unreachable server raises :class:`~mako_engine.StoreBusy`, a malformed
        connection string :class:`~mako_engine.InvalidInput`; both name the location (never its
        password). A build without libpq raises :class:`~mako_engine.InvalidInput` saying so
        (:func:`postgres_supported`).
        """
        return cls(_core.Engine.open(os.fspath(location), durability, busy_timeout=busy_timeout, read_only=read_only,
                                     schema=schema))

    @classmethod
    def in_memory(cls) -> Engine:
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
        core_workflow, name, fv = prepare_workflow(workflow)
        if workflow_id is None:
            workflow_id = WorkflowId(name, fv)
        elif isinstance(workflow_id, str):
            workflow_id = WorkflowId(workflow_id, fv)
        return adopt(self._core.spawn(core_workflow, _tenant(tenant), workflow_id), self)

    def resume(self, workflow: WorkflowLike, identity: Union[ProcessIdentity, str, dict]) -> Process:
        """Re-attaches to an existing process; ``identity`` is a :class:`ProcessIdentity`, its JSON
        text or its dict (as persisted from ``process.identity().to_json()``). Raises
        :class:`~mako_engine.NotFound` when the store holds no event of that process (under that
        tenant): :meth:`spawn` starts processes, resume never creates one."""
        core_workflow, _, _ = prepare_workflow(workflow)
        if not isinstance(identity, ProcessIdentity):
            identity = ProcessIdentity.from_json(identity)
        return adopt(self._core.resume(core_workflow, identity), self)

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        """The database path, the PostgreSQL connection string (its password masked), or ``":memory:"``."""
        return self._core.location

    @property
    def backend(self) -> str:
        """``"sqlite"``, ``"postgresql"`` or ``"memory"``."""
        return self._core.backend

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

    # --- history as DataFrames ---------------------------------------------------------------------

    def events(self, *, tenant: Filter = None, workflow: Filter = None, event_type: Filter = None, since: TimeLike = None,
               until: TimeLike = None, stream: Filter = None, process: Filter = None, payload: bool = True,
               flatten_payload: bool = False, malo: Filter = None, vorgangsnummer: Filter = None) -> pd.DataFrame:
        """Every event matching the filters as a DataFrame; see :func:`mako_engine.history.events`."""
        return _events(self, tenant=tenant, workflow=workflow, event_type=event_type, since=since, until=until,
                              stream=stream, process=process, payload=payload, flatten_payload=flatten_payload, malo=malo,
                              vorgangsnummer=vorgangsnummer)

    def processes(self, *, tenant: Filter = None, workflow: Filter = None, status: Filter = None, since: TimeLike = None,
                  until: TimeLike = None, process: Filter = None, python_workflows: Optional[Iterable[Any]] = None,
                  malo: Filter = None, vorgangsnummer: Filter = None) -> pd.DataFrame:
        """One row per process, its status from its workflow; see :func:`mako_engine.history.processes`."""
        return _processes(self, tenant=tenant, workflow=workflow, status=status, since=since, until=until,
                                 process=process, python_workflows=python_workflows, malo=malo, vorgangsnummer=vorgangsnummer)

    def deadlines(self, *, step: Filter = None, pid: Filter = None, deadline: Filter = None, missed: Optional[bool] = None,
                  tenant: Filter = None, workflow: Filter = None, process: Filter = None, since: TimeLike = None,
                  until: TimeLike = None, month: Optional[str] = None) -> pd.DataFrame:
        """Deadlines per process and step, met or missed; see :func:`mako_engine.deadlines.deadlines`."""
        return _deadlines(self, step=step, pid=pid, deadline=deadline, missed=missed, tenant=tenant, workflow=workflow,
                                   process=process, since=since, until=until, month=month)

    def missed_deadlines(self, **filters: Any) -> pd.DataFrame:
        """Only the missed ones (the filters of :meth:`deadlines`); see :func:`mako_engine.deadlines.missed_deadlines`."""
        return _missed_deadlines(self, **filters)

    def to_process_mining(self, path: Union[str, os.PathLike[str], None] = None, *, xes_names: bool = False,
                          **filters: Any) -> pd.DataFrame:
        """The event log in process-mining shape (the filters of :meth:`events`); see
        :func:`mako_engine.process_mining.to_process_mining`."""
        return _to_process_mining(self, path, xes_names=xes_names, **filters)

    def runtime_counts(self) -> Dict[str, int]:
        """What waits and what was given up: ``outbox_pending`` (outbox messages not yet delivered),
        ``outbox_dead`` (given up after too many attempts) and ``dead_letters`` (unroutable or
        refused input). What ``mako-engine serve`` reports as gauges."""
        return dict(self._core.runtime_counts())

    def __repr__(self) -> str:
        closed = ", closed" if self.closed else ""
        return f"Engine(location={self.location!r}, durability={self.durability!r}{closed})"
