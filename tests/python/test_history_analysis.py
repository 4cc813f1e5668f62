"""Deadlines as data, HTML reprs, the timeline plot and the process-mining export."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import pandas as pd
import pytest

import mako_engine as mk
from mako_engine import _synthetic, deadlines, history
from mako_engine.timeline import MISSED_COLOR

from conftest import Counter


@pytest.fixture(scope="module")
def gpke(tmp_path_factory: pytest.TempPathFactory) -> _synthetic.SyntheticHistory:
    return _synthetic.write_gpke_history(tmp_path_factory.mktemp("analysis") / "nb.sqlite", processes=80, seed=3)


# --- deadlines ------------------------------------------------------------------------------------

def test_registered_deadlines_table(gpke: _synthetic.SyntheticHistory) -> None:
    reg = deadlines.registered_deadlines(gpke.path)
    assert len(reg) == len(gpke.processes)  # one answer-55002 per process
    assert set(reg["name"].astype(str)) == {"answer-55002"}
    assert set(reg["status"].astype(str)) == {"fired", "moot"}
    assert str(reg["due"].dtype) == "datetime64[ns, UTC]" and str(reg["fired_at"].dtype) == "datetime64[ns, UTC]"
    by_process = dict(zip(reg["process_id"].astype(str), reg["due"]))
    assert all(by_process[p] == pd.Timestamp(ns, unit="ns", tz="UTC") for p, ns in gpke.due_55002.items())
    assert reg.loc[reg["status"] == "moot", "outcome"].eq("answered in time").all()
    assert reg.loc[reg["status"] == "fired", "outcome"].isna().all()


def test_which_switches_missed_the_11_oclock_deadline(gpke: _synthetic.SyntheticHistory) -> None:
    engine = mk.Engine.open(gpke.path)
    late = engine.deadlines(step="Send55002", missed=True, since="2026-03-01", until="2026-05-01")
    assert sorted(late["process_id"].astype(str)) == sorted(gpke.late_55002)
    assert (late["done_at"] > late["due"]).all() and (~late["met"]).all()
    assert set(late["deadline"].astype(str)) == {"answer-55002"}  # joined with the registered deadline
    assert set(late["deadline_status"].astype(str)) == {"fired"}
    # all missed ones: the late confirmations and the unanswered (watchdog) ones
    missed = engine.missed_deadlines()
    assert sorted(missed["process_id"].astype(str)) == sorted(gpke.late_55002 + gpke.unanswered)
    open_ = missed[missed["kind"] == "awaited"]
    assert sorted(open_["process_id"].astype(str)) == sorted(gpke.unanswered)
    assert set(open_["pid"].astype(str)) == {"55002"} and open_["done_at"].isna().all()
    # pid filter catches confirmations and rejections
    answers = engine.deadlines(pid=["55002", "55003"])
    assert set(answers["step"].astype(str)) == {"Send55002", "Send55003", "answer-55002"}
    met = engine.deadlines(missed=False, step="Send55036")
    assert len(met) == len(gpke.processes) and met["met"].all()


def test_deadlines_month_filter(gpke: _synthetic.SyntheticHistory) -> None:
    all_ = deadlines.deadlines(gpke.path)
    march = deadlines.deadlines(gpke.path, month="2026-03")
    lo, hi = pd.Timestamp("2026-03-01", tz="UTC"), pd.Timestamp("2026-04-01", tz="UTC")
    assert len(march) == int(((all_["due"] >= lo) & (all_["due"] < hi)).sum()) and 0 < len(march) < len(all_)
    assert (march["due"] >= lo).all() and (march["due"] < hi).all()
    assert deadlines.month_bounds("2026-12") == (history.to_ns("2026-12-01"), history.to_ns("2027-01-01"))
    with pytest.raises(ValueError):
        deadlines.deadlines(gpke.path, month="2026-13")
    with pytest.raises(ValueError):
        deadlines.deadlines(gpke.path, month="2026-03", since="2026-03-01")


def test_deadlines_in_memory_from_events_alone() -> None:
    """No deadlines table reachable: rows come from MessageSent and AnswerDeadlineMissed events."""

    class Step(mk.Workflow):
        name = "steps"

        def initial_state(self) -> dict:
            return {}

        def apply(self, state: dict, event: dict) -> dict:
            return state

        def handle(self, state: dict, command: dict) -> list:
            return [{"type": command["type"], "data": command["data"]}]

    engine = mk.Engine.in_memory()
    p = engine.spawn(Step)
    p.execute({"type": "MessageSent", "data": {"step": "Send55002", "pid": "55002", "recipient": "9900000000001",
                                               "transaction_reference": "GP1", "due": "2026-03-18T10:00:00Z",
                                               "sent_at": "2026-03-18T10:30:00Z", "met": False}})
    q = engine.spawn(Step)
    q.execute({"type": "AnswerDeadlineMissed", "data": {"deadline": "nb-answer-55002", "due": "2026-03-19T10:00:00Z",
                                                        "at": "2026-03-19T10:00:00Z"}})
    df = engine.deadlines(missed=True)
    assert df["step"].astype(str).tolist() == ["Send55002", "nb-answer-55002"]
    assert df["pid"].astype(str).tolist() == ["55002", "55002"]
    assert df["kind"].astype(str).tolist() == ["sent", "awaited"]
    assert engine.deadlines(missed=False).empty
    assert deadlines.registered_deadlines(engine).empty  # this workflow schedules no deadline


class Answering(mk.Workflow):
    """Sends a 55002 (late or in time) and schedules its answer deadline and a follow-up."""

    name = "answering"

    def initial_state(self) -> dict:
        return {}

    def apply(self, state: dict, event: dict) -> dict:
        return state

    def handle(self, state: dict, command: dict) -> mk.WorkflowOutput:
        due = pd.Timestamp(command["due"]).to_pydatetime()
        sent = {"step": "Send55002", "pid": "55002", "recipient": "9900000000001", "transaction_reference": command["ref"],
                "due": command["due"], "sent_at": command["sent_at"], "met": command["sent_at"] <= command["due"]}
        return mk.WorkflowOutput(
            events=[{"type": "MessageSent", "data": sent}],
            deadlines=[mk.DeadlineRequest("answer-55002", due, {"type": "Timeout", "data": {"ref": command["ref"]}}),
                       mk.DeadlineRequest("nb-answer-55003", due + pd.Timedelta(days=1).to_pytimedelta(), {"type": "Wait"})])


ANSWERING_RUN = [  # (MP-ID of the tenant, reference, due, sent at)
    ("9900123456789", "GP1", "2026-03-18T10:00:00Z", "2026-03-18T09:00:00Z"),
    ("9900123456789", "GP2", "2026-03-19T10:00:00Z", "2026-03-19T10:30:00Z"),
    ("4012345000023", "GP3", "2026-04-02T10:00:00Z", "2026-04-01T12:00:00Z"),
]


def answering_run(engine: mk.Engine) -> list:
    procs = []
    for mp_id, ref, due, sent_at in ANSWERING_RUN:
        p = engine.spawn(Answering, tenant=mk.TenantId.from_party_id(mp_id))
        p.execute({"ref": ref, "due": due, "sent_at": sent_at})
        procs.append(p)
    return procs


def test_registered_deadlines_in_memory_as_from_a_file(tmp_path: Path) -> None:
    """An engine without a file reads its deadline store: the rows, columns and dtypes of the file's table."""
    before = pd.Timestamp.now(tz="UTC")
    memory = mk.Engine.in_memory()
    in_memory = answering_run(memory)
    with mk.Engine.open(tmp_path / "same.sqlite") as lite:
        from_file = answering_run(lite)
        after = pd.Timestamp.now(tz="UTC")
        reg, reg_file = deadlines.registered_deadlines(memory), deadlines.registered_deadlines(lite)
        assert list(reg.columns) == ["stream_id", "process_id", "tenant_id", "workflow", "name", "due", "status", "fired_at",
                                     "created_at", "outcome", "command"]
        assert list(reg.columns) == list(reg_file.columns)
        assert dict(reg.dtypes.astype(str)) == dict(reg_file.dtypes.astype(str))
        assert len(reg) == 6
        # By due time; GP1's nb-answer-55003 and GP2's answer-55002 are both due 2026-03-19T10:00Z: in scheduling order.
        assert reg["process_id"].astype(str).tolist() == [str(in_memory[i].process_id) for i in (0, 0, 1, 1, 2, 2)]
        assert reg["name"].astype(str).tolist() == ["answer-55002", "nb-answer-55003"] * 3
        assert (reg["status"] == "pending").all() and reg["fired_at"].isna().all() and reg["outcome"].isna().all()
        assert json.loads(reg["command"][0]) == {"type": "Timeout", "data": {"ref": "GP1"}}
        assert reg["created_at"].between(before, after).all()  # the wall clock of the scheduling commit
        # The same frame as the file's, apart from the process ids (and so stream ids) and creation times.
        same = lambda df: df.drop(columns=["stream_id", "process_id", "created_at"])  # noqa: E731
        pd.testing.assert_frame_equal(same(reg), same(reg_file))
        # The same filters, on the deadline store.
        for filters in [{"tenant": "4012345000023"}, {"tenant": str(mk.TenantId.from_party_id("9900123456789"))},
                        {"name": "nb-answer-55003"}, {"since": "2026-03-19T10:00:00Z", "until": "2026-04-02T10:00:00Z"},
                        {"workflow": "answering", "name": ["answer-55002"], "until": "2026-04-01"},
                        {"workflow": "other"}, {"tenant": "not a tenant id"}]:
            got, want = deadlines.registered_deadlines(memory, **filters), deadlines.registered_deadlines(lite, **filters)
            pd.testing.assert_frame_equal(same(got), same(want))
        assert len(deadlines.registered_deadlines(memory, name="nb-answer-55003")) == 3
        assert len(deadlines.registered_deadlines(memory, since="2026-03-19T10:00:00Z", until="2026-04-02T10:00:00Z")) == 3
        assert deadlines.registered_deadlines(memory, tenant="not a tenant id").empty
        by_process = deadlines.registered_deadlines(memory, process=[str(in_memory[2].process_id), "nope"])
        assert by_process["due"].astype(str).tolist() == ["2026-04-02 10:00:00+00:00", "2026-04-03 10:00:00+00:00"]
        # deadlines(): the sent 55002 joined to its registered deadline and its status, as from the file.
        dl, dl_file = memory.deadlines(), lite.deadlines()
        # (Equal due times are ordered by stream id, which differs: compare without the ids, in one order.)
        norm = lambda df: df.drop(columns=["stream_id", "process_id"]).sort_values(  # noqa: E731
            ["due", "kind", "step"], kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(norm(dl), norm(dl_file))
        sent = dl[dl["kind"] == "sent"]
        assert sent["deadline"].astype(str).tolist() == ["answer-55002"] * 3
        assert sent["deadline_status"].astype(str).tolist() == ["pending"] * 3
        assert sent["missed"].tolist() == [False, True, False]
        assert dl[dl["kind"] == "awaited"]["step"].astype(str).tolist() == ["nb-answer-55003"] * 3
        assert len(from_file) == 3


# --- display --------------------------------------------------------------------------------------

def test_process_repr_html(tmp_path: Path) -> None:
    engine = mk.Engine.open(tmp_path / "p.sqlite")
    p = engine.spawn(Counter)
    for by in range(1, 14):
        p.execute({"kind": "add", "by": by})
    html = p._repr_html_()
    assert str(p.process_id) in html and str(p.tenant_id) in html and "counter" in html
    assert "<b>unknown</b>" in html  # Counter names no status: no guess from the last event
    assert "<td class='k'>last event</td><td>Added</td>" in html
    assert "last 10 of 13 events" in html
    assert html.count("<tr><td>") == 10  # the last 10 events
    assert "&quot;by&quot;:13" in html  # payloads escaped


def test_history_wrapper_html(gpke: _synthetic.SyntheticHistory) -> None:
    h = mk.EventsView(history.events(gpke.path), max_rows=5)
    assert len(h) == gpke.events
    assert h.summary().startswith(f"{gpke.events} events of {len(gpke.processes)} processes")
    html = h._repr_html_()
    assert html.count("<tr><td>") == 5 and f"first 5 of {gpke.events} rows" in html
    assert "EventsView" in repr(h)
    assert mk.EventsView(history.events(gpke.path, event_type="Nope")).summary() == "no events"


# --- timeline -------------------------------------------------------------------------------------

def test_plot_timeline_from_engine(gpke: _synthetic.SyntheticHistory) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection, PathCollection

    ax = mk.plot_timeline(mk.Engine.open(gpke.path), processes=None)
    try:
        assert isinstance(ax, plt.Axes)
        bars = [c for c in ax.collections if isinstance(c, LineCollection)]
        assert len(bars) == 1 and len(bars[0].get_segments()) == len(gpke.processes)
        labels = {c.get_label(): c for c in ax.collections if isinstance(c, PathCollection)}
        assert {"AnmeldungReceived", "MessageSent", "deadline met", "deadline missed"} <= set(labels)
        missed = labels["deadline missed"]
        assert len(missed.get_offsets()) == len(gpke.late_55002) + len(gpke.unanswered)
        assert mcolors.to_hex(missed.get_facecolor()[0]) == MISSED_COLOR or mcolors.to_hex(missed.get_edgecolor()[0]) == MISSED_COLOR
        assert len(ax.get_yticklabels()) == len(gpke.processes)
    finally:
        plt.close("all")


def test_plot_timeline_from_frame_into_given_axes(gpke: _synthetic.SyntheticHistory) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection

    _fig, ax = plt.subplots()
    try:
        chosen = gpke.late_55002[:1] + gpke.unanswered[:1]
        out = mk.plot_timeline(history.events(gpke.path), processes=chosen, ax=ax)
        assert out is ax
        assert len(ax.get_yticklabels()) == 2
        labels = {c.get_label(): len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)}
        assert labels["deadline missed"] == 2
        empty = mk.plot_timeline(history.events(gpke.path, event_type="Nope"), ax=plt.subplots()[1])
        assert empty.get_title() == "no events"
    finally:
        plt.close("all")


def test_plot_timeline_colours_are_fixed_and_processes_keep_the_requested_order(gpke: _synthetic.SyntheticHistory) -> None:
    """An event type has the same colour in every plot (whatever else is drawn), no event type takes
    the red of a missed deadline (or the green of a met one), and rows follow the order asked for."""
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection

    from mako_engine.timeline import MET_COLOR, event_color

    def colours(ax: plt.Axes) -> dict:
        return {c.get_label(): mcolors.to_hex(c.get_facecolor()[0]) for c in ax.collections if isinstance(c, PathCollection)}

    try:
        ev = history.events(gpke.path)
        full = colours(mk.plot_timeline(ev, processes=None, ax=plt.subplots()[1]))
        # a plot with fewer event types (no rejections, no missed answers) draws the rest alike
        some = gpke.confirmed[:3]
        part = colours(mk.plot_timeline(ev, processes=some, ax=plt.subplots()[1], deadlines=False))
        assert set(part) < set(full)
        for label, colour in part.items():
            assert colour == full[label] == event_color(label), label
        events_only = {k: v for k, v in full.items() if not k.startswith("deadline")}
        assert len(events_only) >= 5
        assert MISSED_COLOR not in events_only.values() and MET_COLOR not in events_only.values()
        assert event_color("SomethingNew") == event_color("SomethingNew") not in (MISSED_COLOR, MET_COLOR)
        # rows top to bottom in the order given, here the reverse of the first events' order
        by_first = ev.assign(p=ev["process_id"].astype(str)).groupby("p")["timestamp"].min().sort_values().index.tolist()
        wanted = by_first[:4][::-1]
        ax = mk.plot_timeline(ev, processes=wanted, ax=plt.subplots()[1])
        assert [t.get_text() for t in ax.get_yticklabels()] == [p[:8] for p in wanted]
    finally:
        plt.close("all")


# --- process mining -------------------------------------------------------------------------------

def test_process_mining_export(gpke: _synthetic.SyntheticHistory, tmp_path: Path) -> None:
    engine = mk.Engine.open(gpke.path)
    log = engine.to_process_mining(tmp_path / "log.csv")
    assert list(log.columns[:5]) == ["case_id", "activity", "timestamp", "resource", "lifecycle"]
    assert len(log) == gpke.events
    assert set(log["case_id"]) == set(gpke.processes)
    acts = set(log["activity"].astype(str))
    assert {"AnmeldungReceived", "Send55036", "Send55002", "AnswerDeadlineMissed"} <= acts and "MessageSent" not in acts
    assert set(log["lifecycle"].astype(str)) == {"complete"}
    for _, case in log.groupby("case_id"):
        assert case["timestamp"].is_monotonic_increasing
    sent = log[log["activity"] == "Send55002"]
    assert sent["resource"].astype(str).str.endswith("→9900000000001").all()
    back = pd.read_csv(tmp_path / "log.csv")
    assert len(back) == len(log) and list(back.columns) == list(log.columns)
    assert pd.to_datetime(back["timestamp"], utc=True).tolist() == log["timestamp"].tolist()
    xes = mk.to_process_mining(gpke.path, tmp_path / "log.parquet", xes_names=True, workflow="gpke.lieferbeginn.nb")
    assert {"case:concept:name", "concept:name", "time:timestamp", "org:resource", "lifecycle:transition"} <= set(xes.columns)
    assert len(pd.read_parquet(tmp_path / "log.parquet")) == gpke.events
    with pytest.raises(ValueError):
        mk.to_process_mining(gpke.path, tmp_path / "log.xlsx")


def test_process_mining_from_frame_without_payload(gpke: _synthetic.SyntheticHistory) -> None:
    log = mk.to_process_mining(history.events(gpke.path, payload=False))
    assert "MessageSent" in set(log["activity"].astype(str))  # no payload: the event type stays the activity
    first = json.loads(history.events(gpke.path)["payload"].iloc[0])
    assert first["type"] == "AnmeldungReceived"
