"""Process history as pandas DataFrames: every event, one row per process, one process's events.

    import mako_engine as mk

    engine = mk.Engine.open("nb.sqlite")
    events = engine.events(workflow="gpke.lieferbeginn.nb", since="2026-03-01", until="2026-04-01")
    events.groupby(events.timestamp.dt.date).size()          # events per day
    engine.processes().status.value_counts()                  # processes by status (the workflow's)
    engine.events(event_type="MessageSent", flatten_payload=True)[["process_id", "data.pid", "data.met"]]

The same functions take a database path instead of an engine (``mk.history.events("nb.sqlite")``):
then nothing but a read-only connection is opened — no writer, no migration — so they are safe on
the file of a running engine.

**How the frame is built.** For a SQLite file a C++ reader (``mako/sqlite/event_columns.hpp``)
reads the filtered rows over its own ``SQLITE_OPEN_READONLY`` connection (in WAL mode it reads a
snapshot and never blocks a writer) straight into column vectors, handed to numpy without copying:
positions, sequences and timestamps as int64, stream/process/tenant ids, workflow, format version and
event type dictionary-encoded (``pandas.Categorical``), the payload JSON as one buffer plus offsets
(pandas' ``str`` dtype backed by Arrow, zero-copy, when pyarrow is installed; else Python strings). No Python object is
created per row, except for the payload strings without pyarrow. An in-memory engine (or a SQLite
``":memory:"`` one) has no file to read; its events are read through ``Engine.read_all`` and
converted in Python — the same frame, only slower.

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

import datetime as _dt
import json
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _core

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._engine import Engine

__all__ = [
    "HistoryMixin",
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

#: An engine, or the path of a mako SQLite file (read through a read-only connection).
HistorySource = Union["Engine", str, "os.PathLike[str]"]
#: A point in time for ``since``/``until``: naive values are UTC.
TimeLike = Union[str, _dt.datetime, _dt.date, int, "pd.Timestamp", None]
#: One value or several alternatives of a filter.
Filter = Union[str, Any, Sequence[Any], None]

_TIME_COLUMNS = {
    "timestamp_ns": "timestamp",
    "first_event_ns": "first_event",
    "last_event_ns": "last_event",
    "due_ns": "due",
    "fired_at_ns": "fired_at",
    "created_at_ns": "created_at",
}


def _pandas() -> Any:
    """pandas, and numpy (the C++ reader hands its columns over as numpy arrays). Both are dependencies
    of mako-engine; an environment that lacks one (installed with --no-deps) gets a message that says so."""
    try:
        import numpy  # noqa: F401
        import pandas
    except ImportError as e:
        raise ImportError(f"mako_engine's history (DataFrames) needs pandas and numpy, dependencies of mako-engine "
                          f"that are missing here ({e}): pip install pandas numpy") from e
    return pandas


def to_ns(value: TimeLike) -> Optional[int]:
    """Nanoseconds since the Unix epoch (UTC) of ``value``; ``None`` stays ``None``. Naive = UTC."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a time must not be a bool")
    if isinstance(value, int):
        return value
    pd = _pandas()
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        raise ValueError(f"not a point in time: {value!r}")
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return int(ts.as_unit("ns").value)


def _values(f: Filter) -> List[str]:
    """A filter as a list of strings: None -> [], one value -> [str], an iterable -> [str, ...]."""
    if f is None:
        return []
    if isinstance(f, (str, bytes)) or not isinstance(f, Iterable):
        return [str(f)]
    return [str(v) for v in f]


def _stream_of(process: Any) -> str:
    """A stream id from a stream id, process id, Process or ProcessIdentity."""
    return str(getattr(process, "stream_id", process))


def _stream_filter(source: HistorySource, streams: List[str], malo: Filter, vorgangsnummer: Filter,
                   tenants: List[str]) -> List[str]:
    """The stream filter narrowed to the processes registered under ``malo``/``vorgangsnummer``
    (:mod:`mako_engine.registry`); a list that matches nothing when no process is."""
    from .registry import NO_STREAM, key_streams

    found = key_streams(source, malo, vorgangsnummer, tenants)
    if found is None:
        return streams
    narrowed = sorted(found & set(streams)) if streams else sorted(found)
    return narrowed or [NO_STREAM]


def open_reader(source: HistorySource) -> Optional["_core.HistoryReader"]:
    """The C++ :class:`HistoryReader` on the file behind ``source``, or ``None`` for an in-memory engine.

    Raises :class:`~mako_engine.NotFound` for a missing file, :class:`~mako_engine.InvalidInput` for a
    file that is not a mako-engine database, :class:`~mako_engine.SchemaTooNew` for one written by a
    newer mako-engine and :class:`~mako_engine.CorruptStore` for a file that is not SQLite at all.
    """
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
    else:
        if getattr(source, "closed", False):
            from ._errors import InvalidInput

            raise InvalidInput(f"engine '{source.location}' is closed; open the database again (Engine.open) to use it")
        path = source.location
        if path == ":memory:":
            return None
    if not getattr(_core, "HAVE_HISTORY", False):  # pragma: no cover - only without the SQLite store
        raise NotImplementedError("this build of mako_engine has no SQLite history reader")
    _pandas()  # its tables are numpy arrays: say what is missing before the reader needs numpy
    return _core.HistoryReader(path)


# --- column tables (C++) -> DataFrame -------------------------------------------------------------

def _text_array(data: Any, offsets: Any, valid: Any) -> Any:
    """A string column from one UTF-8 buffer + int64 offsets: Arrow-backed (zero-copy) when pyarrow is
    installed, else an object array of str."""
    np = __import__("numpy")
    pd = _pandas()
    n = len(offsets) - 1
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - exercised only without pyarrow
        pa = None
    if pa is not None:
        bitmap = None
        nulls = 0
        if valid is not None:
            bitmap = pa.py_buffer(np.packbits(valid.astype(bool), bitorder="little"))
            nulls = int(n - valid.sum())
        arr = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data), bitmap, nulls)
        try:  # pandas >= 2.3: the default string dtype ("str", NaN for missing), Arrow-backed
            return pd.array(arr, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
        except TypeError:  # pragma: no cover - older pandas
            return pd.arrays.ArrowStringArray(arr)
    text = bytes(data)
    out = np.empty(n, dtype=object)
    bounds = offsets.tolist()
    for i in range(n):
        out[i] = text[bounds[i]:bounds[i + 1]].decode("utf-8")
    if valid is not None:
        out[valid == 0] = None
    return out


def frame_from_columns(table: Dict[str, Any]) -> "pd.DataFrame":
    """Turns a C++ column table (``{"rows", "columns"}``, see ``_core.HistoryReader``) into a DataFrame:
    ``*_ns`` int64 columns become ``datetime64[ns, UTC]`` columns without the suffix, dictionary
    columns ``category``, text columns strings, nullable int64 columns ``Int64``."""
    pd = _pandas()
    np = __import__("numpy")
    data: Dict[str, Any] = {}
    for name, kind, *rest in table["columns"]:
        if kind == "int64":
            values, valid = rest
            if name in _TIME_COLUMNS:
                if valid is not None:
                    values = values.copy()
                    values[valid == 0] = np.iinfo(np.int64).min  # NaT
                data[_TIME_COLUMNS[name]] = pd.arrays.DatetimeArray._from_sequence(values.view("M8[ns]")).tz_localize("UTC")
            elif valid is not None:
                data[name] = pd.arrays.IntegerArray(values, valid == 0)
            else:
                data[name] = values
        elif kind == "category":
            codes, categories = rest
            data[name] = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object), validate=False)
        else:
            buffer, offsets, valid = rest
            data[name] = _text_array(buffer, offsets, valid)
    return pd.DataFrame(data, copy=False)


def _categorical_frame(columns: Dict[str, List[Any]], categorical: Sequence[str], times: Sequence[str]) -> "pd.DataFrame":
    """A DataFrame from Python lists (the in-memory path), with the same dtypes as the C++ path."""
    pd = _pandas()
    df = pd.DataFrame(columns)
    for c in categorical:
        df[c] = df[c].astype("category")
    for c in times:
        df[c] = pd.to_datetime(df[c], utc=True).astype("datetime64[ns, UTC]")
    return df


def _flatten(df: "pd.DataFrame") -> "pd.DataFrame":
    """Adds ``data.<field>`` columns decoded from the ``payload`` JSON column."""
    pd = _pandas()
    if "payload" not in df.columns:
        raise ValueError("flatten_payload needs the payload column (payload=True)")
    records = [json.loads(p).get("data") or {} for p in df["payload"].tolist()]
    flat = pd.json_normalize(records) if records else pd.DataFrame()
    flat.columns = [f"data.{c}" for c in flat.columns]
    flat.index = df.index
    return pd.concat([df, flat], axis=1)


# --- events ---------------------------------------------------------------------------------------

_EVENT_CATEGORIES = ("stream_id", "process_id", "tenant_id", "workflow", "format_version", "event_type")


def _events_in_memory(engine: "Engine", tenants: List[str], workflows: List[str], types: List[str], streams: List[str],
                      processes: List[str], since: Optional[int], until: Optional[int], payload: bool) -> "pd.DataFrame":
    cols: Dict[str, List[Any]] = {k: [] for k in ("position", "stream_id", "process_id", "tenant_id", "workflow", "format_version",
                                                  "sequence", "event_type", "schema_version", "timestamp")}
    if payload:
        cols["payload"] = []
    after = 0
    while True:
        page = engine.read_all(after, 10_000)
        if not page:
            break
        for e in page:
            after = e.global_position
            ts = e.timestamp
            ns = int(ts.timestamp()) * 1_000_000_000 + ts.microsecond * 1000
            if (since is not None and ns < since) or (until is not None and ns >= until):
                continue
            wf = e.workflow_id
            if (tenants and str(e.tenant_id) not in tenants) or (workflows and wf.name not in workflows) or \
               (types and e.event_type not in types) or (streams and e.stream_id not in streams) or \
               (processes and str(e.process_id) not in processes):
                continue
            cols["position"].append(e.global_position)
            cols["stream_id"].append(e.stream_id)
            cols["process_id"].append(str(e.process_id))
            cols["tenant_id"].append(str(e.tenant_id))
            cols["workflow"].append(wf.name)
            cols["format_version"].append(str(wf.format_version))
            cols["sequence"].append(e.sequence_number)
            cols["event_type"].append(e.event_type)
            cols["schema_version"].append(e.schema_version)
            cols["timestamp"].append(ts)
            if payload:
                cols["payload"].append(json.dumps(e.payload, separators=(",", ":"), ensure_ascii=False))
    df = _categorical_frame(cols, _EVENT_CATEGORIES, ("timestamp",))
    for c in ("position", "sequence", "schema_version"):
        df[c] = df[c].astype("int64")
    return df


def events(
    source: HistorySource,
    tenant: Filter = None,
    workflow: Filter = None,
    event_type: Filter = None,
    since: TimeLike = None,
    until: TimeLike = None,
    stream: Filter = None,
    *,
    process: Filter = None,
    payload: bool = True,
    flatten_payload: bool = False,
    malo: Filter = None,
    vorgangsnummer: Filter = None,
) -> "pd.DataFrame":
    """Every event matching the filters, one row per event in commit order (see the module doc for
    the columns and the time rules).

    Each filter takes one value or a list of alternatives: ``tenant`` (tenant id, or the MP-ID
    whose tenant it is), ``workflow`` (workflow name), ``event_type``, ``stream`` (stream id),
    ``process`` (process id), ``malo`` (MaLo-ID) and ``vorgangsnummer``: the events of the
    processes registered under them (see :mod:`mako_engine.registry`); ``since``/``until`` bound
    the event timestamp, ``[since, until)``. ``payload=False`` leaves out the payload JSON
    (faster); ``flatten_payload=True`` adds ``data.<field>`` columns.
    """
    from .registry import tenant_ids

    tenants, workflows, types = tenant_ids(tenant), _values(workflow), _values(event_type)
    streams, processes_ = [_stream_of(s) for s in _values(stream)], _values(process)
    streams = _stream_filter(source, streams, malo, vorgangsnummer, tenants)
    since_ns, until_ns = to_ns(since), to_ns(until)
    payload = payload or flatten_payload
    reader = open_reader(source)
    if reader is None:
        df = _events_in_memory(source, tenants, workflows, types, streams, processes_, since_ns, until_ns, payload)  # type: ignore[arg-type]
    else:
        df = frame_from_columns(reader.events(tenants, workflows, streams, processes_, types, since_ns, until_ns, payload))
    return _flatten(df) if flatten_payload else df


# --- processes ------------------------------------------------------------------------------------

#: The status of a process whose workflow is not known to the reader (or defines no status).
UNKNOWN_STATUS = "unknown"

_PROCESS_COLUMNS = ["stream_id", "process_id", "tenant_id", "workflow", "format_version", "status", "last_event_type", "events",
                    "first_event", "last_event"]
_PROCESS_CATEGORIES = ("tenant_id", "workflow", "format_version", "status", "last_event_type")


def _python_workflows(workflows: Optional[Iterable[Any]]) -> Dict[str, Any]:
    """``{name: _core.PythonWorkflow}`` from Python workflows (classes, instances, PythonWorkflow)."""
    from ._engine import _prepare

    out: Dict[str, Any] = {}
    for w in workflows or ():
        prepared, name, _ = _prepare(w)
        if isinstance(prepared, str):
            raise TypeError(f"python_workflows takes Python workflows; {w!r} names a built-in one (those are always known)")
        out[name] = prepared
    return out


def _status_in_memory(engine: "Engine", identity: Dict[str, Any], workflow: str, known: Dict[str, Any]) -> str:
    """The status of one process of an in-memory engine: resumed with its workflow, folded once."""
    runtime = known.get(workflow)
    if runtime is None and workflow in _core.registered_workflows():
        runtime = workflow
    if runtime is None:
        return UNKNOWN_STATUS
    status = engine.resume(runtime, identity).status()
    return UNKNOWN_STATUS if status is None else status


def processes(
    source: HistorySource,
    tenant: Filter = None,
    workflow: Filter = None,
    status: Filter = None,
    since: TimeLike = None,
    until: TimeLike = None,
    *,
    process: Filter = None,
    python_workflows: Optional[Iterable[Any]] = None,
    malo: Filter = None,
    vorgangsnummer: Filter = None,
) -> "pd.DataFrame":
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
    from .registry import tenant_ids

    tenants, workflows, statuses, processes_ = tenant_ids(tenant), _values(workflow), _values(status), _values(process)
    streams = _stream_filter(source, [], malo, vorgangsnummer, tenants)
    known = _python_workflows(python_workflows)
    since_ns, until_ns = to_ns(since), to_ns(until)
    reader = open_reader(source)
    if reader is not None:
        return frame_from_columns(reader.processes(tenants, workflows, streams, processes_, statuses, since_ns, until_ns,
                                                   python_workflows=known))
    pd = _pandas()
    ev = events(source, tenant=tenants or None, workflow=workflows or None, stream=streams or None, process=processes_ or None,
                payload=False)
    if ev.empty:
        return _categorical_frame({c: [] for c in _PROCESS_COLUMNS}, _PROCESS_CATEGORIES, ("first_event", "last_event"))
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
        _status_in_memory(source, {"stream_id": s, "process_id": p, "tenant_id": t,  # type: ignore[arg-type]
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
                    flatten_payload: bool = False) -> "pd.DataFrame":
    """The events of one process (a :class:`~mako_engine.Process`, or a stream id with ``engine``), as
    :func:`events` returns them. ``process.history()`` is the same for a process from an engine."""
    source = engine if engine is not None else getattr(process, "_engine", None)
    if source is None:
        raise ValueError("this process does not know its engine; pass engine=")
    return events(source, stream=_stream_of(process), payload=payload, flatten_payload=flatten_payload)


def _process_history_method(self: Any, *, payload: bool = True, flatten_payload: bool = False) -> "pd.DataFrame":
    """This process's events as a pandas DataFrame, one row per event (see :func:`mako_engine.history.events`)."""
    return process_history(self, payload=payload, flatten_payload=flatten_payload)


_core.Process.history = _process_history_method  # type: ignore[attr-defined]


class HistoryMixin:
    """The analyst's methods of :class:`~mako_engine.Engine`: DataFrames of its history."""

    __slots__ = ()

    def events(self, tenant: Filter = None, workflow: Filter = None, event_type: Filter = None, since: TimeLike = None,
               until: TimeLike = None, stream: Filter = None, *, process: Filter = None, payload: bool = True,
               flatten_payload: bool = False, malo: Filter = None, vorgangsnummer: Filter = None) -> "pd.DataFrame":
        """Every event matching the filters as a DataFrame; see :func:`mako_engine.history.events`."""
        return events(self, tenant, workflow, event_type, since, until, stream, process=process, payload=payload,  # type: ignore[arg-type]
                      flatten_payload=flatten_payload, malo=malo, vorgangsnummer=vorgangsnummer)

    def processes(self, tenant: Filter = None, workflow: Filter = None, status: Filter = None, since: TimeLike = None,
                  until: TimeLike = None, *, process: Filter = None, python_workflows: Optional[Iterable[Any]] = None,
                  malo: Filter = None, vorgangsnummer: Filter = None) -> "pd.DataFrame":
        """One row per process, its status from its workflow; see :func:`mako_engine.history.processes`."""
        return processes(self, tenant, workflow, status, since, until, process=process,  # type: ignore[arg-type]
                         python_workflows=python_workflows, malo=malo, vorgangsnummer=vorgangsnummer)

    def deadlines(self, **filters: Any) -> "pd.DataFrame":
        """Deadlines per process and step, met or missed; see :func:`mako_engine.deadlines.deadlines`."""
        from .deadlines import deadlines

        return deadlines(self, **filters)  # type: ignore[arg-type]

    def missed_deadlines(self, **filters: Any) -> "pd.DataFrame":
        """Only the missed ones; see :func:`mako_engine.deadlines.missed_deadlines`."""
        from .deadlines import missed_deadlines

        return missed_deadlines(self, **filters)  # type: ignore[arg-type]

    def to_process_mining(self, path: Union[str, "os.PathLike[str]", None] = None, **filters: Any) -> "pd.DataFrame":
        """The event log in process-mining shape; see :func:`mako_engine.process_mining.to_process_mining`."""
        from .process_mining import to_process_mining

        return to_process_mining(self, path, **filters)  # type: ignore[arg-type]
