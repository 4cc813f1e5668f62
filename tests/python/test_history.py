"""History as DataFrames: engine.events() / processes() / process.history(), built column-wise in C++."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mako_engine as mk
from mako_engine import _synthetic, history

from conftest import Counter


@pytest.fixture(scope="module")
def gpke(tmp_path_factory: pytest.TempPathFactory) -> _synthetic.SyntheticHistory:
    path = tmp_path_factory.mktemp("history") / "nb.sqlite"
    return _synthetic.write_gpke_history(path, processes=60, seed=11)


def test_events_columns_dtypes_and_order(gpke: _synthetic.SyntheticHistory) -> None:
    df = history.events(gpke.path)
    assert len(df) == gpke.events
    assert list(df.columns) == ["position", "stream_id", "process_id", "tenant_id", "workflow", "format_version", "sequence",
                                "event_type", "schema_version", "timestamp", "payload"]
    assert df["position"].dtype == np.int64 and df["sequence"].dtype == np.int64
    assert (np.diff(df["position"].to_numpy()) > 0).all()
    for c in ("stream_id", "process_id", "tenant_id", "workflow", "format_version", "event_type"):
        assert isinstance(df[c].dtype, pd.CategoricalDtype), c
    assert str(df["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert str(df["timestamp"].dt.tz) == "UTC"
    assert set(df["process_id"].astype(str)) == set(gpke.processes)
    assert set(df["tenant_id"].astype(str)) == {gpke.tenant}
    assert df["workflow"].cat.categories.tolist() == ["gpke.lieferbeginn.nb"]
    # per stream: sequences are 1..n in order
    for _, g in df.groupby("stream_id", observed=True):
        assert g["sequence"].tolist() == list(range(1, len(g) + 1))
    first = json.loads(df["payload"].iloc[0])
    assert first["type"] == df["event_type"].iloc[0]
    assert df["stream_id"].astype(str).iloc[0] == f"process/{gpke.tenant}/{df['process_id'].astype(str).iloc[0]}"


def test_timestamps_are_exact_and_tz_aware(gpke: _synthetic.SyntheticHistory) -> None:
    df = history.events(gpke.path, event_type="AnswerDeadlineMissed")
    assert len(df) == len(gpke.unanswered)
    for pid, ts in zip(df["process_id"].astype(str), df["timestamp"]):
        assert ts == pd.Timestamp(gpke.due_55002[pid], unit="ns", tz="UTC")
        assert ts.tzinfo is not None


def test_filters(gpke: _synthetic.SyntheticHistory) -> None:
    all_ = history.events(gpke.path)
    only = history.events(gpke.path, event_type=["MessageSent", "AnmeldungRejected"])
    assert set(only["event_type"].astype(str)) == {"MessageSent", "AnmeldungRejected"}
    assert len(only) == int(all_["event_type"].isin(["MessageSent", "AnmeldungRejected"]).sum())
    # time window: half-open [since, until), naive = UTC
    since, until = "2026-03-10", "2026-03-20T12:00:00"
    window = history.events(gpke.path, since=since, until=until)
    lo, hi = pd.Timestamp(since, tz="UTC"), pd.Timestamp(until, tz="UTC")
    expected = all_[(all_["timestamp"] >= lo) & (all_["timestamp"] < hi)]
    assert window["position"].tolist() == expected["position"].tolist() and len(window) > 0
    # an aware bound is converted, not reinterpreted
    aware = history.events(gpke.path, since="2026-03-10T01:00:00+01:00", until=until)
    assert aware["position"].tolist() == window["position"].tolist()
    # one process, by process id or stream id
    pid = gpke.processes[3]
    one = history.events(gpke.path, process=pid)
    assert set(one["process_id"].astype(str)) == {pid} and len(one) == int((all_["process_id"] == pid).sum())
    stream = one["stream_id"].astype(str).iloc[0]
    assert history.events(gpke.path, stream=stream)["position"].tolist() == one["position"].tolist()
    # categories hold only what was read
    assert one["process_id"].cat.categories.tolist() == [pid]
    # tenant / workflow filters
    assert len(history.events(gpke.path, tenant=gpke.tenant)) == len(all_)
    assert history.events(gpke.path, tenant=str(mk.TenantId.generate())).empty
    assert history.events(gpke.path, workflow="nope").empty
    assert len(history.events(gpke.path, workflow=["nope", "gpke.lieferbeginn.nb"])) == len(all_)


def test_empty_result_keeps_the_schema(gpke: _synthetic.SyntheticHistory) -> None:
    df = history.events(gpke.path, event_type="NoSuchEvent")
    assert df.empty
    assert "timestamp" in df.columns and str(df["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert isinstance(df["event_type"].dtype, pd.CategoricalDtype)


def test_payload_off_and_flattened(gpke: _synthetic.SyntheticHistory) -> None:
    assert "payload" not in history.events(gpke.path, payload=False).columns
    flat = history.events(gpke.path, event_type="MessageSent", flatten_payload=True)
    for c in ("data.step", "data.pid", "data.due", "data.sent_at", "data.met", "data.recipient"):
        assert c in flat.columns
    assert set(flat["data.pid"]) == {"55036", "55002", "55003"}
    nested = history.events(gpke.path, event_type="AnmeldungReceived", flatten_payload=True)
    assert "data.anmeldung.malo" in nested.columns


def test_processes(gpke: _synthetic.SyntheticHistory) -> None:
    df = history.processes(gpke.path)
    assert len(df) == len(gpke.processes)
    assert list(df.columns) == ["stream_id", "process_id", "tenant_id", "workflow", "format_version", "status", "last_event_type",
                                "events", "first_event", "last_event"]
    counts = df["status"].value_counts()  # the NB workflow's status of each folded process
    assert counts["confirmed"] == len(gpke.confirmed)
    assert counts["rejected"] == len(gpke.rejected)
    assert counts.get("awaiting decision", 0) == len(gpke.unanswered)
    assert set(df["last_event_type"].astype(str)) <= {"MessageSent", "AnswerDeadlineMissed"}
    ev = history.events(gpke.path, payload=False)
    per = ev.groupby(ev["process_id"].astype(str)).agg(n=("position", "size"), first=("timestamp", "min"), last=("timestamp", "max"))
    row = df.set_index("process_id").loc[gpke.processes[0]]
    assert row["events"] == per.loc[gpke.processes[0], "n"]
    assert row["first_event"] == per.loc[gpke.processes[0], "first"] and row["last_event"] == per.loc[gpke.processes[0], "last"]
    assert str(df["first_event"].dtype) == "datetime64[ns, UTC]"
    assert len(history.processes(gpke.path, status="rejected")) == len(gpke.rejected)
    since = pd.Timestamp("2026-03-25", tz="UTC")
    active = history.processes(gpke.path, since=since)
    assert (active["last_event"] >= since).all() and len(active) == int((df["last_event"] >= since).sum())


def test_engine_methods_and_process_history(engine: mk.Engine) -> None:
    """The same frames from an in-memory engine (read_all path) and a SQLite file (C++ reader)."""
    p1 = engine.spawn(Counter, tenant=mk.TenantId.from_party_id("9900123456789"))
    p2 = engine.spawn(Counter)
    for by in (1, 2, 3):
        p1.execute({"kind": "add", "by": by})
    p2.execute({"kind": "add", "by": 5})
    df = engine.events()
    assert len(df) == 4 and df["event_type"].astype(str).tolist() == ["Added"] * 4
    assert str(df["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert isinstance(df["workflow"].dtype, pd.CategoricalDtype) and df["workflow"].iloc[0] == "counter"
    assert df["position"].dtype == np.int64
    h = p1.history()
    assert h["sequence"].tolist() == [1, 2, 3]
    assert [json.loads(p)["data"]["by"] for p in h["payload"]] == [1, 2, 3]
    flat = p1.history(flatten_payload=True)
    assert flat["data.by"].tolist() == [1, 2, 3]
    assert len(engine.events(tenant=str(p1.tenant_id))) == 3
    assert len(engine.events(process=str(p2.process_id))) == 1
    procs = engine.processes()
    assert sorted(procs["events"].tolist()) == [1, 3]
    assert set(procs["status"].astype(str)) == {"unknown"}  # Counter names no status
    assert set(procs["last_event_type"].astype(str)) == {"Added"}
    resumed = engine.resume(Counter, p1.identity())
    assert resumed.history()["sequence"].tolist() == [1, 2, 3]


def test_processes_are_mk_process_and_still_core_processes(engine: mk.Engine) -> None:
    """spawn/resume hand out mk.Process (history(), the Jupyter card); the C++ class stays untouched
    and a process still goes wherever _core takes one."""
    p = engine.spawn(Counter)
    p.execute({"kind": "add", "by": 1})
    resumed = engine.resume(Counter, p.identity())
    for process in (p, resumed):
        assert type(process) is mk.Process and isinstance(process, mk._core.Process)
    assert not hasattr(mk._core.Process, "history") and not hasattr(mk._core.Process, "_repr_html_")
    assert mk._core._execute_from_native_threads(p, {"kind": "add", "by": 1}, 2, 3) == 6
    assert resumed.history()["sequence"].tolist() == [1, 2, 3, 4, 5, 6, 7]


def test_filters_are_keyword_only(gpke: _synthetic.SyntheticHistory) -> None:
    """A filter passed by position is refused instead of landing in the wrong filter."""
    engine = mk.Engine.open(gpke.path, read_only=True)
    calls = [lambda: history.events(gpke.path, "tenant"), lambda: history.processes(gpke.path, "tenant"),
             lambda: engine.events("tenant"), lambda: engine.processes("tenant"), lambda: engine.deadlines("Send55002"),
             lambda: mk.deadlines.registered_deadlines(gpke.path, "tenant"), lambda: mk.plot_timeline(gpke.path, 3)]
    for call in calls:
        with pytest.raises(TypeError, match="positional argument"):
            call()
    engine.close()


def test_in_memory_and_sqlite_frames_agree(tmp_path: Path) -> None:
    frames = []
    for engine in (mk.Engine.in_memory(), mk.Engine.open(tmp_path / "a.sqlite", durability="relaxed")):
        tenant = mk.TenantId.from_party_id("9900123456789")
        for _ in range(3):
            p = engine.spawn("lifecycle", tenant=tenant)
            p.execute({"type": "Register", "data": {"name": "x"}})
            p.execute({"type": "Activate"})
        frames.append(engine.events())
    mem, disk = frames
    assert list(mem.columns) == list(disk.columns)
    assert mem.dtypes.astype(str).tolist() == disk.dtypes.astype(str).tolist()
    assert mem["event_type"].astype(str).tolist() == disk["event_type"].astype(str).tolist()
    assert [json.loads(p) for p in mem["payload"]] == [json.loads(p) for p in disk["payload"]]


def test_reads_while_a_writer_holds_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    engine = mk.Engine.open(path)
    p = engine.spawn(Counter)
    p.execute({"kind": "add", "by": 1})
    writer = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE streams SET updated_at_ns = updated_at_ns + 1")  # uncommitted write, lock held
    try:
        df = history.events(path)  # a read-only snapshot: neither blocks nor sees the open transaction
        assert len(df) == 1
        assert len(history.processes(path)) == 1
        with pytest.raises(mk.StoreBusy):  # the engine's writer does wait for the lock ...
            mk.Engine.open(path, busy_timeout=0.05).spawn(Counter).execute({"kind": "add", "by": 1})
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    p.execute({"kind": "add", "by": 2})  # ... and the reader left no lock behind
    assert len(history.events(path)) == 2


def test_reader_never_creates_or_writes(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(mk.NotFound):
        history.events(missing)
    assert not missing.exists()


def test_reader_errors(tmp_path: Path) -> None:
    text = tmp_path / "text.sqlite"
    text.write_text("not a database at all, just some text that is long enough to have a header" * 20)
    with pytest.raises(mk.CorruptStore):
        history.events(text)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(mk.InvalidInput, match="not a mako-engine database"):
        history.events(other)
    newer = tmp_path / "newer.sqlite"
    mk.Engine.open(newer).spawn(Counter).execute({"kind": "add", "by": 1})
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    with pytest.raises(mk.SchemaTooNew, match="99"):
        history.processes(newer)


def test_to_ns() -> None:
    assert history.to_ns(None) is None
    assert history.to_ns(5) == 5
    assert history.to_ns("1970-01-01T00:00:01") == 1_000_000_000
    assert history.to_ns("1970-01-01T01:00:01+01:00") == 1_000_000_000
    import datetime as dt

    assert history.to_ns(dt.date(1970, 1, 2)) == 86_400 * 1_000_000_000
    with pytest.raises(TypeError):
        history.to_ns(True)


def test_column_arrays_are_zero_copy_views(gpke: _synthetic.SyntheticHistory) -> None:
    table = mk._core.HistoryReader(gpke.path).events()
    name, kind, values, valid = table["columns"][0]
    assert (name, kind, valid) == ("position", "int64", None)
    assert not values.flags["OWNDATA"] and values.base is not None  # owned by the C++ vector's capsule
    payload = next(c for c in table["columns"] if c[0] == "payload")
    assert payload[1] == "text" and len(payload[3]) == table["rows"] + 1
