"""History into pandas: how fast does a mako SQLite file become a DataFrame?

    python bench/python/bench_history.py RESULT.md [--events N] [--repeat R]

Writes N events (default 1,000,000; 10 per process, five event types, a small JSON payload) with the
C++ bulk importer — not measured — then measures, best of R runs, only the DataFrame build:

  (a) ``engine.events(payload=False)``: the C++ column reader over a read-only connection, numpy
      zero-copy, categoricals, tz-aware timestamps;
  (b) ``engine.events()``: (a) plus the payload JSON column (Arrow string, zero-copy);
  (c) ``engine.processes()``: one row per process;
  (d) for comparison, what one would write by hand: ``pandas.read_sql`` on the ``event_log`` view
      through Python's sqlite3 (object columns, text timestamps parsed afterwards).

Target: (b) at 1M events <= 1 s on the reference machine. Appends a markdown section to argv[1].
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, List

import pandas as pd

import mako_engine as mk
from mako_engine import _synthetic


def best_of(repeat: int, f: Callable[[], object]) -> float:
    times: List[float] = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def read_sql_by_hand(path: Path) -> pd.DataFrame:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        df = pd.read_sql("SELECT position, stream_id, process_id, tenant_id, workflow_name, format_version, sequence_number, "
                         "event_type, timestamp, payload FROM event_log ORDER BY position", con)
    finally:
        con.close()
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601")
    return df


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="markdown file to append the results to")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-read-sql", action="store_true", help="leave out the (slow) read_sql comparison")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="mako-bench-history-", dir=os.environ.get("MAKO_BENCH_DIR")) as tmp:
        path = Path(tmp) / "history.sqlite"
        t = time.perf_counter()
        written = _synthetic.write_bulk_events(path, args.events)
        write_s = time.perf_counter() - t
        size_mb = os.path.getsize(path) / 1e6
        engine = mk.Engine.open(path, read_only=True)

        results = []
        df = engine.events()
        assert len(df) == written, (len(df), written)
        results.append(("(a) `engine.events(payload=False)`", best_of(args.repeat, lambda: engine.events(payload=False))))
        results.append(("(b) `engine.events()` (with payload JSON column)", best_of(args.repeat, lambda: engine.events())))
        results.append(("(c) `engine.processes()`", best_of(args.repeat, lambda: engine.processes())))
        results.append(("(c') `engine.events(event_type=\"Closed\", since=...)` (filtered)",
                        best_of(args.repeat, lambda: engine.events(event_type="Closed", since="2026-06-01"))))
        if not args.skip_read_sql:
            results.append(("(d) `pandas.read_sql` on `event_log` + `to_datetime` (by hand)", best_of(1, lambda: read_sql_by_hand(path))))
        mem_mb = df.memory_usage(deep=False).sum() / 1e6

    lines = [
        "## Python: history into pandas (bench/python/bench_history.py)",
        "",
        f"- {written:,} events in {written // 10:,} processes, SQLite file {size_mb:.0f} MB (written in {write_s:.1f} s by the "
        "C++ bulk importer, not measured); best of "
        f"{args.repeat}; Python {platform.python_version()}, pandas {pd.__version__}",
        f"- frame with payload: {mem_mb:.0f} MB in memory (categoricals + int64 + Arrow strings)",
        "",
        "| build | seconds | events/s |",
        "|---|---:|---:|",
    ]
    for name, secs in results:
        rate = f"{written / secs:,.0f}" if "processes" not in name and "filtered" not in name else ""
        lines.append(f"| {name} | {secs:.3f} | {rate} |")
    target = dict(results)["(b) `engine.events()` (with payload JSON column)"]
    lines += ["", f"Target: 1M events into a DataFrame in <= 1 s: **{'met' if target <= 1.0 or written < 1_000_000 else 'missed'}** "
              f"({target:.3f} s for {written:,} events).", ""]
    text = "\n".join(lines) + "\n"
    with open(args.out, "a", encoding="utf-8") as f:
        f.write(text)
    sys.stderr.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
