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

import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Set, Tuple

from ._core import MaloId, MpId, TenantId
from ._errors import InvalidInput

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .history import Filter, HistorySource

__all__ = ["registry", "key_streams", "tenant_ids"]

_MP_ID = re.compile(r"\d{13}")
_COLUMNS = ["stream_id", "process_id", "tenant_id", "workflow", "kind", "key", "created_at"]
#: A stream id no process has: the stream filter that matches nothing.
NO_STREAM = "\x00no stream"


def tenant_ids(tenant: "Filter") -> List[str]:
    """A tenant filter as tenant-id strings: a 13-digit value is an MP-ID (check digit verified)
    standing for ``TenantId.from_party_id(mp_id)``; anything else is taken as a tenant id."""
    from .history import _values

    out = []
    for value in _values(tenant):
        if _MP_ID.fullmatch(value):
            why = MpId.why_invalid(value)
            if why:
                raise InvalidInput(f"tenant: {why}")
            value = str(TenantId.from_party_id(value))
        out.append(value)
    return out


def _matches(malo: "Filter", vorgangsnummer: "Filter") -> Tuple[List[Tuple[str, str, bool]], List[Tuple[str, str, bool]]]:
    """(kind, key, suffix) alternatives for the MaLo-IDs and for the Vorgangsnummern."""
    from .history import _values

    by_malo = []
    for m in _values(malo):
        why = MaloId.why_invalid(m)
        if why:
            raise InvalidInput(f"malo: {why}")
        by_malo.append(("malo", m, False))
    by_vorgang = []
    for v in _values(vorgangsnummer):
        if not v.strip():
            raise InvalidInput("vorgangsnummer: empty")
        by_vorgang += [("vorgang", v, False), ("anmeldung", "/" + v, True)]
    return by_malo, by_vorgang


def _registry_in_memory(engine: Any, matches: List[Tuple[str, str, bool]], tenants: List[str],
                        processes: List[str]) -> "pd.DataFrame":
    from .history import _categorical_frame, processes as read_processes

    procs = read_processes(engine, tenant=tenants or None, process=processes or None)
    cols: Dict[str, List[Any]] = {c: [] for c in _COLUMNS}
    for row in procs.itertuples(index=False):
        for kind, key in engine._core.registry_keys(row.stream_id):
            if matches and not any((not k or k == kind) and (key.endswith(x) if suffix else key == x) for k, x, suffix in matches):
                continue
            for c, v in zip(_COLUMNS, (row.stream_id, row.process_id, str(row.tenant_id), str(row.workflow), kind, key, None)):
                cols[c].append(v)
    return _categorical_frame(cols, ("stream_id", "process_id", "tenant_id", "workflow", "kind"), ("created_at",))


def registry(
    source: "HistorySource",
    *,
    malo: "Filter" = None,
    vorgangsnummer: "Filter" = None,
    kind: "Filter" = None,
    key: "Filter" = None,
    tenant: "Filter" = None,
    process: "Filter" = None,
) -> "pd.DataFrame":
    """One row per registry entry: ``stream_id, process_id, tenant_id, workflow, kind, key,
    created_at`` (``created_at`` is NaT for an in-memory engine), in registration order.

    Filters (one value or a list of alternatives; different filters must all match): ``malo``
    (MaLo-IDs, check digit verified), ``vorgangsnummer``, ``kind`` and ``key`` (raw registry
    entries), ``tenant`` (tenant id or MP-ID), ``process`` (process id). Raises
    :class:`~mako_engine.InvalidInput` for a MaLo-ID or MP-ID that is not valid.
    """
    from .history import _values, frame_from_columns, open_reader

    by_malo, by_vorgang = _matches(malo, vorgangsnummer)
    kinds, keys = _values(kind), _values(key)
    tenants, processes_ = tenant_ids(tenant), _values(process)
    groups = [g for g in (by_malo, by_vorgang, [(k, x, False) for k in kinds or [""] for x in keys] if keys else []) if g]
    reader = open_reader(source)

    def read(matches: List[Tuple[str, str, bool]]) -> "pd.DataFrame":
        if reader is None:
            return _registry_in_memory(source, matches, tenants, processes_)
        return frame_from_columns(reader.registry(matches, tenants, [], [], processes_))

    df = read(groups[0] if groups else [])
    for group in groups[1:]:  # AND across filters: streams matching every one
        df = df[df["stream_id"].isin(set(read(group)["stream_id"].astype(str)))]
    if kinds:
        df = df[df["kind"].isin(kinds)]
    return df.reset_index(drop=True)


def key_streams(source: "HistorySource", malo: "Filter", vorgangsnummer: "Filter", tenants: List[str]) -> Optional[Set[str]]:
    """The stream ids of the processes registered under the MaLo-IDs and the Vorgangsnummern (each
    filter one value or alternatives; both must match), or None when neither filter is given."""
    if malo is None and vorgangsnummer is None:
        return None
    found = registry(source, malo=malo, vorgangsnummer=vorgangsnummer, tenant=tenants or None)
    return set(found["stream_id"].astype(str))
