"""Engine.unit_of_work(): many commands in one SQLite transaction, all kept or none."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

import mako_engine as mk

from conftest import Counter


def test_commands_in_a_unit_commit_together(db_path: Path) -> None:
    engine = mk.Engine.open(db_path)
    processes = []
    with engine.unit_of_work():
        for _ in range(20):
            p = engine.spawn(Counter())
            p.execute({"kind": "add", "by": 2})
            processes.append(p)
        # This thread reads what the unit wrote before it commits ...
        assert engine.stream_version(processes[0].stream_id) == 1
        # ... another connection to the file does not.
        assert mk.Engine.open(db_path, read_only=True).head_position() == 0
    reader = mk.Engine.open(db_path, read_only=True)
    assert reader.head_position() == 20
    assert all(reader.stream_version(p.stream_id) == 1 for p in processes)


def test_a_unit_that_raises_keeps_nothing(db_path: Path) -> None:
    engine = mk.Engine.open(db_path)
    kept = engine.spawn(Counter())
    kept.execute({"kind": "add", "by": 1})
    with pytest.raises(RuntimeError, match="changed my mind"), engine.unit_of_work():
        kept.execute({"kind": "add", "by": 10})
        engine.spawn(Counter()).execute({"kind": "add", "by": 5})
        raise RuntimeError("changed my mind")
    assert engine.head_position() == 1
    assert mk.Engine.open(db_path).stream_version(kept.stream_id) == 1
    # The handle's cached state saw the rolled-back event; the retry notices and decides anew.
    kept.execute_with_retry({"kind": "add", "by": 100}, max_attempts=2)
    assert kept.state()["count"] == 101


def test_units_nest_and_an_inner_failure_rolls_back_only_the_inner_block(db_path: Path) -> None:
    engine = mk.Engine.open(db_path)
    with engine.unit_of_work():
        outer = engine.spawn(Counter())
        outer.execute({"kind": "add", "by": 1})
        with pytest.raises(ValueError), engine.unit_of_work():
            engine.spawn(Counter()).execute({"kind": "add", "by": 1})
            raise ValueError("inner")
    assert mk.Engine.open(db_path).head_position() == 1


def test_other_threads_wait_for_the_unit(db_path: Path) -> None:
    engine = mk.Engine.open(db_path)
    done = threading.Event()

    def write() -> None:
        engine.spawn(Counter()).execute({"kind": "add", "by": 1})
        done.set()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)  # no forced switches: t gives the GIL back only where it blocks
    try:
        with engine.unit_of_work():
            engine.spawn(Counter()).execute({"kind": "add", "by": 1})
            t = threading.Thread(target=write)
            t.start()  # returns once t blocks: on the unit, with the GIL released (else this hangs)
            assert not done.is_set()
    finally:
        sys.setswitchinterval(interval)
    t.join(600)  # a safety bound only
    assert done.is_set()
    assert engine.head_position() == 2


def test_a_unit_object_refuses_misuse(engine: mk.Engine) -> None:
    unit = engine._core.begin_work_unit()
    unit.commit()
    assert not unit.open
    with pytest.raises(mk.InvalidInput, match="after it ended"):
        unit.commit()
    with engine.unit_of_work():  # the in-memory engine commits each write; the block still works
        engine.spawn(Counter()).execute({"kind": "add", "by": 1})
    assert engine.head_position() == 1
