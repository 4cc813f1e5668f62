"""Several OS processes and threads on one store; GIL release; persistent thread states; Ctrl-C."""

from __future__ import annotations

import gc
import os
import select
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Callable, TypeVar

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
        except BaseException as exc:  # noqa: BLE001 - pragma: no cover - any failure in the thread is reported below
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


T = TypeVar("T")
SPIN = 1000  # the other thread's loop in _progress_during


def _progress_during(call: Callable[[], T]) -> tuple[int, T]:
    """Runs ``call()`` in this thread and returns how far another Python thread got while it ran,
    with its result.

    The other thread waits for ``go`` and then counts to ``SPIN``. With the interpreter's forced
    thread switches off (a switch interval of 1000 s), the GIL changes hands only when its holder
    releases it by itself, so the counter read right after ``call()`` returns is race-free:

    * ``go`` is set right before the call; the woken thread then waits for the GIL, and this thread
      keeps it through the few bytecodes to the call (nothing there blocks, and no forced switch
      comes before 1000 s);
    * if the call releases the GIL, the thread takes it and counts, and the counter is > 0 when
      the call returns (this thread gets the GIL back only once the thread has finished counting);
    * if the call keeps the GIL, the thread cannot run until this thread blocks, which is only in
      ``join()`` after the counter was read: it reads 0.

    Whatever else gives the GIL away inside the window counts too: a module imported on first use
    (file I/O), so the caller warms the call up first, or a finalizer run by the garbage collector
    (closing a file), so collection is off in the window. No timing is involved, only that the
    call's released stretch is long enough in work (here a fraction of a second) for the OS to wake
    the waiting thread within it.
    """
    progress = [0]
    go = threading.Event()

    def spin() -> None:
        go.wait()
        for _ in range(SPIN):
            progress[0] += 1

    worker = threading.Thread(target=spin)
    interval = sys.getswitchinterval()
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    sys.setswitchinterval(1000.0)
    try:
        worker.start()  # it blocks in go.wait(), which hands the GIL back
        go.set()
        result = call()
        seen = progress[0]
    finally:
        sys.setswitchinterval(interval)
        if collecting:
            gc.enable()
        go.set()
        worker.join()
    assert progress[0] == SPIN
    return seen, result


def _long_lifecycle_history(path: Path, streams: int = 20, events_per_stream: int = 10_000) -> None:
    """``streams`` built-in "lifecycle" processes of ``events_per_stream`` events each (Registered,
    then Activated and Deactivated by turns), written by the C++ bulk importer."""
    tenant = "00000000-0000-4000-8000-000000000001"
    processes, types, payloads = [], [], []
    for s in range(streams):
        process = f"00000000-0000-4000-8000-{s + 1:012d}"
        for k in range(events_per_stream):
            kind = "Registered" if k == 0 else ("Activated" if k % 2 else "Deactivated")
            processes.append(process)
            types.append(kind)
            payloads.append(f'{{"type":"Registered","data":{{"name":"p{s}"}}}}' if k == 0 else f'{{"type":"{kind}"}}')
    times = [1_772_323_200_000_000_000 + k * 1_000_000 for k in range(len(types))]
    mk._core._import_history(str(path), "lifecycle", "FV2025-10-01", [tenant] * len(types), processes, types, times, payloads,
                             commits_per_transaction=5000)


def test_gil_is_released_while_cpp_folds_builtin_workflows(tmp_path: Path) -> None:
    """One long C++ call with the GIL released: HistoryReader.processes() folds 200,000 events of
    built-in (C++) workflows into each process's status. Another Python thread makes progress
    *during* that call (see _progress_during for why the count is race-free)."""
    path = tmp_path / "history.sqlite"
    _long_lifecycle_history(path)
    reader = mk._core.HistoryReader(str(path))
    reader.processes(builtin=True)  # warm-up: the first result imports numpy, and imports release the GIL
    seen, table = _progress_during(lambda: reader.processes(builtin=True))
    assert seen > 0, "no other Python thread ran while processes() folded the streams: the GIL was held"
    frame = mk.history.frame_from_columns(table)  # the call did the work: every stream folded to its end
    assert len(frame) == 20
    assert set(frame["status"]) == {"Active"} and set(frame["events"]) == {10_000}


def test_progress_during_sees_nothing_while_a_call_keeps_the_gil() -> None:
    """The control: the same measurement around a C call that keeps the GIL throughout (sum() over
    a range, in C, no bytecode) counts no progress at all, so the test above can fail."""
    seen, total = _progress_during(lambda: sum(range(3_000_000)))
    assert total == 3_000_000 * (3_000_000 - 1) // 2
    assert seen == 0


def test_execute_waits_for_the_write_lock_without_the_gil(tmp_path: Path) -> None:
    """A builtin workflow's execute() waits for the store's write lock with the GIL released: the
    Python thread holding that lock gets to run and gives it up. With the interpreter's forced
    thread switches off, the other thread runs only when this one releases the GIL, so a held GIL
    deadlocks until the busy timeout (120 s) fails the test with a busy error."""
    path = tmp_path / "gil.sqlite"
    engine = mk.Engine.open(path, busy_timeout=120.0)
    p = engine.spawn("lifecycle")
    p.execute({"type": "Register", "data": {"name": "x"}})
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, held by this thread's connection
    go = threading.Event()

    def release_the_lock() -> None:
        go.wait()
        holder.execute("ROLLBACK")

    t = threading.Thread(target=release_the_lock)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        t.start()
        go.set()  # t can take the GIL only once execute() releases it
        p.execute({"type": "Activate"})
    finally:
        sys.setswitchinterval(interval)
        go.set()
        t.join()
        holder.close()
    assert p.state()["status"] == "Active"
    assert engine.head_position() == 2


# A Python replay that signals (through the pipe whose descriptor is argv[1]) once it is under way
# and then runs until Ctrl-C: no timer decides when the signal arrives.
INTERRUPTED = textwrap.dedent(
    """
    import os, signal, sys
    import mako_engine as mk

    # Python leaves SIGINT alone when it starts with SIGINT ignored (a job started with & by a
    # shell without job control); a terminal's Ctrl-C is what is tested, so take it back.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    ready = int(sys.argv[1])
    spin_at = [None]

    def apply(state, event):
        if state == spin_at[0]:
            os.write(ready, b"r")
            os.close(ready)
            while True:  # a replay that never ends by itself; Ctrl-C stops it here
                pass
        return state + 1

    wf = mk.Workflow.from_functions(0, apply, lambda s, c: [{"type": "E"}] * c, name="spin")
    engine = mk.Engine.in_memory()
    p = engine.spawn(wf)
    p.execute(2000)
    count = p.event_count()
    fresh = engine.resume(wf, p.identity())
    spin_at[0] = 1000
    try:
        fresh.state()
        print("not interrupted")
    except KeyboardInterrupt:
        print("interrupted")
    spin_at[0] = None
    assert fresh.event_count() == count
    print("state after", fresh.state(), "of", count)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_interrupts_a_long_python_replay() -> None:
    read_end, write_end = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", INTERRUPTED, str(write_end)], pass_fds=(write_end,),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(write_end)
    try:
        # The replay is under way when the child writes; EOF (b"") means it died first. The select
        # bound is only a safety net against a hung child.
        readable, _, _ = select.select([read_end], [], [], 600)
        assert readable, "the child never started its replay"
        assert os.read(read_end, 1) == b"r", child.communicate()[1]
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=600)
    finally:
        os.close(read_end)
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert "interrupted" in out.splitlines(), out
    assert "state after 2000 of 2000" in out, out
