"""mako_engine.market: EDIFACT files into an engine's inbound pipeline, PID routes to GPKE and to
Python workflows, answers rendered back into files, and the LF <-> NB simulation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import mako_engine as mk
from mako_engine import calendar as cal
from mako_engine import edifact, market

import utilmd_samples as samples

NB, LFN, LFA = "9900467000000", "9904590000002", "9910960000001"
MALO = "41373559241"
START = dt.date(2026, 3, 25)
MONDAY_10 = cal.berlin_time_on(dt.date(2026, 3, 16), 10)


def utilmd_file(
    pid: str,
    reference: str,
    *,
    at: dt.datetime = MONDAY_10,
    sender: str = LFN,
    receiver: str = NB,
    referenced: Optional[str] = None,
    interchange_reference: str = "IC1",
    start: dt.date = START,
    complete: bool = True,
) -> bytes:
    """A UTILMD file with what the AHB of ``pid`` makes mandatory (``complete=False``: the bare
    skeleton, which the AHB check refuses)."""
    return samples.utilmd_file(pid, reference, malo=MALO, day=start, at=at, sender=sender, receiver=receiver,
                               referenced=referenced, interchange_reference=interchange_reference, complete=complete)


def kinds(files: List[Dict[str, Any]]) -> List[str]:
    return [f["name"].split("_")[4] for f in files]


@pytest.fixture
def nb() -> market.Participant:
    master_data = market.NbMasterData()
    master_data.add_malo(MALO)
    return market.Participant(mk.Engine.in_memory(), NB, master_data=master_data)


def test_default_routes() -> None:
    nb_pids = {r.pid: r for r in market.RouteTable.nb().routes.values()}
    assert nb_pids["55001"].workflow == "gpke.lieferbeginn.nb" and nb_pids["55001"].needs_nb_master_data
    assert nb_pids["55011"].action == "resume" and nb_pids["55011"].correlation_kind == "vorgang"
    assert "55010" in market.RouteTable.lf().routes and "55010" not in nb_pids


def test_an_anmeldung_file_runs_the_nb_process_and_the_answer_leaves_as_a_file(nb: market.Participant) -> None:
    receipt = nb.receive(utilmd_file("55001", "VG1"), at=MONDAY_10)
    assert receipt["outcome"] == "accepted" and receipt["sender"] == LFN
    (tx,) = receipt["transactions"]
    assert (tx["kind"], tx["pid"], tx["workflow"]) == ("executed", "55001", "gpke.lieferbeginn.nb")
    assert isinstance(tx["process"], mk.ProcessIdentity)
    assert tx["process"].tenant_id == mk.TenantId.from_party_id(NB)
    assert kinds(nb.take_sent()) == ["CONTRL"]  # syntax accepted (UCI ...+7)

    report = nb.pump(at=MONDAY_10)  # the outbox worker renders the 55002
    assert report["messages_sent"] == 1
    (answer,) = nb.take_sent()
    assert answer["recipient"] == LFN and kinds([answer]) == ["UTILMD55002"]
    (t,) = edifact.read_utilmd(edifact.parse(answer["bytes"]).messages[0]).transactions
    assert (t.pid, t.referenced_transaction, t.malo_id) == ("55002", "VG1", MALO)

    # The same interchange again is an inbox duplicate: acknowledged, not executed again.
    again = nb.receive(utilmd_file("55001", "VG1"), at=MONDAY_10)
    assert again["outcome"] == "duplicate" and again["transactions"] == []
    assert nb.stats()["executed"] == 1 and nb.stats()["duplicates"] == 1


def test_a_broken_file_gets_contrl_4_and_counts_as_never_received(nb: market.Participant) -> None:
    data = utilmd_file("55001", "VG1").replace(b"UNT+22+", b"UNT+9+")
    receipt = nb.receive(data, at=MONDAY_10)
    assert receipt["outcome"] == "syntax_rejected" and "UNT" in receipt["error"]
    (contrl,) = nb.take_sent()
    c = edifact.read_contrl(edifact.parse(contrl["bytes"]).messages[0])
    assert not c.accepted and c.interchange_reference == "IC1"
    # The UNT count is wrong: message level, code 29 at UNT (not the blanket 18).
    (ucm,) = c.messages
    assert (ucm.message_reference, ucm.error_code, ucm.service_segment) == ("M1", "29", "UNT")
    assert nb.stats()["executed"] == 0


def test_an_unrouted_pid_is_dead_lettered_and_answered_with_aperak(nb: market.Participant) -> None:
    receipt = nb.receive(utilmd_file("55016", "K1"), at=MONDAY_10)
    (tx,) = receipt["transactions"]
    assert tx["kind"] == "dead_lettered" and "55016" in tx["reason"]
    files = nb.take_sent()
    assert kinds(files) == ["CONTRL", "APERAK"]
    aperak = edifact.read_aperak(edifact.parse(files[1]["bytes"]).messages[0])
    assert not aperak.positive and aperak.transaction_ref == "K1"
    # Z31: the NB does not process 55016 in its role; the PID is the value at fault.
    assert (aperak.errors[0].code, aperak.errors[0].faulty_value) == ("Z31", "55016")


class Kuendigung(mk.Workflow):
    """A Python workflow for a PID the NB's GPKE routes do not cover (55016), answered by 55017."""

    name = "py.kuendigung"

    def initial_state(self) -> Dict[str, Any]:
        return {"received": [], "answered": False}

    def apply(self, state: Dict[str, Any], event: Dict[str, Any]) -> Dict[str, Any]:
        if event["type"] == "Received":
            return {**state, "received": state["received"] + [event["data"]]}
        return {**state, "answered": True}

    def handle(self, state: Dict[str, Any], command: Dict[str, Any]) -> Any:
        data = command["data"]
        if command["type"] == "ReceiveRequest":
            request = data["request"]
            return mk.WorkflowOutput(
                events=[{"type": "Received", "data": {"pid": request["pid"], "at": data["received_at"]}}],
                registrations=[mk.RegistryEntry("vorgang", request["transaction_reference"])],
            )
        if command["type"] == "ReceiveAnswer":
            if state["answered"]:
                raise mk.CommandRejected("already answered")
            return [{"type": "Answered", "data": {"pid": data["answer"]["pid"]}}]
        raise mk.WorkflowNotImplemented(command["type"])


def test_a_python_workflow_routed_by_pid_spawns_and_resumes() -> None:
    engine = mk.Engine.in_memory()
    routes = (
        market.RouteTable.nb()
        .spawn("55016", Kuendigung, command_type="ReceiveRequest", vorgang_field="request")
        .resume("55017", Kuendigung, command_type="ReceiveAnswer", vorgang_field="answer")
    )
    nb = market.Participant(engine, NB, routes, master_data=market.NbMasterData())
    assert "py.kuendigung" in nb.workflows()
    assert {r["pid"]: r["workflow"] for r in nb.routes()}["55016"] == "py.kuendigung"

    receipt = nb.receive(utilmd_file("55016", "K1"), at=MONDAY_10)
    (tx,) = receipt["transactions"]
    assert (tx["kind"], tx["workflow"], tx["events"]) == ("executed", "py.kuendigung", 1)
    process = engine.resume(Kuendigung, tx["process"])
    assert process.state()["received"] == [{"pid": "55016", "at": "2026-03-16T09:00:00Z"}]

    # The answer quotes K1 in RFF+TN: the router finds the same process through the registry.
    later = MONDAY_10 + dt.timedelta(hours=2)
    receipt = nb.receive(utilmd_file("55017", "A1", referenced="K1", interchange_reference="IC2"), at=later)
    (tx2,) = receipt["transactions"]
    assert tx2["kind"] == "executed" and tx2["process"] == tx["process"]
    process.invalidate()
    assert process.state()["answered"] is True

    # A refusal of the Python workflow is dead-lettered and answered with APERAK 313 (Z29).
    nb.take_sent()
    receipt = nb.receive(utilmd_file("55017", "A2", referenced="K1", interchange_reference="IC3"), at=later)
    assert receipt["transactions"][0]["kind"] == "refused" and "already answered" in receipt["transactions"][0]["reason"]
    files = nb.take_sent()
    assert kinds(files) == ["CONTRL", "APERAK"]
    assert edifact.read_aperak(edifact.parse(files[1]["bytes"]).messages[0]).errors[0].code == "Z29"

    # An answer quoting an unknown transaction cannot be assigned.
    receipt = nb.receive(utilmd_file("55017", "A3", referenced="NOPE", interchange_reference="IC4"), at=later)
    assert receipt["transactions"][0]["kind"] == "dead_lettered"


def test_lfa_silence_closes_the_window_when_the_scheduler_runs(nb: market.Participant) -> None:
    master_data = nb.master_data
    assert master_data is not None
    master_data.assign(MALO, LFA, dt.date(2025, 1, 1))
    assert master_data.assigned_supplier(MALO, START) == LFA
    nb.receive(utilmd_file("55001", "VG2"), at=MONDAY_10)
    nb.pump(at=MONDAY_10)
    assert sorted(kinds(nb.take_sent())) == ["CONTRL", "UTILMD55010", "UTILMD55036"]
    window = nb.next_deadline()
    assert window == cal.berlin_time_on(dt.date(2026, 3, 17), 9)  # 09:00 of the 1st WT
    report = nb.pump(at=window)
    assert report["deadlines_fired"] >= 1
    assert sorted(kinds(nb.take_sent())) == ["UTILMD55002", "UTILMD55037"]


def test_the_master_data_follows_confirmed_switches(nb: market.Participant) -> None:
    master_data = nb.master_data
    assert master_data is not None
    master_data.assign(MALO, LFA, dt.date(2025, 1, 1))
    nb.receive(utilmd_file("55001", "VG3"), at=MONDAY_10)
    nb.pump(at=MONDAY_10)
    nb.pump(at=cal.berlin_time_on(dt.date(2026, 3, 17), 9))  # silence: confirmed for LFN
    nb.take_sent()
    # The old supplier asks for the customer back: the NB now asks LFN (not LFA) to end supply.
    later = cal.berlin_time_on(dt.date(2026, 3, 30), 10)
    back = utilmd_file("55001", "VG4", at=later, sender=LFA, interchange_reference="IC4", start=dt.date(2026, 4, 20))
    assert nb.receive(back, at=later)["transactions"][0]["kind"] == "executed"
    nb.pump(at=later)
    asks = [f for f in nb.take_sent() if kinds([f]) == ["UTILMD55010"]]
    assert [f["recipient"] for f in asks] == [LFN]
    assert master_data.assigned_supplier(MALO, START) == LFN
    assert master_data.assigned_supplier(MALO, START - dt.timedelta(days=1)) == LFA


def test_directory_transport(tmp_path: Path) -> None:
    master_data = market.NbMasterData()
    master_data.add_malo(MALO)
    nb = market.Participant(mk.Engine.in_memory(), NB, master_data=master_data, directory=tmp_path)
    nb.drop_inbound(LFN, "anmeldung.edi", utilmd_file("55001", "VG1"))
    assert nb.pump(at=MONDAY_10)["files_received"] == 1
    assert (tmp_path / LFN / "processed" / "anmeldung.edi").exists()
    nb.pump(at=MONDAY_10)
    names = sorted(p.name for p in (tmp_path / LFN / "outbox").glob("*.edi"))
    assert [n.split("_")[4] for n in names] == ["CONTRL", "UTILMD55002"]
    with pytest.raises(mk.InvalidInput):
        nb.take_sent()
    receipt = nb.receive_file(tmp_path / LFN / "processed" / "anmeldung.edi", at=MONDAY_10)
    assert receipt["outcome"] == "duplicate"


def test_a_participant_needs_aware_times(nb: market.Participant) -> None:
    with pytest.raises(mk.InvalidInput, match="naive"):
        nb.receive(utilmd_file("55001", "VG1"), at=dt.datetime(2026, 3, 16, 10))


def test_small_simulation_in_memory(tmp_path: Path) -> None:
    report = market.simulate(tmp_path, customers=40, seed=7, durability="memory")
    assert sum(report["scenarios"].values()) == 40
    assert report["outcomes_match"] and report["actual_outcomes"] == report["expected_outcomes"]
    assert report["nb"]["processes_by_workflow"]["gpke.lieferbeginn.nb"] > 0
    assert report["traffic"]["UTILMD55001"] >= 35
    assert report["simulated_from"].tzinfo is not None and report["simulated_to"] > report["simulated_from"]
    assert report["databases"] == {}
    again = market.simulate(tmp_path, customers=40, seed=7, durability="memory")
    assert again["scenarios"] == report["scenarios"] and again["traffic"] == report["traffic"]


def test_simulation_on_sqlite_can_be_read_back(tmp_path: Path) -> None:
    report = market.simulate(tmp_path, customers=25, seed=3, durability="relaxed")
    assert report["outcomes_match"]
    nb_db = Path(report["databases"]["nb"])
    assert nb_db.exists() and (tmp_path / "exchange").is_dir()
    engine = mk.Engine.open(nb_db, read_only=True)
    assert market.summarize_history(engine) == report["nb"]
    with pytest.raises(mk.InvalidInput):
        market.simulate(tmp_path, customers=1, durability="sometimes")


def test_market_domain_example_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    example = Path(__file__).resolve().parents[2] / "examples" / "python" / "market_domain.py"
    out = subprocess.run([sys.executable, str(example), str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "round trip True" in out.stdout
    assert "sent CONTRL, UTILMD55002" in out.stdout
    assert "55016:       executed by demo.kuendigung" in out.stdout
    assert "match True" in out.stdout


def test_simulation_with_group_commit_has_the_same_outcomes(tmp_path: Path) -> None:
    one = market.simulate(tmp_path / "one", customers=25, seed=4, durability="relaxed")
    grouped = market.simulate(tmp_path / "grouped", customers=25, seed=4, durability="relaxed", instants_per_unit=6)
    assert grouped["outcomes_match"]
    assert grouped["nb"]["nb_outcomes"] == one["nb"]["nb_outcomes"] and grouped["traffic"] == one["traffic"]
    assert one["units_committed"] == one["clock_steps"] + 1
    assert grouped["units_committed"] == -(-(grouped["clock_steps"] + 1) // 6)
    with pytest.raises(ValueError, match="instants_per_unit"):
        market.simulate(tmp_path / "bad", customers=1, instants_per_unit=0)


def test_an_anmeldung_that_breaks_the_ahb_is_answered_with_an_aperak_and_touches_no_process(nb: market.Participant) -> None:
    receipt = nb.receive(utilmd_file("55001", "VG9", complete=False), at=MONDAY_10)
    assert receipt["outcome"] == "ahb_rejected"
    (tx,) = receipt["transactions"]
    assert tx["kind"] == "ahb_rejected" and tx["process"] is None
    assert "Kunde des Lieferanten" in tx["reason"] and "Bestandteil eines Produktpakets" in tx["reason"]
    sent = nb.take_sent()
    assert sorted(kinds(sent)) == ["APERAK", "CONTRL"]  # syntax fine (CONTRL 7), AHB not (APERAK 313)
    aperak = next(f for f in sent if kinds([f]) == ["APERAK"])
    a = edifact.read_aperak(edifact.parse(aperak["bytes"]).messages[0])
    assert not a.positive and any("Kunde des Lieferanten" in (e.text or "") for e in a.errors)
    assert nb.pump(at=MONDAY_10)["messages_sent"] == 0  # nothing was decided


def test_runtime_counts_show_the_waiting_outbox_and_the_dead_letters() -> None:
    engine = mk.Engine.in_memory()
    master_data = market.NbMasterData()
    master_data.add_malo(MALO)
    nb = market.Participant(engine, NB, master_data=master_data)
    assert engine.runtime_counts() == {"outbox_pending": 0, "outbox_dead": 0, "dead_letters": 0}
    nb.receive(utilmd_file("55001", "VG1"), at=MONDAY_10)  # the 55002 waits in the outbox
    nb.receive(utilmd_file("55016", "K1", interchange_reference="IC2"), at=MONDAY_10)  # no route: dead letter
    assert engine.runtime_counts() == {"outbox_pending": 1, "outbox_dead": 0, "dead_letters": 1}
    nb.pump(at=MONDAY_10)
    assert engine.runtime_counts()["outbox_pending"] == 0
