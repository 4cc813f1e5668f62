"""The C++ BDEW calendar must agree with bdew-datetimes (PyPI) day for day, 2000-01-01..2100-12-31.

Runs the C++ tool `mako_dump_working_days` (tests/tools/dump_working_days.cpp), whose path comes from
the environment variable MAKO_DUMP_WORKING_DAYS or is searched under build*/tests/cpp/. A missing tool
or a missing bdew-datetimes is a failure, never a skip: this test is the calendar's reference check.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIRST = dt.date(2000, 1, 1)
LAST = dt.date(2100, 12, 31)
MAX_REPORTED = 20


def _find_dump_tool() -> Path:
    env = os.environ.get("MAKO_DUMP_WORKING_DAYS")
    if env:
        path = Path(env)
        if not (path.is_file() and os.access(path, os.X_OK)):
            pytest.fail(f"MAKO_DUMP_WORKING_DAYS={env!r} is not an executable file")
        return path
    candidates = sorted(
        (p for p in REPO.glob("build*/tests/cpp/mako_dump_working_days") if os.access(p, os.X_OK)),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    if not candidates:
        pytest.fail(
            "mako_dump_working_days not found: build it (cmake --build <build> --target "
            "mako_dump_working_days) and/or set MAKO_DUMP_WORKING_DAYS to its path"
        )
    return candidates[0]


def _bdew():
    try:
        from bdew_datetimes.calendar import create_bdew_calendar
        from bdew_datetimes.periods import is_bdew_working_day
    except ImportError as exc:  # pragma: no cover - environment problem, reported as failure
        pytest.fail(f"bdew-datetimes is required for this test (pip install bdew-datetimes): {exc}")
    return is_bdew_working_day, create_bdew_calendar()


def _run_dump(*args: str) -> list[str]:
    tool = _find_dump_tool()
    result = subprocess.run(
        [str(tool), "--from", FIRST.isoformat(), "--to", LAST.isoformat(), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, f"{tool} failed ({result.returncode}): {result.stderr}"
    return result.stdout.splitlines()


def _days():
    day = FIRST
    while day <= LAST:
        yield day
        day += dt.timedelta(days=1)


def test_working_days_match_bdew_datetimes_2000_to_2100():
    is_bdew_working_day, calendar = _bdew()
    lines = _run_dump()
    expected_days = list(_days())
    assert len(lines) == len(expected_days), f"tool printed {len(lines)} lines, expected {len(expected_days)}"

    differences = []
    for day, line in zip(expected_days, lines):
        iso, flag = line.split(" ")
        assert iso == day.isoformat(), f"tool out of step: got {iso}, expected {day}"
        ours = flag == "1"
        theirs = is_bdew_working_day(day)
        if ours != theirs:
            differences.append(
                f"{iso} ({day:%a}): mako={'WT' if ours else 'non-WT'}, "
                f"bdew-datetimes={'WT' if theirs else 'non-WT'} {calendar.get(day) or ''}".rstrip()
            )
    assert not differences, (
        f"{len(differences)} day(s) differ from bdew-datetimes; first {MAX_REPORTED}:\n"
        + "\n".join(differences[:MAX_REPORTED])
    )


def test_holiday_names_match_bdew_datetimes_on_weekdays():
    """Names of non-working weekdays agree (as sets: both sides join coinciding holidays with '; ')."""
    _is_bdew_working_day, calendar = _bdew()
    differences = []
    for line in _run_dump("--names"):
        head, _, name = line.partition("\t")
        iso, flag = head.split(" ")
        day = dt.date.fromisoformat(iso)
        if day.weekday() >= 5 or flag == "1":
            continue
        ours = {n.strip() for n in name.split(";") if n.strip()}
        theirs = {n.strip() for n in (calendar.get(day) or "").split(";") if n.strip()}
        if ours != theirs:
            differences.append(f"{iso}: mako={sorted(ours)}, bdew-datetimes={sorted(theirs)}")
    assert not differences, (
        f"{len(differences)} holiday name(s) differ; first {MAX_REPORTED}:\n" + "\n".join(differences[:MAX_REPORTED])
    )
