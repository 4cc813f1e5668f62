"""A timeline plot of processes, their steps and their deadlines (matplotlib).

    ax = mk.plot_timeline(engine, processes=10)            # the first 10 processes
    ax = mk.plot_timeline(engine.events(workflow="gpke.lieferbeginn.nb"), processes=["f540f1a2-..."])

One row per process, in the order asked for: a grey bar from its first to its last event, a marker
per event (one fixed colour per event type, the same in every plot: :func:`event_color`), and each
step's deadline as a vertical tick on the row — green when met, **red when missed** (from
:func:`mako_engine.deadlines.deadlines`). Red and green are reserved for deadlines: no event type
gets them.
"""

from __future__ import annotations

import json
import zlib
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Union, cast

from . import _event_names as event_names
from ._frames import require_pandas
from ._source import HistorySource, open_source
from .deadlines import deadlines as read_deadlines
from .history import events as read_events

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from pandas import DataFrame

__all__ = ["plot_timeline", "event_color", "EVENT_COLORS", "MET_COLOR", "MISSED_COLOR"]

MET_COLOR = "#2e8b57"
MISSED_COLOR = "#d62728"

#: Colours for event types without a fixed one, picked by a hash of the type's name (stable across
#: plots and runs). No red or green: those mean a deadline missed / met.
_PALETTE = ("#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79",
            "#aec7e8", "#ffbb78", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5", "#636363", "#843c39")

#: The fixed colour of the GPKE event types (cpp/include/mako/domain/gpke/*.hpp): a step of one kind
#: looks the same in every plot.
EVENT_COLORS: Dict[str, str] = {
    # requests coming in / going out
    event_names.ANMELDUNG_RECEIVED: "#1f77b4", event_names.ANMELDUNG_SENT: "#1f77b4",
    event_names.REQUEST_RECEIVED: "#1f77b4", event_names.REQUEST_SENT: "#1f77b4",
    # the step log: a message sent, a watchdog that fired (its deadline tick is the red one)
    event_names.MESSAGE_SENT: "#7f7f7f", event_names.ANSWER_DEADLINE_MISSED: "#393b79",
    # the LFA exchange
    event_names.BEENDIGUNG_ANGEFRAGT: "#17becf", event_names.LFA_ANSWER_RECEIVED: "#9edae5",
    event_names.LATE_LFA_ANSWER_IGNORED: "#bcbd22",
    event_names.LFA_REJECTION_DISREGARDED: "#dbdb8d", event_names.LFA_ANSWER_WINDOW_CLOSED: "#aec7e8",
    event_names.EXISTING_ASSIGNMENT_INFORMED: "#17becf",
    # outcomes: confirmations purple, rejections brown
    event_names.ANMELDUNG_CONFIRMED: "#9467bd", event_names.NB_CONFIRMED: "#9467bd",
    event_names.ANSWER_RECEIVED: "#9467bd", event_names.ANSWERED: "#9467bd",
    event_names.SILENCE_COUNTED_AS_CONSENT: "#c5b0d5", event_names.ANMELDUNG_REJECTED: "#8c564b",
    event_names.NB_REJECTED: "#8c564b",
    event_names.LATE_ANSWER_IGNORED: "#bcbd22", event_names.FOLLOW_UP_RECEIVED: "#ff7f0e",
}


def event_color(event_type: str) -> str:
    """The marker colour of ``event_type``: its fixed colour (:data:`EVENT_COLORS`), else one picked by a
    hash of the name from a palette without red and green — the same in every plot."""
    fixed = EVENT_COLORS.get(event_type)
    if fixed is not None:
        return fixed
    return _PALETTE[zlib.crc32(event_type.encode("utf-8")) % len(_PALETTE)]


def _deadlines_from_events(df: pd.DataFrame) -> pd.DataFrame:
    """Deadline ticks from MessageSent / AnswerDeadlineMissed rows of an events frame (with payload)."""
    pd = require_pandas()
    rows = []
    if "payload" in df.columns:
        sub = df[df["event_type"].isin([event_names.MESSAGE_SENT, event_names.ANSWER_DEADLINE_MISSED])]
        for pid, etype, payload in zip(sub["process_id"], sub["event_type"], sub["payload"]):
            data = json.loads(payload).get("data") or {}
            if data.get("due"):
                missed = not data.get("met", True) if etype == event_names.MESSAGE_SENT else True
                rows.append({"process_id": str(pid), "due": data["due"], "missed": missed})
    out = pd.DataFrame(rows, columns=["process_id", "due", "missed"])
    out["due"] = pd.to_datetime(out["due"], utc=True, format="ISO8601")
    return out


def plot_timeline(
    source: Union[HistorySource, pd.DataFrame],
    *,
    processes: Union[int, Sequence[str], None] = 20,
    ax: Optional[Axes] = None,
    deadlines: bool = True,
    title: Optional[str] = None,
) -> Axes:
    """Draws processes (rows) against time and returns the matplotlib ``Axes``.

    ``source``: an engine, a database path, or an events DataFrame (``engine.events()`` /
    ``process.history()``; keep the payload column for deadline ticks). ``processes``: how many
    (the first by first event) or which process ids (drawn top to bottom in the order given);
    ``None`` = all. ``ax``: draw into this Axes
    (default: a new figure). ``deadlines=False`` leaves the deadline ticks out.

    Artists, for tests and styling: one ``LineCollection`` of process bars, one ``PathCollection``
    per event type (colour :func:`event_color`), and the deadline ticks as ``PathCollection``\\ s labelled ``"deadline met"`` and
    ``"deadline missed"`` (the latter in :data:`MISSED_COLOR`).
    """
    pd = require_pandas()
    try:
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ImportError(f"plot_timeline needs matplotlib ({e}): pip install 'mako-engine[history]'") from e

    from_frame = isinstance(source, pd.DataFrame)
    if not from_frame:
        source = open_source(cast(HistorySource, source))  # a PostgreSQL location: one engine for both reads
    ev = cast("DataFrame", source) if from_frame else read_events(cast(HistorySource, source))
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 0.35 * (processes if isinstance(processes, int) else 20) + 1.5))
    if ev.empty:
        ax.set_title(title or "no events")
        return ax
    ev = ev.assign(process_id=ev["process_id"].astype(str))
    first = ev.groupby("process_id", sort=False)["timestamp"].min().sort_values(kind="stable")
    chosen: List[str]
    if processes is None:
        chosen = list(first.index)
    elif isinstance(processes, int):
        chosen = list(first.index[:processes])
    else:
        present = set(first.index)
        chosen = [p for p in dict.fromkeys(str(p) for p in processes) if p in present]
    row = {p: i for i, p in enumerate(chosen)}
    ev = ev[ev["process_id"].isin(row)]
    last = ev.groupby("process_id")["timestamp"].max()

    naive = lambda s: s.dt.tz_convert("UTC").dt.tz_localize(None)  # noqa: E731 - matplotlib wants naive UTC
    ax.hlines([row[p] for p in chosen], [first[p].tz_localize(None) for p in chosen], [last[p].tz_localize(None) for p in chosen],
              colors="#bbbbbb", linewidth=6, zorder=1)
    for etype, group in ev.groupby(ev["event_type"].astype(str), sort=True):
        ax.scatter(naive(group["timestamp"]), group["process_id"].map(row), s=28, zorder=3, label=etype, color=event_color(etype))

    if deadlines:
        if from_frame:
            dl = _deadlines_from_events(ev)
        else:
            dl = read_deadlines(cast(HistorySource, source))
            dl = dl.assign(process_id=dl["process_id"].astype(str))[["process_id", "due", "missed"]].dropna(subset=["due"])
        dl = dl[dl["process_id"].isin(row)]
        missed = dl["missed"].fillna(False).astype(bool)
        for mask, color, label in ((~missed, MET_COLOR, "deadline met"), (missed, MISSED_COLOR, "deadline missed")):
            part = dl[mask]
            if len(part):
                ax.scatter(naive(part["due"]), part["process_id"].map(row), marker="|", s=260, linewidths=2.5, color=color,
                           zorder=4, label=label)

    ax.set_yticks(range(len(chosen)))
    ax.set_yticklabels([p[:8] for p in chosen], fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_xlabel("time (UTC)")
    ax.set_ylabel("process")
    ax.set_title(title or f"{len(chosen)} processes: steps and deadlines")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return ax
