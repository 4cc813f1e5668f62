"""Process history as pandas DataFrames: every event, one row per process, one process's events.

    import mako_engine as mk

    engine = mk.Engine.open("nb.sqlite")
    events = engine.events(workflow="gpke.lieferbeginn.nb", since="2026-03-01", until="2026-04-01")
    events.groupby(events.timestamp.dt.date).size()          # events per day
    engine.processes().status.value_counts()                  # processes by status (the workflow's)
    engine.events(event_type="MessageSent", flatten_payload=True)[["process_id", "data.pid", "data.met"]]

The same functions take a database path instead of an engine (``mk.history.events("nb.sqlite")``):
then nothing but a read-only connection is opened — no writer, no migration — so they are safe on
the file of a running engine. They also take a PostgreSQL connection string
(``mk.history.events("postgresql://analyst@db/mako")``, schema ``mako``; for another schema pass
``mk.Engine.open(url, schema="nb")``): an engine is opened on it (which creates the schema's tables
when they are missing) and the frames are read through it.

**How the frame is built.** For a SQLite file a C++ reader (``mako/sqlite/event_columns.hpp``)
reads the filtered rows over its own ``SQLITE_OPEN_READONLY`` connection (in WAL mode it reads a
snapshot and never blocks a writer) straight into column vectors, handed to numpy without copying:
positions, sequences and timestamps as int64, stream/process/tenant ids, workflow, format version and
event type dictionary-encoded (``pandas.Categorical``), the payload JSON as one buffer plus offsets
(pandas' ``str`` dtype backed by Arrow, zero-copy, when pyarrow is installed; else Python strings). No Python object is
created per row, except for the payload strings without pyarrow. An in-memory engine (or a SQLite
``":memory:"`` one) and a PostgreSQL engine have no file to read; their events are read through
``Engine.read_all`` (the event store's interface) and converted in Python — the same frame, only
slower — and ``processes()`` folds each process through ``Engine.resume``; registry entries and
deadlines come from the engine's process registry and deadline store.

**Columns of** :func:`events`: ``position, stream_id, process_id, tenant_id, workflow,
format_version, sequence, event_type, schema_version, timestamp`` (``datetime64[ns, UTC]``) and,
unless ``payload=False``, ``payload``: the event's JSON text, ``{"type": ..., "data": {...}}``. JSON is
decoded only on request: ``flatten_payload=True`` adds one column ``data.<field>`` per payload field
(``pandas.json_normalize``; nested objects become ``data.a.b``).

**Times.** ``since``/``until`` take a ``datetime``, ``pandas.Timestamp``, ISO string
(``"2026-03-01"``, ``"2026-03-01T11:00:00+01:00"``) or integer nanoseconds since the epoch; the
interval is half-open ``[since, until)``. Naive values are **UTC**.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, cast

from . import _core
from ._core import ProcessIdentity
from ._frames import Filter, TimeLike, add_payload_columns, categorical_frame, frame_from_columns, require_pandas, to_ns, values
from ._source import EngineLike, HistorySource, events_in_memory, open_reader, open_source, stream_of, tenant_ids
from ._workflow import prepare_workflow
from .registry import NO_STREAM, key_streams

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Filter",
    "HistorySource",
    "TimeLike",
    "UNKNOWN_STATUS",
    "events",
    "frame_from_columns",
    "open_reader",
    "process_history",
    "processes",
    "to_ns",
]


def _stream_filter(source: HistorySource, streams: List[str], malo: Filter, vorgangsnummer: Filter,
                   tenants: List[str]) -> List[str]:
    """The stream filter narrowed to the processes registered under ``malo``/``vorgangsnummer``
    (:mod:`mako_engine.registry`); a list that matches nothing when no process is."""
    found = key_streams(source, malo, vorgangsnummer, tenants)
    if found is None:
        return streams
    narrowed = sorted(found & set(streams)) if streams else sorted(found)
    return narrowed or [NO_STREAM]


# --- events ---------------------------------------------------------------------------------------

def events(
    source: HistorySource,
    *,
    tenant: Filter = None,
    workflow: Filter = None,
    event_type: Filter = None,
    since: TimeLike = None,
    until: TimeLike = None,
    stream: Filter = None,
    process: Filter = None,
    payload: bool = True,
    flatten_payload: bool = False,
    malo: Filter = None,
    vorgangsnummer: Filter = None,
) -> pd.DataFrame:
    """Every event matching the filters, one row per event in commit order (see the module doc for
    the columns and the time rules).

    Each filter takes one value or a list of alternatives: ``tenant`` (tenant id, or the MP-ID
    whose tenant it is), ``workflow`` (workflow name), ``event_type``, ``stream`` (stream id),
    ``process`` (process id), ``malo`` (MaLo-ID) and ``vorgangsnummer``: the events of the
    processes registered under them (see :mod:`mako_engine.registry`); ``since``/``until`` bound
    the event timestamp, ``[since, until)``. ``payload=False`` leaves out the payload JSON
    (faster); ``flatten_payload=True`` adds ``data.<field>`` columns.
    """
    source = open_source(source)
    tenants, workflows, types = tenant_ids(tenant), values(workflow), values(event_type)
    streams, processes_ = [stream_of(s) for s in values(stream)], values(process)
    streams = _stream_filter(source, streams, malo, vorgangsnummer, tenants)
    since_ns, until_ns = to_ns(since), to_ns(until)
    payload = payload or flatten_payload
    reader = open_reader(source)
    if reader is None:
        df = events_in_memory(cast(EngineLike, source), tenants, workflows, types, streams, processes_, since_ns, until_ns, payload)
    else:
        df = frame_from_columns(reader.events(tenants, workflows, streams, processes_, types, since_ns, until_ns, payload))
    return add_payload_columns(df) if flatten_payload else df


# --- processes ------------------------------------------------------------------------------------

#: The status of a process whose workflow is not known to the reader (or defines no status).
UNKNOWN_STATUS = "unknown"

_PROCESS_COLUMNS = ["stream_id", "process_id", "tenant_id", "workflow", "format_version", "status", "last_event_type", "events",
                    "first_event", "last_event"]
_PROCESS_CATEGORIES = ("tenant_id", "workflow", "format_version", "status", "last_event_type")


def _python_workflows(workflows: Optional[Iterable[Any]]) -> Dict[str, Any]:
    """``{name: _core.PythonWorkflow}`` from Python workflows (classes, instances, PythonWorkflow)."""
    out: Dict[str, Any] = {}
    for w in workflows or ():
        prepared, name, _ = prepare_workflow(w)
        if isinstance(prepared, str):
            raise TypeError(f"python_workflows takes Python workflows; {w!r} names a built-in one (those are always known)")
        out[name] = prepared
    return out


def _status_in_memory(engine: EngineLike, identity: Dict[str, Any], workflow: str, known: Dict[str, Any]) -> str:
    """The status of one process of an in-memory engine: resumed with its workflow, folded once."""
    runtime = known.get(workflow)
    if runtime is None and workflow in _core.registered_workflows():
        runtime = workflow
    if runtime is None:
        return UNKNOWN_STATUS
    status = engine._core.resume(runtime, ProcessIdentity.from_json(identity)).status()
    return UNKNOWN_STATUS if status is None else status


def processes(
    source: HistorySource,
    *,
    tenant: Filter = None,
    workflow: Filter = None,
    status: Filter = None,
    since: TimeLike = None,
    until: TimeLike = None,
    process: Filter = None,
    python_workflows: Optional[Iterable[Any]] = None,
    malo: Filter = None,
    vorgangsnummer: Filter = None,
) -> pd.DataFrame:
    """One row per process (stream): ``stream_id, process_id, tenant_id, workflow, format_version,
    status, last_event_type, events, first_event, last_event``.

    ``status`` is what the process's workflow says of its state (``status(state)`` of a C++ or Python
    workflow, e.g. ``"confirmed"``, ``"rejected"``, ``"awaiting answer"``): each process is folded once
    with its workflow. The built-in workflows are always known; pass your Python workflows (classes
    or instances) as ``python_workflows``. A process whose workflow is not known, or defines no
    status, has status ``"unknown"`` (:data:`UNKNOWN_STATUS`) — never a guess; ``last_event_type`` says
    what happened last. ``since``/``until`` keep the processes active in ``[since, until)``: last
    event at or after ``since`` and first event before ``until``. The ``status`` filter applies to the
    workflow's status. ``tenant`` takes tenant ids or MP-IDs; ``malo`` (MaLo-ID) and
    ``vorgangsnummer`` keep the processes registered under them (see :mod:`mako_engine.registry`).
    """
    source = open_source(source)
    tenants, workflows, statuses, processes_ = tenant_ids(tenant), values(workflow), values(status), values(process)
    streams = _stream_filter(source, [], malo, vorgangsnummer, tenants)
    known = _python_workflows(python_workflows)
    since_ns, until_ns = to_ns(since), to_ns(until)
    reader = open_reader(source)
    if reader is not None:
        return frame_from_columns(reader.processes(tenants, workflows, streams, processes_, statuses, since_ns, until_ns,
                                                   python_workflows=known))
    pd = require_pandas()
    engine = cast(EngineLike, source)  # no file: an engine (in memory or PostgreSQL)
    ev = events(engine, tenant=tenants or None, workflow=workflows or None, stream=streams or None, process=processes_ or None,
                payload=False)
    if ev.empty:
        return categorical_frame({c: [] for c in _PROCESS_COLUMNS}, _PROCESS_CATEGORIES, ("first_event", "last_event"))
    g = ev.groupby("stream_id", observed=True, sort=False)
    df = pd.DataFrame({
        "process_id": g["process_id"].first().astype(str),
        "tenant_id": g["tenant_id"].first().astype(str),
        "workflow": g["workflow"].first().astype(str),
        "format_version": g["format_version"].first().astype(str),
        "last_event_type": g["event_type"].last().astype(str),
        "events": g.size().astype("int64"),
        "first_event": g["timestamp"].min(),
        "last_event": g["timestamp"].max(),
    }).reset_index()
    df["stream_id"] = df["stream_id"].astype(str)
    if since_ns is not None:
        df = df[df["last_event"] >= pd.Timestamp(since_ns, tz="UTC")]
    if until_ns is not None:
        df = df[df["first_event"] < pd.Timestamp(until_ns, tz="UTC")]
    df["status"] = [
        _status_in_memory(engine, {"stream_id": s, "process_id": p, "tenant_id": t,
                                   "workflow_id": {"name": w, "format_version": f}}, w, known)
        for s, p, t, w, f in zip(df["stream_id"], df["process_id"], df["tenant_id"], df["workflow"], df["format_version"])
    ]
    if statuses:
        df = df[df["status"].isin(statuses)]
    for c in _PROCESS_CATEGORIES:
        df[c] = df[c].astype(str).astype("category")
    return df[_PROCESS_COLUMNS].reset_index(drop=True)


# --- one process ----------------------------------------------------------------------------------

def process_history(process: Any, engine: Optional[HistorySource] = None, *, payload: bool = True,
                    flatten_payload: bool = False) -> pd.DataFrame:
    """The events of one process (a :class:`~mako_engine.Process`, or a stream id with ``engine``), as
    :func:`events` returns them. ``process.history()`` is the same for a process from an engine."""
    source = engine if engine is not None else getattr(process, "_engine", None)
    if source is None:
        raise ValueError("this process does not know its engine; pass engine=")
    return events(source, stream=stream_of(process), payload=payload, flatten_payload=flatten_payload)
