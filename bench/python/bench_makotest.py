"""Receiving UTILMD: mako-engine's parse + AHB check against makotest.validate_edifact, same bytes, one run.

    python bench/python/bench_makotest.py RESULT.md [--bench-exe build/bench/edifact/bench_edifact_ahb]

The bytes are mako_engine.edifact.corpus.utilmd_bulk_interchange(1000) (1,000 UTILMD 55001 messages in one
interchange, what the C++ benchmark generates). Measured: makotest.validate_edifact (MIG + AHB + semantic
rules, PyPI makotest, the test oracle of tests/python/test_conformance_utilmd.py), mako_engine.edifact.check_ahb
(the C++ parse + read_utilmd + check_utilmd_ahb, findings converted to Python), and the C++ path alone as the
inbound pipeline runs it (bench_edifact_ahb, run from here). makotest refuses a multi-message interchange that
begins with a UNA service string advice ("messages without a UNB envelope"), so it is given the same bytes
without the (default) UNA; it then reads all 1,000 messages. Appends a markdown section to argv[1].
Issue target: >= 50 MB/s and >= 20x makotest.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

from bench_results import append_section

import makotest

import mako_engine.edifact as edifact

MESSAGES = 1000
ON = "2026-03-02"  # the corpus' message date (FV2604, UTILMD S2.1)


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def single_message_interchanges(interchange: bytes) -> list:
    """Each UNH..UNT of `interchange` in its own UNB..UNZ envelope (default separators, no UNA)."""
    segments = interchange.split(b"'")
    unb = segments[0] + b"'"
    out, current = [], []
    for seg in segments[1:]:
        if seg.startswith(b"UNH+"):
            current = [seg]
        elif current:
            current.append(seg)
            if seg.startswith(b"UNT+"):
                out.append(unb + b"'".join(current) + b"'" + b"UNZ+1+" + unb.split(b"+")[5].rstrip(b"'") + b"'")
                current = []
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--bench-exe", type=Path, default=Path("build/bench/edifact/bench_edifact_ahb"))
    args = parser.parse_args()

    data = edifact.corpus.utilmd_bulk_interchange(MESSAGES)
    assert data.startswith(b"UNA:+.? '"), data[:20]
    without_una = data[data.index(b"UNB"):]
    size_mb = len(data) / 1e6

    report = makotest.validate_edifact(without_una, ON)
    assert len(report.messages) == MESSAGES, len(report.messages)
    makotest_errors = sum(1 for f in report.findings if f.is_error)
    ours = edifact.check_ahb(data)

    t_makotest = best_of(3, lambda: makotest.validate_edifact(without_una, ON))
    # The same messages one interchange each, as most files arrive (and as makotest reads them best).
    singles = single_message_interchanges(without_una)
    assert len(singles) == MESSAGES and all(makotest.validate_edifact(s, ON).messages for s in singles[:3])
    t_makotest_single = best_of(1, lambda: [makotest.validate_edifact(s, ON) for s in singles])
    t_python = best_of(5, lambda: edifact.check_ahb(data))

    cpp = None
    if args.bench_exe.exists():
        line = subprocess.run([str(args.bench_exe)], capture_output=True, text=True, check=True).stdout
        m = re.search(r"\+ check_utilmd_ahb ([\d.]+) MB/s (\d+) msgs/s", line)
        if m:
            cpp = (float(m.group(1)), float(m.group(2)))

    mt_mb_s = size_mb / t_makotest
    rows = [
        ("makotest 0.23 `validate_edifact` (MIG + AHB + semantic), whole interchange", mt_mb_s, MESSAGES / t_makotest,
         1.0),
        ("makotest 0.23 `validate_edifact`, one message per interchange", size_mb / t_makotest_single,
         MESSAGES / t_makotest_single, t_makotest / t_makotest_single),
        ("mako_engine.edifact.check_ahb (C++ parse + read + AHB check, findings to Python)", size_mb / t_python,
         MESSAGES / t_python, t_makotest / t_python),
    ]
    if cpp:
        rows.append(("mako C++ `parse_views` + `read_utilmd` + `check_utilmd_ahb` (bench_edifact_ahb)", cpp[0], cpp[1],
                     cpp[0] / mt_mb_s))
    section = [
        "## UTILMD parse + AHB check vs makotest (`bench/python/bench_makotest.py`)",
        "",
        f"1,000-message UTILMD interchange, {len(data):,} bytes, measured side by side in one run. "
        "Targets: >= 50 MB/s and >= 20x makotest. makotest is given the bytes without the UNA "
        "(it refuses a multi-message file that begins with one) and reads all 1,000 messages; "
        "the per-message row validates each UNH..UNT in its own envelope.",
        "",
        "| checker | MB/s | messages/s | x makotest |",
        "|---|---|---|---|",
    ]
    section += [f"| {name} | {mb:.2f} | {msgs:,.0f} | {ratio:.1f}x |" for name, mb, msgs, ratio in rows]
    section += [
        "",
        f"Findings on these bytes: ours {len(ours)}, makotest {makotest_errors} errors (the customer's first "
        "name in NAD+Z09/Z04, see docs/conformance.md).",
    ]
    append_section(args.out, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
