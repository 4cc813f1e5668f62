"""Find processes by what a market person knows: a MaLo-ID, a Vorgangsnummer, an MP-ID.

Processes register keys when they commit (the process registry, table ``registry``): GPKE
processes register their MaLo-ID (kind ``malo``), the Vorgangsnummer of every UTILMD they send
(``vorgang``) and the NB the one of the Anmeldung it received (``anmeldung``, ``<LF MP-ID>/<number>``).
The history functions take them as filters::

    engine.processes(malo="41373559241")                  # every process of this Marktlokation
    engine.events(vorgangsnummer="VG1", event_type="MessageSent")
    engine.processes(tenant="9900467000000")              # an MP-ID stands for its tenant
    mk.history.processes("nb.sqlite", malo="41373559241")

and :func:`registry` lists the keys themselves (which keys does this process have?).
A Vorgangsnummer matches the ``vorgang`` keys and the ``anmeldung`` keys of any sender.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Set, Tuple, cast

from ._core import MaloId
from ._errors import InvalidInput
from ._frames import Filter, frame_from_columns, table_from_rows, values
from ._source import EngineLike, HistorySource, open_reader, open_source, tenant_ids

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["registry", "key_streams", "tenant_ids"]

_COLUMNS = ["stream_id", "process_id", "tenant_id", "workflow", "kind", "key", "created_at"]
#: A stream id no process has: the stream filter that matches nothing.
NO_STREAM = "\x00no stream"


def _matches(malo: Filter, vorgangsnummer: Filter) -> Tuple[List[Tuple[str, str, bool]], List[Tuple[str, str, bool]]]:
    """(kind, key, suffix) alternatives for the MaLo-IDs and for the Vorgangsnummern."""
    by_malo = []
    for m in values(malo):
        why = MaloId.why_invalid(m)
        if why:
            raise InvalidInput(f"malo: {why}")
        by_malo.append(("malo", m, False))
    by_vorgang = []
    for v in values(vorgangsnummer):
        if not v.strip():
            raise InvalidInput("vorgangsnummer: empty")
        by_vorgang += [("vorgang", v, False), ("anmeldung", "/" + v, True)]
    return by_malo, by_vorgang


#: The column table of a registry's rows (``Engine.list_registry``), as the C++ reader's.
_REGISTRY_SCHEMA = [("stream_id", "category"), ("process_id", "category"), ("tenant_id", "category"),
                    ("workflow", "category"), ("kind", "category"), ("key", "text"), ("created_at_ns", "int64")]


def _registry_in_memory(engine: EngineLike, matches: List[Tuple[str, str, bool]], tenants: List[str],
                        processes: List[str]) -> pd.DataFrame:
    """The registry of an engine without a file, read through its process registry (``list_registry``)."""
    rows = engine._core.list_registry(tenants, processes)
    if matches:
        rows = [r for r in rows
                if any((not k or k == r[4]) and (r[5].endswith(x) if suffix else r[5] == x) for k, x, suffix in matches)]
    return frame_from_columns(table_from_rows(rows, _REGISTRY_SCHEMA))


def registry(
    source: HistorySource,
    *,
    malo: Filter = None,
    vorgangsnummer: Filter = None,
    kind: Filter = None,
    key: Filter = None,
    tenant: Filter = None,
    process: Filter = None,
) -> pd.DataFrame:
    """One row per registry entry: ``stream_id, process_id, tenant_id, workflow, kind, key,
    created_at``, in registration order. A file is read by the C++ column reader; an engine without a
    file (in memory or PostgreSQL) through its process registry, with the same columns and dtypes.

    Filters (one value or a list of alternatives; different filters must all match): ``malo``
    (MaLo-IDs, check digit verified), ``vorgangsnummer``, ``kind`` and ``key`` (raw registry
    entries), ``tenant`` (tenant id or MP-ID), ``process`` (process id). Raises
    :class:`~mako_engine.InvalidInput` for a MaLo-ID or MP-ID that is not valid.
    """
    source = open_source(source)
    by_malo, by_vorgang = _matches(malo, vorgangsnummer)
    kinds, keys = values(kind), values(key)
    tenants, processes_ = tenant_ids(tenant), values(process)
    groups = [g for g in (by_malo, by_vorgang, [(k, x, False) for k in kinds or [""] for x in keys] if keys else []) if g]
    reader = open_reader(source)

    def read(matches: List[Tuple[str, str, bool]]) -> pd.DataFrame:
        if reader is None:
            return _registry_in_memory(cast(EngineLike, source), matches, tenants, processes_)  # no file: an engine
        return frame_from_columns(reader.registry(matches, tenants, [], [], processes_))

    df = read(groups[0] if groups else [])
    for group in groups[1:]:  # AND across filters: streams matching every one
        df = df[df["stream_id"].isin(set(read(group)["stream_id"].astype(str)))]
    if kinds:
        df = df[df["kind"].isin(kinds)]
    return df.reset_index(drop=True)


def key_streams(source: HistorySource, malo: Filter, vorgangsnummer: Filter, tenants: List[str]) -> Optional[Set[str]]:
    """The stream ids of the processes registered under the MaLo-IDs and the Vorgangsnummern (each
    filter one value or alternatives; both must match), or None when neither filter is given."""
    if malo is None and vorgangsnummer is None:
        return None
    found = registry(source, malo=malo, vorgangsnummer=vorgangsnummer, tenant=tenants or None)
    return set(found["stream_id"].astype(str))
