"""Several OS processes and threads on one store; GIL release; persistent thread states; Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import mako_engine as mk

from conftest import Counter

WRITER = textwrap.dedent(
    """
    import sys
    import mako_engine as mk
    sys.path.insert(0, sys.argv[4])
    from conftest import Counter
    engine = mk.Engine.open(sys.argv[1], durability="relaxed", busy_timeout=30.0)
    p = engine.resume(Counter, sys.argv[2])
    retried = 0
    for i in range(int(sys.argv[3])):
        for attempt in range(1000):
            try:
                p.execute({"kind": "add", "by": 1})
                break
            except mk.VersionConflict:
                retried += 1
    print("retried", retried)
    """
)


def test_two_os_processes_write_one_sqlite_stream(db_path: Path) -> None:
    engine = mk.Engine.open(db_path)
    p = engine.spawn(Counter)
    p.execute({"kind": "add", "by": 1})
    per_writer = 150
    here = str(Path(__file__).parent)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), p.identity().to_json(), str(per_writer), here],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=120) for w in writers]
    for w, (out, err) in zip(writers, outputs):
        assert w.returncode == 0, err
        assert out.startswith("retried")
    events = engine.load_stream(p.stream_id)
    assert [e.sequence_number for e in events] == list(range(1, 2 * per_writer + 2))
    assert len({str(e.event_id) for e in events}) == len(events)  # no duplicates
    assert p.state()["count"] == 2 * per_writer + 1
    assert p.event_count() == 2 * per_writer + 1


def test_threads_with_retry_on_one_stream(engine: mk.Engine) -> None:
    p = engine.spawn(Counter)
    p.execute({"kind": "add", "by": 1})  # the process exists in the store from its first event on: now it can be resumed
    identity = p.identity()
    errors: list = []

    def work() -> None:
        try:
            mine = engine.resume(Counter, identity)  # its own handle: conflicts are real
            for _ in range(50):
                mine.execute_with_retry({"kind": "add", "by": 1}, max_attempts=1000)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [e.sequence_number for e in engine.load_stream(identity.stream_id)] == list(range(1, 202))
    assert p.state()["count"] == 201


def test_native_threads_keep_one_python_thread_state_each() -> None:
    engine = mk.Engine.in_memory()
    p = engine.spawn(Counter)
    before = mk._core._foreign_thread_states_created()
    appended = mk._core._execute_from_native_threads(p, {"kind": "add", "by": 1}, 4, 100)
    assert appended == 400
    assert mk._core._foreign_thread_states_created() - before == 4  # one per thread, not one per call
    assert p.state()["count"] == 400


def test_native_threads_surface_python_exceptions() -> None:
    p = mk.Engine.in_memory().spawn(Counter)
    with pytest.raises(mk.WorkflowNotImplemented):
        mk._core._execute_from_native_threads(p, {"kind": "fly"}, 2, 1)


def test_gil_is_released_during_builtin_execution() -> None:
    """While one thread executes C++ commands, another Python thread keeps running."""
    engine = mk.Engine.in_memory()
    p = engine.spawn("lifecycle")
    p.execute({"type": "Register", "data": {"name": "x"}})
    for i in range(2000):
        p.execute({"type": "Activate"} if i % 2 == 0 else {"type": "Deactivate"})
    stop = threading.Event()
    ticks = [0]

    def spin() -> None:
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        deadline = time.perf_counter() + 0.5
        replays = 0
        while time.perf_counter() < deadline:
            p.replay()
            replays += 1
    finally:
        stop.set()
        t.join()
    assert replays > 0 and ticks[0] > 1000


INTERRUPTED = textwrap.dedent(
    """
    import os, signal, threading, time
    import mako_engine as mk

    def slow_apply(state, event):
        sum(range(300))
        return state + 1

    wf = mk.Workflow.from_functions(0, slow_apply, lambda s, c: [{"type": "E"}] * c, name="slow")
    engine = mk.Engine.in_memory()
    p = engine.spawn(wf)
    for _ in range(100):
        p.execute(2000)
    count = p.event_count()
    fresh = engine.resume(wf, p.identity())
    threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    started = time.perf_counter()
    try:
        fresh.state()
        print("not interrupted")
    except KeyboardInterrupt:
        print("interrupted after %.2fs" % (time.perf_counter() - started))
    assert fresh.event_count() == count
    print("state after", fresh.state(), "of", count)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_interrupts_a_long_python_replay() -> None:
    out = subprocess.run([sys.executable, "-c", INTERRUPTED], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "interrupted after" in out.stdout, out.stdout
    assert "state after 200000 of 200000" in out.stdout
