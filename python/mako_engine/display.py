"""Rich display in Jupyter: a :class:`~mako_engine.Process` shows its identity, status (what its
workflow says: ``process.status()``), last event type, event count and last events as an HTML card
(:func:`process_html`, ``Process._repr_html_``), and :class:`EventsView` wraps an events frame with a
one-line summary (events, processes, period) above a compact table.

Plain HTML built here (no jinja2, no pandas Styler); every value is escaped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["EventsView", "events_table_html", "process_html"]

_STYLE = (
    "<style>.mako-card{font-family:sans-serif;font-size:12px}.mako-card table{border-collapse:collapse}"
    ".mako-card td,.mako-card th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
    ".mako-card th{background:#f4f4f4}.mako-card .k{color:#666}.mako-card .missed{color:#c0392b;font-weight:bold}"
    ".mako-card code{font-size:11px}</style>"
)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _short(text: Any, limit: int = 120) -> str:
    s = "" if text is None else str(text)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _fmt_time(t: Any) -> str:
    try:
        return t.strftime("%Y-%m-%d %H:%M:%S UTC")
    except (AttributeError, ValueError):
        return "" if t is None else str(t)


def events_table_html(df: pd.DataFrame, columns: Sequence[str] = ("sequence", "timestamp", "event_type", "payload"),
                      max_rows: int = 10, tail: bool = True) -> str:
    """An HTML table of (the last, or first) ``max_rows`` rows of an events frame; payloads shortened."""
    cols = [c for c in columns if c in df.columns]
    part = df.tail(max_rows) if tail else df.head(max_rows)
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    rows = []
    for rec in part[cols].itertuples(index=False):
        cells = []
        for c, v in zip(cols, rec):
            if c == "timestamp":
                cells.append(f"<td>{_e(_fmt_time(v))}</td>")
            elif c == "payload":
                cells.append(f"<td><code>{_e(_short(v))}</code></td>")
            else:
                cells.append(f"<td>{_e(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _kv(rows: Iterable[tuple]) -> str:
    return "<table>" + "".join(f"<tr><td class='k'>{_e(k)}</td><td>{v}</td></tr>" for k, v in rows) + "</table>"


def process_html(process: Any, last: int = 10) -> str:
    """The HTML card of a process: identity, status (its workflow's ``status(state)``, ``unknown`` when the
    workflow defines none), last event type, event count, last events."""
    ident = process.identity()
    workflow = ident.workflow_id
    try:
        history = process.history()
    except Exception as exc:  # noqa: BLE001 - a display must never raise
        history = None
        note = f"<p class='k'>history unavailable: {_e(exc)}</p>"
    else:
        note = ""
    count = len(history) if history is not None else process.event_count()
    try:
        status = process.status()
    except Exception as exc:  # noqa: BLE001 - a display must never raise
        status = f"unknown ({exc})"
    if status is None:
        status = "unknown"
    last_type = str(history["event_type"].iloc[-1]) if history is not None and count else "(no events)"
    kind = "built-in" if process.is_builtin else "Python"
    facts = [
        ("workflow", f"<b>{_e(workflow.name)}</b> {_e(workflow.format_version)} <span class='k'>({kind})</span>"),
        ("status", f"<b>{_e(status)}</b>"),
        ("last event", _e(last_type)),
        ("events", _e(count)),
        ("process_id", f"<code>{_e(ident.process_id)}</code>"),
        ("tenant_id", f"<code>{_e(ident.tenant_id)}</code>"),
        ("stream_id", f"<code>{_e(ident.stream_id)}</code>"),
    ]
    if history is not None and count:
        facts.append(("period", _e(f"{_fmt_time(history['timestamp'].iloc[0])} → {_fmt_time(history['timestamp'].iloc[-1])}")))
    table = events_table_html(history, max_rows=last) if history is not None and count else ""
    title = f"<b>Process</b> <code>{_e(str(ident.process_id)[:8])}…</code>"
    more = f"<p class='k'>last {min(last, count)} of {count} events</p>" if table else ""
    return f"{_STYLE}<div class='mako-card'>{title}{_kv(facts)}{note}{more}{table}</div>"


class EventsView:
    """An events frame (``engine.events(...)``, ``process.history()``) with a Jupyter display:
    a summary line (events, processes, event types, period) and the first ``max_rows`` rows.

    ``EventsView(df).frame`` is the DataFrame itself; ``len()`` and iteration go to it.
    """

    __slots__ = ("frame", "max_rows")

    def __init__(self, frame: pd.DataFrame, max_rows: int = 20) -> None:
        self.frame = frame
        self.max_rows = max_rows

    def __len__(self) -> int:
        return len(self.frame)

    def summary(self) -> str:
        """``"313 events of 47 processes, 9 event types, 2026-03-17 … 2026-05-03"``."""
        df = self.frame
        if df.empty:
            return "no events"
        procs = df["process_id"].nunique() if "process_id" in df.columns else "?"
        types = df["event_type"].nunique() if "event_type" in df.columns else "?"
        period = ""
        if "timestamp" in df.columns:
            period = f", {df['timestamp'].min():%Y-%m-%d %H:%M} … {df['timestamp'].max():%Y-%m-%d %H:%M} UTC"
        return f"{len(df)} events of {procs} processes, {types} event types{period}"

    def _repr_html_(self) -> str:
        wanted = ("position", "timestamp", "workflow", "process_id", "sequence", "event_type", "payload")
        cols = [c for c in wanted if c in self.frame.columns]
        table = events_table_html(self.frame, columns=cols, max_rows=self.max_rows, tail=False)
        more = "" if len(self.frame) <= self.max_rows else f"<p class='k'>first {self.max_rows} of {len(self.frame)} rows</p>"
        return f"{_STYLE}<div class='mako-card'><b>Events</b>: {_e(self.summary())}{table}{more}</div>"

    def __repr__(self) -> str:
        return f"<EventsView {self.summary()}>"
