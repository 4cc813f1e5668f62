"""EDIFACT parsing: mako-engine against the PyPI `pydifact` parser, on one 1,000-message UTILMD interchange.

    python bench/python/bench_edifact.py RESULT.md [--bench-exe build/bench/edifact/bench_edifact_parse]

One run, same bytes (mako_engine.edifact.corpus.utilmd_bulk_interchange(1000), which is also what the
C++ benchmark generates): pydifact's Interchange.from_str (a full parse into Python objects),
mako_engine.edifact.parse (the C++ parser plus conversion of every segment into Python objects), and the
C++ parser alone as an embedder calls it (figures of bench_edifact_parse, run from here). Appends a
markdown section to argv[1].
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

from bench_results import append_section

import mako_engine.edifact as edifact


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--bench-exe", type=Path, default=Path("build/bench/edifact/bench_edifact_parse"))
    args = parser.parse_args()

    data = edifact.corpus.utilmd_bulk_interchange(1000)
    text = data.decode("latin-1")
    size_mb = len(data) / 1e6

    from pydifact.segmentcollection import Interchange  # the peer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydifact warns once per segment type about missing XML specs
        t_pydifact = best_of(3, lambda: list(Interchange.from_str(text).segments))
    t_python = best_of(5, lambda: edifact.parse(data))
    parsed = edifact.parse(data)
    assert len(parsed.messages) == 1000

    cpp_mb_s = cpp_msgs_s = None
    if args.bench_exe.exists():
        line = subprocess.run([str(args.bench_exe)], capture_output=True, text=True, check=True).stdout
        m = re.search(r"\| parse ([\d.]+) MB/s (\d+) msgs/s", line)
        if m:
            cpp_mb_s, cpp_msgs_s = float(m.group(1)), float(m.group(2))

    pyd_mb_s = size_mb / t_pydifact
    rows = [
        ("pydifact 0.x `Interchange.from_str` (Python objects)", pyd_mb_s, 1000 / t_pydifact, 1.0),
        ("mako_engine.edifact.parse (C++ parse + Python objects)", size_mb / t_python, 1000 / t_python, t_pydifact / t_python),
    ]
    if cpp_mb_s:
        rows.append(("mako C++ parser (`edifact::parse`, bench_edifact_parse)", cpp_mb_s, cpp_msgs_s, cpp_mb_s / pyd_mb_s))
    section = [
        "## EDIFACT parsing vs pydifact (`bench/python/bench_edifact.py`)",
        "",
        f"1,000-message UTILMD interchange, {len(data):,} bytes. Targets: >= 50x pydifact and >= 100 MB/s.",
        "",
        "| parser | MB/s | messages/s | x pydifact |",
        "|---|---|---|---|",
    ]
    section += [f"| {name} | {mb:.2f} | {msgs:,.0f} | {ratio:.1f}x |" for name, mb, msgs, ratio in rows]
    append_section(args.out, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
