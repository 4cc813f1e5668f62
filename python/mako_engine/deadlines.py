"""Deadlines as data: per process and step, the deadline that applied and whether it was met.

The engine core only knows *registered* deadlines (the ``deadlines`` table: name, due, status
``pending``/``claimed``/``fired``/``moot``/``failed``/``cancelled``, ``fired_at``, ``outcome``) —
:func:`registered_deadlines` returns them as they are. :func:`deadlines` adds the MaKo reading from
the GPKE workflows' events (``cpp/include/mako/domain/gpke/step_log.hpp``):

* ``MessageSent {step, pid, recipient, transaction_reference, due?, sent_at, met}`` — one per
  outbound UTILMD: a row of kind ``"sent"``; ``missed = not met`` (sent after its due instant).
* ``AnswerDeadlineMissed {deadline, due, at}`` — a watchdog fired while the answer it guards was
  still open: the row of that deadline gets ``missed = True``.
* Registered deadlines that no sent message answers (e.g. the LFN's ``nb-answer-55002``: it waits
  for the NB) are rows of kind ``"awaited"``; their ``pid`` is the PID at the end of the name.

A sent message and a registered deadline are the same step when they belong to the same process and
have the same due instant (the NB's ``answer-55002`` is due at 11:00 local time, and so is its
55002 or 55003 answer).

Which switches missed the 11:00 answer deadline last month — one call::

    engine.deadlines(step="Send55002", missed=True, since="2026-03-01", until="2026-04-01")
    engine.missed_deadlines(pid=["55002", "55003"], month="2026-03")     # confirmation or rejection

Times are UTC; naive values are taken as UTC (``month`` too: ``"2026-03"`` is
``[2026-03-01T00:00Z, 2026-04-01T00:00Z)``), the filter applies to ``due``.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, List, Optional, Tuple, cast

from ._event_names import ANSWER_DEADLINE_MISSED, MESSAGE_SENT
from ._frames import Filter, TimeLike, frame_from_columns, require_pandas, table_from_rows, to_ns, values
from ._source import EngineLike, HistorySource, open_reader, open_source, tenant_ids
from .history import events

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["COLUMNS", "deadlines", "missed_deadlines", "registered_deadlines", "month_bounds"]

#: The columns of :func:`deadlines`, in order.
COLUMNS = [
    "stream_id", "process_id", "tenant_id", "workflow", "kind", "step", "pid", "deadline", "due", "done_at", "met",
    "missed", "recipient", "transaction_reference", "deadline_status", "fired_at", "outcome",
]

_PID_AT_END = re.compile(r"(\d{5})$")


def month_bounds(month: str) -> Tuple[int, int]:
    """``"2026-03"`` -> (ns of 2026-03-01T00:00Z, ns of 2026-04-01T00:00Z)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"month must look like '2026-03', not {month!r}")
    year, mon = int(m.group(1)), int(m.group(2))
    nxt = f"{year + (mon == 12):04d}-{mon % 12 + 1:02d}-01"
    return to_ns(f"{year:04d}-{mon:02d}-01"), to_ns(nxt)  # type: ignore[return-value]


def registered_deadlines(
    source: HistorySource,
    *,
    tenant: Filter = None,
    workflow: Filter = None,
    name: Filter = None,
    since: TimeLike = None,
    until: TimeLike = None,
    process: Filter = None,
) -> pd.DataFrame:
    """The ``deadlines`` table, one row per registered deadline: ``stream_id, process_id, tenant_id,
    workflow, name, due, status, fired_at, created_at, outcome, command``; ``since``/``until`` on due.

    A file is read by the C++ column reader; an engine without a file (in memory or PostgreSQL) through
    its deadline store (``list_deadlines``): the same columns, dtypes and rows either way."""
    require_pandas()
    source = open_source(source)  # a PostgreSQL location: an engine on it
    reader = open_reader(source)
    if reader is None:
        engine = cast(EngineLike, source)
        rows = engine._core.list_deadlines(tenant_ids(tenant), values(workflow), values(process), values(name),
                                           to_ns(since), to_ns(until))
        return frame_from_columns(table_from_rows(rows, _REGISTERED_SCHEMA))
    return frame_from_columns(reader.deadlines(tenant_ids(tenant), values(workflow), [], values(process), values(name),
                                               to_ns(since), to_ns(until)))


#: The column table of a deadline store's rows (``Engine.list_deadlines``), as the C++ reader's.
_REGISTERED_SCHEMA = [
    ("stream_id", "category"), ("process_id", "category"), ("tenant_id", "category"), ("workflow", "category"),
    ("name", "category"), ("due_ns", "int64"), ("status", "category"), ("fired_at_ns", "int64"),
    ("created_at_ns", "int64"), ("outcome", "text"), ("command", "text"),
]


def _utc(series: pd.Series) -> pd.Series:
    pd = require_pandas()
    return pd.to_datetime(series, utc=True, format="ISO8601").astype("datetime64[ns, UTC]")


def deadlines(
    source: HistorySource,
    *,
    step: Filter = None,
    pid: Filter = None,
    deadline: Filter = None,
    missed: Optional[bool] = None,
    tenant: Filter = None,
    workflow: Filter = None,
    process: Filter = None,
    since: TimeLike = None,
    until: TimeLike = None,
    month: Optional[str] = None,
) -> pd.DataFrame:
    """Per process and step: the deadline, when it was due, when the step was done, met or missed.

    Columns (:data:`COLUMNS`): identity (``stream_id, process_id, tenant_id, workflow``), ``kind``
    (``"sent"``: a message this party sent; ``"awaited"``: a registered deadline for something it
    waits for), ``step`` (``"Send55002"``, or the deadline name for awaited rows), ``pid``,
    ``deadline`` (the registered deadline's name, when there is one), ``due``, ``done_at`` (sent at),
    ``met``, ``missed``, ``recipient``, ``transaction_reference``, ``deadline_status``,
    ``fired_at``, ``outcome`` (from the deadlines table).

    Filters: ``step``, ``pid``, ``deadline`` (one value or a list), ``missed`` (True/False),
    ``tenant``, ``workflow``, ``process``, and the due instant: ``since``/``until`` or ``month``
    (``"2026-03"``). Example — the switches that missed the NB's 11:00 answer deadline in March::

        engine.deadlines(step="Send55002", missed=True, since="2026-03-01", until="2026-04-01")
    """
    since_ns, until_ns = to_ns(since), to_ns(until)
    if month is not None:
        if since_ns is not None or until_ns is not None:
            raise ValueError("pass month or since/until, not both")
        since_ns, until_ns = month_bounds(month)
    source = open_source(source)  # one engine for both reads when source is a PostgreSQL location
    ev = _message_events(source, tenant=tenant, workflow=workflow, process=process)
    is_sent = ev["event_type"] == MESSAGE_SENT
    sent, watchdog = _sent_rows(ev[is_sent]), ev[~is_sent]
    missed_keys = {(s, d.get("deadline")) for s, d in zip(watchdog["stream_id"], watchdog["data"])}
    reg = _registered(source, tenant=tenant, workflow=workflow, process=process)
    matched = _with_their_deadlines(sent, reg, missed_keys)
    awaited = _awaited_rows(reg, matched, missed_keys)
    orphans = _orphan_rows(watchdog, reg)
    out = _assemble([matched, awaited, orphans])
    return _select(out, step=step, pid=pid, deadline=deadline, missed=missed, since_ns=since_ns, until_ns=until_ns)


_IDENT = ["stream_id", "process_id", "tenant_id", "workflow"]


def _message_events(source: HistorySource, *, tenant: Filter, workflow: Filter, process: Filter) -> pd.DataFrame:
    """The MessageSent and AnswerDeadlineMissed events, identity, type, position and payload data."""
    ev = events(source, tenant=tenant, workflow=workflow, process=process,
                event_type=[MESSAGE_SENT, ANSWER_DEADLINE_MISSED], payload=True)
    data = [json.loads(p).get("data") or {} for p in ev["payload"].tolist()] if len(ev) else []
    ev = ev[[*_IDENT, "event_type", "position"]].copy()
    for c in _IDENT:
        ev[c] = ev[c].astype(object)
    ev["data"] = data
    return ev


def _sent_rows(sent: pd.DataFrame) -> pd.DataFrame:
    """A "sent" row per MessageSent: step, PID, recipient, due, sent at, met/missed as the workflow recorded them."""
    pd = require_pandas()
    sent = sent.copy()
    get = lambda key: [d.get(key) for d in sent["data"]]  # noqa: E731
    sent["kind"] = "sent"
    sent["step"] = get("step")
    sent["pid"] = get("pid")
    sent["recipient"] = get("recipient")
    sent["transaction_reference"] = get("transaction_reference")
    sent["due"] = _utc(pd.Series(get("due"), index=sent.index, dtype=object))
    sent["done_at"] = _utc(pd.Series(get("sent_at"), index=sent.index, dtype=object))
    sent["met"] = pd.array([bool(m) if m is not None else None for m in get("met")], dtype="boolean")
    sent["missed"] = ~sent["met"]
    return sent


def _registered(source: HistorySource, *, tenant: Filter, workflow: Filter, process: Filter) -> pd.DataFrame:
    """The deadlines table, renamed for joining."""
    reg = registered_deadlines(source, tenant=tenant, workflow=workflow, process=process)
    reg = reg.rename(columns={"name": "deadline", "status": "deadline_status"})
    for c in [*_IDENT, "deadline", "deadline_status"]:
        reg[c] = reg[c].astype(object)
    return reg[[*_IDENT, "deadline", "due", "deadline_status", "fired_at", "outcome"]]


def _with_their_deadlines(sent: pd.DataFrame, reg: pd.DataFrame, missed_keys: set) -> pd.DataFrame:
    """Sent messages joined to the registered deadline of the same process with the same due instant."""
    pd = require_pandas()
    matched = sent.merge(reg[["stream_id", "due", "deadline", "deadline_status", "fired_at", "outcome"]],
                         on=["stream_id", "due"], how="left").drop_duplicates("position")
    # a watchdog that fired on an open answer marks the message that came late, too
    hit = [(s, d) in missed_keys for s, d in zip(matched["stream_id"], matched["deadline"])]
    matched["missed"] = matched["missed"].fillna(False) | pd.array(hit, dtype="boolean")
    return matched


def _awaited_rows(reg: pd.DataFrame, matched: pd.DataFrame, missed_keys: set) -> pd.DataFrame:
    """An "awaited" row per registered deadline no sent message answered."""
    pd = require_pandas()
    used = set(zip(matched["stream_id"], matched["deadline"]))
    unused = pd.Series([(s, d) not in used for s, d in zip(reg["stream_id"], reg["deadline"])], index=reg.index, dtype=bool)
    awaited = reg[unused].copy()
    awaited["kind"] = "awaited"
    awaited["step"] = awaited["deadline"]
    awaited["missed"] = pd.array([(s, d) in missed_keys for s, d in zip(awaited["stream_id"], awaited["deadline"])], dtype="boolean")
    return awaited


def _orphan_rows(watchdog: pd.DataFrame, reg: pd.DataFrame) -> pd.DataFrame:
    """Watchdogs without a registered deadline (e.g. an engine whose store keeps no deadlines)."""
    pd = require_pandas()
    known = set(zip(reg["stream_id"], reg["deadline"]))
    rows: List[dict] = []
    for _, row in watchdog.iterrows():
        name = row["data"].get("deadline")
        if (row["stream_id"], name) not in known:
            known.add((row["stream_id"], name))
            rows.append({**{c: row[c] for c in _IDENT}, "kind": "awaited", "step": name, "deadline": name,
                         "due": row["data"].get("due"), "missed": True})
    if not rows:
        return pd.DataFrame()
    orphans = pd.DataFrame(rows)
    orphans["due"] = _utc(orphans["due"])
    orphans["missed"] = orphans["missed"].astype("boolean")
    return orphans


def _assemble(parts: List[pd.DataFrame]) -> pd.DataFrame:
    """The rows in :data:`COLUMNS` with their dtypes."""
    pd = require_pandas()
    frames = [f for f in parts if len(f)]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    for c in COLUMNS:
        if c not in out.columns:
            out[c] = None
    out["pid"] = [p if isinstance(p, str) else _pid_of(s) for p, s in zip(out["pid"], out["step"])]
    for c in ("due", "done_at", "fired_at"):
        out[c] = pd.to_datetime(out[c], utc=True).astype("datetime64[ns, UTC]")
    out["met"] = out["met"].astype("boolean")
    out["missed"] = out["missed"].astype("boolean")
    return out


def _select(out: pd.DataFrame, *, step: Filter, pid: Filter, deadline: Filter, missed: Optional[bool],
            since_ns: Optional[int], until_ns: Optional[int]) -> pd.DataFrame:
    """The rows the filters admit, by due instant; categories for the repeated texts."""
    pd = require_pandas()
    keep = pd.Series(True, index=out.index)
    if step is not None:
        keep &= out["step"].isin(values(step))
    if pid is not None:
        keep &= out["pid"].isin(values(pid))
    if deadline is not None:
        keep &= out["deadline"].isin(values(deadline))
    if missed is not None:
        keep &= out["missed"].fillna(False) == bool(missed)
    if since_ns is not None:
        keep &= out["due"] >= pd.Timestamp(since_ns, tz="UTC")
    if until_ns is not None:
        keep &= out["due"] < pd.Timestamp(until_ns, tz="UTC")
    out = out[keep.fillna(False).astype(bool)][COLUMNS].sort_values(["due", "stream_id"], na_position="last", kind="stable")
    out = out.reset_index(drop=True)
    for c in ("tenant_id", "workflow", "kind", "step", "pid", "deadline", "deadline_status"):
        out[c] = out[c].astype("category")
    return out


def _pid_of(step: Any) -> Optional[str]:
    m = _PID_AT_END.search(step) if isinstance(step, str) else None
    return m.group(1) if m else None


def missed_deadlines(source: HistorySource, **filters: Any) -> pd.DataFrame:
    """:func:`deadlines` with ``missed=True``, e.g. ``missed_deadlines(engine, pid="55002", month="2026-03")``."""
    filters["missed"] = True
    return deadlines(source, **filters)
