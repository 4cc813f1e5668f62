"""Where the analysis functions read history from: an engine, the path of a mako SQLite file or a
PostgreSQL connection string.

A file (or an engine's file) is read by the C++ :class:`HistoryReader` over its own read-only
connection. An in-memory engine and a PostgreSQL one have no file: their events are read through the
engine itself, the event store's ``read_all`` / ``resume`` (:func:`events_in_memory`), their
deadlines and registry entries through its deadline store and process registry (``list_deadlines``,
``list_registry``) -- the same frames, built in Python. A PostgreSQL connection string is opened as an engine (schema ``mako``; for
another schema pass ``Engine.open(url, schema=...)``) by :func:`open_source`. Also the filters every
analysis function shares: tenants given as MP-IDs, streams given as processes.
"""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Protocol, Union

from . import _core
from ._core import Engine as CoreEngine
from ._core import MpId, TenantId
from ._errors import InvalidInput
from ._frames import Filter, categorical_frame, require_pandas, values

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["EngineLike", "HistorySource", "events_in_memory", "open_reader", "open_source", "stream_of", "tenant_ids"]


class EngineLike(Protocol):
    """What the analysis functions use of an engine; :class:`mako_engine.Engine` is one."""

    _core: CoreEngine

    @property
    def location(self) -> str: ...

    @property
    def closed(self) -> bool: ...


#: An engine, the path of a mako SQLite file (read through a read-only connection) or a PostgreSQL
#: connection string (read through an engine on it).
HistorySource = Union[EngineLike, str, "os.PathLike[str]"]

_MP_ID = re.compile(r"\d{13}")


def open_source(source: HistorySource) -> HistorySource:
    """``source`` itself, except a PostgreSQL connection string: an engine on it (schema ``mako``).
    Raises as :meth:`mako_engine.Engine.open` does (:class:`~mako_engine.StoreBusy` for a server that
    cannot be reached, naming it)."""
    if isinstance(source, (str, os.PathLike)) and _core.is_postgres_location(os.fspath(source)):
        return _OpenedEngine(CoreEngine.open(os.fspath(source)))
    return source


class _OpenedEngine:
    """An engine opened on a PostgreSQL location for the analysis functions: what they use of
    :class:`mako_engine.Engine` (which imports this module, so it is not used here)."""

    __slots__ = ("_core",)

    def __init__(self, core: CoreEngine) -> None:
        self._core = core

    @property
    def location(self) -> str:
        return self._core.location

    @property
    def closed(self) -> bool:
        return self._core.closed


def open_reader(source: HistorySource) -> Optional[_core.HistoryReader]:
    """The C++ :class:`HistoryReader` on the file behind ``source``, or ``None`` for an engine
    without a file (in memory or on PostgreSQL: read it through the engine).

    Raises :class:`~mako_engine.NotFound` for a missing file, :class:`~mako_engine.InvalidInput` for a
    file that is not a mako-engine database, :class:`~mako_engine.SchemaTooNew` for one written by a
    newer mako-engine and :class:`~mako_engine.CorruptStore` for a file that is not SQLite at all.
    """
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if _core.is_postgres_location(path):
            raise InvalidInput(f"'{_core.redacted_location(path)}' is a PostgreSQL store, not a file: open it with "
                               "mako_engine.history.open_source (or Engine.open) and read through the engine")
    else:
        if source.closed:
            raise InvalidInput(f"engine '{source.location}' is closed; open the database again (Engine.open) to use it")
        path = source.location
        if path == ":memory:" or source._core.backend != "sqlite":
            return None
    require_pandas()  # its tables are numpy arrays: say what is missing before the reader needs numpy
    return _core.HistoryReader(path)


def stream_of(process: Any) -> str:
    """A stream id from a stream id, process id, Process or ProcessIdentity."""
    return str(getattr(process, "stream_id", process))


def tenant_ids(tenant: Filter) -> List[str]:
    """A tenant filter as tenant-id strings: a 13-digit value is an MP-ID (check digit verified)
    standing for ``TenantId.from_party_id(mp_id)``; anything else is taken as a tenant id."""
    out = []
    for value in values(tenant):
        if _MP_ID.fullmatch(value):
            why = MpId.why_invalid(value)
            if why:
                raise InvalidInput(f"tenant: {why}")
            value = str(TenantId.from_party_id(value))
        out.append(value)
    return out


#: The columns of an events frame, in order (``payload`` last, when asked for).
EVENT_COLUMNS = ("position", "stream_id", "process_id", "tenant_id", "workflow", "format_version", "sequence", "event_type",
                 "schema_version", "timestamp")
_EVENT_CATEGORIES = ("stream_id", "process_id", "tenant_id", "workflow", "format_version", "event_type")


def events_in_memory(engine: EngineLike, tenants: List[str], workflows: List[str], types: List[str], streams: List[str],
                     processes: List[str], since: Optional[int], until: Optional[int], payload: bool) -> pd.DataFrame:
    """The events frame of an engine without a file (in memory, PostgreSQL), read page by page
    through the engine's ``read_all``: the same columns and dtypes as the C++ reader's, only slower."""
    cols: Dict[str, List[Any]] = {k: [] for k in EVENT_COLUMNS}
    if payload:
        cols["payload"] = []
    after = 0
    while True:
        page = engine._core.read_all(after, 10_000)
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
    df = categorical_frame(cols, _EVENT_CATEGORIES, ("timestamp",))
    for c in ("position", "sequence", "schema_version"):
        df[c] = df[c].astype("int64")
    return df
