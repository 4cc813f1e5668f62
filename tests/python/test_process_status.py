"""A process's status is what its workflow says of its state (``status(state)``), the same in
``engine.processes()``, ``process.status()``, the Jupyter card and ``mako-engine processes`` --
never the type of the last event."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

import mako_engine as mk
from mako_engine import calendar as cal
from mako_engine import cli, gpke, history, market

NB, LFN, LFA = "9900467000000", "9904590000002", "9910960000001"
MALO = "41373559241"
START = dt.date(2025, 3, 5)  # Wednesday: latest ÜT Monday 03-03, 1st WT after it Tuesday 03-04
MONDAY_16 = cal.berlin_time_on(dt.date(2025, 3, 3), 16)


def tuesday(hour: int, minute: int = 0) -> dt.datetime:
    return cal.berlin_time_on(dt.date(2025, 3, 4), hour, minute)


def anmeldung(reference: str) -> Dict[str, Any]:
    return gpke.vorgang("55001", reference, malo=MALO, sender=LFN, receiver=NB, start=START)


def late_lfa_answer_after_confirmation(engine: mk.Engine) -> mk.Process:
    """The LFA stays silent until 09:00 (consent: the NB confirms), then its 55012 arrives late."""
    p = engine.spawn(gpke.LIEFERBEGINN_NB, tenant=mk.TenantId.from_party_id(NB))
    out = p.execute(gpke.receive_anmeldung(anmeldung("VG-LATE"), MONDAY_16, assigned_lfa=LFA))
    beendigung = next(e.data for e in out if e.event_type == "MessageSent" and e.data["pid"] == "55010")
    p.execute(gpke.deadline_reached("lfa-answer-window", tuesday(9)))
    ablehnung = gpke.vorgang("55012", "LFA-9", malo=MALO, sender=LFA, receiver=NB, start=START,
                             referenced_transaction=beendigung["transaction_reference"])
    events = p.execute(gpke.receive_lfa_answer(ablehnung, tuesday(9, 30)))
    assert [e.event_type for e in events] == ["LateLfaAnswerIgnored"]  # the last event is not the status
    return p


def rejected_anmeldung(engine: mk.Engine) -> mk.Process:
    """An Anmeldung received after the lead time: 55003; its last event is the MessageSent."""
    p = engine.spawn(gpke.LIEFERBEGINN_NB, tenant=mk.TenantId.from_party_id(NB))
    events = p.execute(gpke.receive_anmeldung(anmeldung("VG-REJ"), tuesday(10)))
    assert events[-1].event_type == "MessageSent"
    return p


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> mk.Engine:
    return mk.Engine.in_memory() if request.param == "memory" else mk.Engine.open(tmp_path / "nb.sqlite")


def status_of(engine: mk.Engine, p: mk.Process, **kw: Any) -> str:
    df = engine.processes(process=str(p.process_id), **kw)
    assert len(df) == 1
    return str(df["status"].iloc[0])


def test_a_late_lfa_answer_after_the_confirmation_still_reports_confirmed(engine: mk.Engine) -> None:
    p = late_lfa_answer_after_confirmation(engine)
    assert p.status() == "confirmed"
    assert status_of(engine, p) == "confirmed"
    df = engine.processes()
    assert str(df["last_event_type"].iloc[0]) == "LateLfaAnswerIgnored"  # what happened last, in its own column
    assert len(engine.processes(status="confirmed")) == 1 and engine.processes(status="LateLfaAnswerIgnored").empty


def test_a_rejected_anmeldung_reports_rejected_in_processes_the_card_and_the_cli(
        engine: mk.Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = rejected_anmeldung(engine)
    assert p.status() == "rejected"
    assert status_of(engine, p) == "rejected"
    card = p._repr_html_()
    assert "<b>rejected</b>" in card and "<b>MessageSent</b>" not in card
    if engine.location == ":memory:":
        return
    assert cli.main(["processes", engine.location]) == 0
    header, line = capsys.readouterr().out.splitlines()[:2]
    assert header.split()[:4] == ["process_id", "workflow", "status", "last_event_type"]
    assert line.split()[:4] == [str(p.process_id), gpke.LIEFERBEGINN_NB, "rejected", "MessageSent"]
    assert cli.main(["processes", engine.location, "--status", "rejected", "--count"]) == 0
    assert "rejected" in capsys.readouterr().out
    assert cli.main(["history", engine.location, str(p.process_id)]) == 0
    assert "status rejected (last event MessageSent)" in capsys.readouterr().out


def test_every_gpke_workflow_names_a_status() -> None:
    engine = mk.Engine.in_memory()
    for name in gpke.WORKFLOWS:
        assert engine.spawn(name).status() == "new", name


class Counter(mk.Workflow):
    name = "status-counter"

    def initial_state(self) -> Dict[str, int]:
        return {"n": 0}

    def apply(self, state: Dict[str, int], event: Dict[str, Any]) -> Dict[str, int]:
        return {"n": state["n"] + event["data"]["by"]}

    def handle(self, state: Dict[str, int], command: int) -> Any:
        return [{"type": "Added", "data": {"by": command}}]

    def status(self, state: Dict[str, int]) -> Optional[str]:
        return "big" if state["n"] >= 10 else "small"


class Silent(mk.Workflow):
    name = "status-silent"

    def initial_state(self) -> Dict[str, int]:
        return {}

    def apply(self, state: Dict[str, int], event: Dict[str, Any]) -> Dict[str, int]:
        return state

    def handle(self, state: Dict[str, int], command: Any) -> Any:
        return [{"type": "Noted"}]


def test_python_workflow_status_when_passed_in_else_unknown(engine: mk.Engine) -> None:
    big, small, silent = engine.spawn(Counter), engine.spawn(Counter), engine.spawn(Silent)
    big.execute(7)
    big.execute(5)
    small.execute(3)
    silent.execute(None)
    assert (big.status(), small.status(), silent.status()) == ("big", "small", None)
    # without the workflow the reader cannot know: it says so, it does not guess
    assert {status_of(engine, p) for p in (big, small, silent)} == {history.UNKNOWN_STATUS}
    assert status_of(engine, big, python_workflows=[Counter]) == "big"
    assert status_of(engine, small, python_workflows=[Counter()]) == "small"
    assert status_of(engine, silent, python_workflows=[Counter, Silent]) == "unknown"  # defines no status
    with pytest.raises(TypeError, match="built-in"):
        engine.processes(python_workflows=[gpke.LIEFERBEGINN_NB])
    card = small._repr_html_()
    assert "<b>small</b>" in card
    assert "<b>unknown</b>" in silent._repr_html_()


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    return market.simulate(tmp_path_factory.mktemp("sim"), customers=60, seed=5, durability="relaxed")


def test_status_counts_equal_the_simulations_outcomes(simulated: Dict[str, Any]) -> None:
    report = simulated
    assert report["outcomes_match"]
    lf, nb = report["databases"]["lf"], report["databases"]["nb"]
    lfn = history.processes(lf, workflow=gpke.LIEFERBEGINN_LFN)["status"].astype(str).value_counts().to_dict()
    expected = dict(report["expected_outcomes"])
    expected.pop("dead_lettered", None)  # never reaches an LFN process
    unanswered = expected.pop("unanswered", 0)
    assert {k: v for k, v in lfn.items() if k != "awaiting answer"} == expected
    assert lfn.get("awaiting answer", 0) == unanswered
    nb_status = history.processes(nb, workflow=gpke.LIEFERBEGINN_NB)["status"].astype(str).value_counts().to_dict()
    by_outcome: Dict[str, int] = {}
    for key, n in report["nb"]["nb_outcomes"].items():  # "confirmed:no_lfa" -> confirmed
        by_outcome[key.split(":")[0]] = by_outcome.get(key.split(":")[0], 0) + n
    assert nb_status == by_outcome
    lfa = history.processes(lf, workflow="gpke.lieferende.lfa")["status"].astype(str)
    assert set(lfa) <= {"to answer", "accepted", "refused", "ended"} and "ended" in set(lfa)


def test_the_nb_misses_11_00_in_the_simulation_and_missed_deadlines_finds_it(simulated: Dict[str, Any]) -> None:
    """The headline question answers something: the NB's late 55002s (from its backlog) are misses."""
    nb = mk.Engine.open(simulated["databases"]["nb"], read_only=True)
    late = simulated["scenarios"].get("nb_late", 0)
    assert late > 0
    missed = nb.missed_deadlines(pid="55002")
    assert len(missed) == late == simulated["nb"]["sent_by_pid"]["55002"]["missed"]
    assert (missed["done_at"] > missed["due"]).all() and set(missed["step"].astype(str)) == {"Send55002"}
    month = str(missed["due"].iloc[0].strftime("%Y-%m"))
    assert len(nb.missed_deadlines(pid="55002", month=month)) == int((missed["due"].dt.strftime("%Y-%m") == month).sum()) > 0
    rejected_late = nb.missed_deadlines(pid="55003")
    assert len(rejected_late) == simulated["scenarios"].get("nb_late_rejects", 0) > 0
    # the late answer is still an answer: those processes are confirmed / rejected
    status = nb.processes(process=missed["process_id"].astype(str).tolist())["status"].astype(str)
    assert set(status) == {"confirmed"}
