"""The event log in process-mining shape: one row per event with a case, an activity and a time.

    log = engine.to_process_mining()                          # case_id, activity, timestamp, resource, lifecycle
    engine.to_process_mining("log.csv", workflow="gpke.lieferbeginn.nb")
    log = mk.to_process_mining(engine, xes_names=True)        # case:concept:name, concept:name, time:timestamp ...

``case_id`` is the process id, ``timestamp`` the event time (UTC), ``activity`` the event type — except
``MessageSent``, whose activity is its step (``Send55002``): that is what a process-mining tool should
see as the step. ``resource`` is the workflow (for MessageSent: ``workflow→recipient``), ``lifecycle``
is ``complete``. ``xes_names=True`` renames the columns to the XES standard names that pm4py and
most tools read without mapping.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Union, cast

from ._event_names import MESSAGE_SENT
from ._frames import require_pandas
from ._source import HistorySource
from .history import events as read_events

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pandas import DataFrame

__all__ = ["COLUMNS", "XES_NAMES", "rfc3339_times", "to_process_mining", "write_table"]

COLUMNS = ["case_id", "activity", "timestamp", "resource", "lifecycle", "workflow", "tenant_id", "sequence"]
#: Our names -> XES names.
XES_NAMES = {"case_id": "case:concept:name", "activity": "concept:name", "timestamp": "time:timestamp",
             "resource": "org:resource", "lifecycle": "lifecycle:transition"}


def rfc3339_times(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its timezone-aware time columns as RFC 3339 text, ``2026-03-16T09:00:00.000000+00:00``
    (strftime's ``%z`` gives ``+0000``, which RFC 3339 does not allow); missing times stay empty."""
    pd = require_pandas()
    times = [c for c in df.columns if isinstance(df[c].dtype, pd.DatetimeTZDtype)]
    if not times:
        return df
    out = df.copy(deep=False)
    for c in times:
        text = df[c].dt.strftime("%Y-%m-%dT%H:%M:%S.%f%z")
        out[c] = text.str.replace(r"([+-]\d\d)(\d\d)$", r"\1:\2", regex=True)
    return out


def write_table(df: pd.DataFrame, path: Union[str, os.PathLike[str]], fmt: str = "") -> None:
    """Writes ``df`` as CSV or Parquet, chosen by ``fmt`` (``"csv"``/``"parquet"``) or the extension.
    CSV timestamps are RFC 3339 (ISO 8601 with a ``+00:00`` offset, microseconds)."""
    p = os.fspath(path)
    fmt = (fmt or os.path.splitext(p)[1].lstrip(".")).lower()
    if fmt == "csv":
        rfc3339_times(df).to_csv(p, index=False)
    elif fmt in ("parquet", "pq"):
        df.to_parquet(p, index=False)
    else:
        raise ValueError(f"unknown table format {fmt!r}: use csv or parquet")


def to_process_mining(source: Union[HistorySource, pd.DataFrame], path: Union[str, os.PathLike[str], None] = None, *,
                      xes_names: bool = False, **filters: Any) -> pd.DataFrame:
    """The events (of ``source``: an engine, a path or an events frame with payload; ``filters`` as
    for :func:`mako_engine.history.events`) as a process-mining log, sorted by case and time; also
    written to ``path`` (``.csv`` or ``.parquet``) when given."""
    pd = require_pandas()
    from_frame = isinstance(source, pd.DataFrame)
    ev = cast("DataFrame", source) if from_frame else read_events(cast(HistorySource, source), payload=True, **filters)
    activity = ev["event_type"].astype(str)
    resource = ev["workflow"].astype(str)
    if "payload" in ev.columns and len(ev):
        sent = (ev["event_type"] == MESSAGE_SENT).to_numpy()
        if sent.any():
            data = [json.loads(p).get("data") or {} for p in ev.loc[sent, "payload"]]
            activity = activity.copy()
            resource = resource.copy()
            activity[sent] = [d.get("step") or MESSAGE_SENT for d in data]
            resource[sent] = [f"{w}→{d.get('recipient', '')}" for w, d in zip(resource[sent], data)]
    log = pd.DataFrame({
        "case_id": ev["process_id"].astype(str),
        "activity": activity.astype("category"),
        "timestamp": ev["timestamp"],
        "resource": resource.astype("category"),
        "lifecycle": pd.Categorical(["complete"] * len(ev)),
        "workflow": ev["workflow"],
        "tenant_id": ev["tenant_id"],
        "sequence": ev["sequence"],
    })
    log = log.sort_values(["case_id", "sequence"], kind="stable").reset_index(drop=True)
    if xes_names:
        log = log.rename(columns=XES_NAMES)
    if path is not None:
        write_table(log, path)
    return log
