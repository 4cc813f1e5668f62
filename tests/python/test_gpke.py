"""mako_engine.gpke: the C++ GPKE workflows spawned by name and driven with JSON commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, List

import pytest

import mako_engine as mk
from mako_engine import calendar as cal
from mako_engine import edifact, gpke

from utilmd_samples import CUSTOMER  # the customer the AHB makes a 55001 carry

NB, LFN, LFA = "9900467000000", "9904590000002", "9910960000001"
MALO = "41373559241"
START = dt.date(2025, 3, 5)  # Wednesday: latest ÜT Monday 03-03, 1st WT after it Tuesday 03-04
MONDAY_16 = cal.berlin_time_on(dt.date(2025, 3, 3), 16)


def tuesday(hour: int, minute: int = 0) -> dt.datetime:
    return cal.berlin_time_on(dt.date(2025, 3, 4), hour, minute)


def anmeldung(reference: str = "VG1", malo: str = MALO, start: dt.date = START) -> Dict[str, Any]:
    return gpke.vorgang("55001", reference, malo=malo, sender=LFN, receiver=NB, start=start)


def sent(events: List[mk.EventEnvelope]) -> Dict[str, Dict[str, Any]]:
    return {e.data["pid"]: e.data for e in events if e.event_type == "MessageSent"}


@pytest.fixture
def nb_process() -> mk.Process:
    engine = mk.Engine.in_memory()
    return engine.spawn(gpke.LIEFERBEGINN_NB, tenant=mk.TenantId.from_party_id(NB))


def test_every_gpke_workflow_is_registered_by_name() -> None:
    assert gpke.workflow_names() == list(gpke.WORKFLOWS)
    assert set(gpke.WORKFLOWS) <= set(mk.registered_workflows())
    engine = mk.Engine.in_memory()
    for name in gpke.WORKFLOWS:
        p = engine.spawn(name)
        assert p.is_builtin and p.workflow_id.name == name and p.event_count() == 0


def test_direct_assignment_without_an_old_supplier(nb_process: mk.Process) -> None:
    events = nb_process.execute(gpke.receive_anmeldung(anmeldung(), MONDAY_16))
    types = [e.event_type for e in events]
    assert types[0] == "AnmeldungReceived" and "AnmeldungConfirmed" in types
    assert events[0].data["latest_uebertragungstag"] == "2025-03-03"
    answer = sent(events)["55002"]
    assert answer["recipient"] == LFN and answer["met"] is True
    assert answer["due"] == "2025-03-04T10:00:00Z"  # 11:00 Berlin (CET) of the 1st WT
    state = nb_process.state()
    assert state["status"] == "Confirmed" and state["basis"] == "no_lfa"
    assert [e.sequence_number for e in events] == list(range(1, len(events) + 1))


def test_old_supplier_asked_then_consents(nb_process: mk.Process) -> None:
    events = nb_process.execute(gpke.receive_anmeldung(anmeldung(), MONDAY_16, assigned_lfa=LFA))
    out = sent(events)
    assert set(out) == {"55036", "55010"}  # information to the LFN, Anfrage to the LFA, in parallel
    assert out["55010"]["recipient"] == LFA and out["55036"]["due"] == "2025-03-04T06:00:00Z"  # 07:00
    assert nb_process.state()["status"] == "WaitingForLfa"

    zustimmung = gpke.vorgang(
        "55011", "LFA-1", malo=MALO, sender=LFA, receiver=NB, start=START,
        referenced_transaction=out["55010"]["transaction_reference"],
    )
    events = nb_process.execute(gpke.receive_lfa_answer(zustimmung, tuesday(8, 30)))
    out = sent(events)
    assert set(out) == {"55002", "55037"}
    assert out["55037"]["recipient"] == LFA and out["55037"]["due"] == "2025-03-04T11:00:00Z"  # 12:00
    assert nb_process.state()["basis"] == "lfa_consent"


def test_silence_of_the_old_supplier_is_consent(nb_process: mk.Process) -> None:
    nb_process.execute(gpke.receive_anmeldung(anmeldung(), MONDAY_16, assigned_lfa=LFA))
    events = nb_process.execute(gpke.deadline_reached("lfa-answer-window", tuesday(9)))
    assert "LfaAnswerWindowClosed" in [e.event_type for e in events]
    assert nb_process.state()["basis"] == "silence_consent"
    assert {"55002", "55037"} <= set(sent(events))


def test_missed_lead_time_is_rejected_with_55003(nb_process: mk.Process) -> None:
    events = nb_process.execute(gpke.receive_anmeldung(anmeldung(), tuesday(10)))  # ÜT after 03-03
    rejected = [e for e in events if e.event_type == "AnmeldungRejected"]
    assert rejected and rejected[0].data["reason"] == "lead_time_missed"
    assert "55003" in sent(events) and nb_process.state()["status"] == "Rejected"


def test_a_second_command_in_the_wrong_state_is_refused(nb_process: mk.Process) -> None:
    nb_process.execute(gpke.receive_anmeldung(anmeldung(), MONDAY_16))
    count = nb_process.event_count()
    with pytest.raises(mk.WorkflowError):
        nb_process.execute(gpke.receive_anmeldung(anmeldung(), MONDAY_16))
    assert nb_process.event_count() == count  # nothing appended on a refusal


def test_invalid_identifiers_are_refused_naming_the_field(nb_process: mk.Process) -> None:
    with pytest.raises(mk.ValidationFailed, match=r"(?i)malo"):
        nb_process.execute(gpke.receive_anmeldung(anmeldung(malo="41373559242"), MONDAY_16))
    assert nb_process.event_count() == 0


def test_command_builders_refuse_naive_datetimes() -> None:
    with pytest.raises(mk.InvalidInput, match="naive"):
        gpke.receive_anmeldung(anmeldung(), dt.datetime(2025, 3, 3, 16))
    with pytest.raises(TypeError):
        gpke.vorgang("55001", "VG", malo=MALO, sender=LFN, receiver=NB, start=MONDAY_16)  # type: ignore[arg-type]
    cmd = gpke.start_switch(malo=MALO, start=START, nb=NB, lfn=LFN, sent_at=MONDAY_16)
    assert cmd == {
        "type": "StartSwitch",
        "data": {"malo": MALO, "start": "2025-03-05", "transaction_reason": "E03", "nb": NB, "lfn": LFN,
                 "sent_at": "2025-03-03T15:00:00Z", "household": True, "enfg": "ZG0"},
    }




def test_an_anmeldung_without_the_customer_is_refused_naming_the_ahb_field() -> None:
    lfn = mk.Engine.in_memory().spawn(gpke.LIEFERBEGINN_LFN, tenant=mk.TenantId.from_party_id(LFN))
    with pytest.raises(mk.ValidationFailed, match="NAD\\+Z09"):
        lfn.execute(gpke.start_switch(malo=MALO, start=START, nb=NB, lfn=LFN, sent_at=MONDAY_16))
    with pytest.raises(mk.ValidationFailed, match="street, postcode and city"):
        lfn.execute(gpke.start_switch(malo=MALO, start=START, nb=NB, lfn=LFN, sent_at=MONDAY_16, customer={"name": "X"}))
    assert lfn.event_count() == 0


def test_lfn_side_sends_the_anmeldung_and_takes_the_confirmation() -> None:
    engine = mk.Engine.in_memory()
    lfn = engine.spawn(gpke.LIEFERBEGINN_LFN, tenant=mk.TenantId.from_party_id(LFN))
    events = lfn.execute(
        gpke.start_switch(malo=MALO, start=START, nb=NB, lfn=LFN, sent_at=MONDAY_16, transaction_reference="VG9",
                          customer=CUSTOMER)
    )
    assert sent(events)["55001"]["transaction_reference"] == "VG9"
    bestaetigung = gpke.vorgang("55002", "NB-1", malo=MALO, sender=NB, receiver=LFN, start=START, referenced_transaction="VG9")
    lfn.execute(gpke.receive_nb_message(bestaetigung, tuesday(10)))
    assert lfn.state()["status"] == "Confirmed"


def test_processes_resume_from_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "nb.sqlite"
    engine = mk.Engine.open(path)
    p = engine.spawn(gpke.LIEFERBEGINN_NB, tenant=mk.TenantId.from_party_id(NB))
    p.execute(gpke.receive_anmeldung(anmeldung(), MONDAY_16, assigned_lfa=LFA))
    saved = p.identity().to_json()
    again = mk.Engine.open(path).resume(gpke.LIEFERBEGINN_NB, saved)
    assert again.state()["status"] == "WaitingForLfa"
    assert again.state() == p.state()


def test_render_utilmd_payload_to_edifact() -> None:
    payload = {
        "pid": "55002",
        "transaction_reference": "GP0123456789ABCDEF",
        "referenced_transaction": "VG1",
        "malo": MALO,
        "start": "2026-03-05",
        "transaction_reason": "E03",
        "answer_code": "A51",
        "sender": NB,
        "receiver": LFN,
        "sent_at": "2026-03-04T09:00:00Z",
        "due": "2026-03-04T10:00:00Z",
    }
    data = gpke.render_utilmd(payload)
    assert edifact.check_ahb(data) == []  # the 55002 carries what its Prüfschablone asks for
    assert isinstance(data, bytes)
    ic = edifact.parse(data)
    assert (ic.sender.id, ic.receiver.id, ic.reference) == (NB, LFN, "23456789ABCDEF")
    (t,) = edifact.read_utilmd(ic.messages[0]).transactions
    assert (t.pid, t.reference, t.referenced_transaction, t.malo_id, t.answer_code, t.answer_code_list) == (
        "55002", "GP0123456789ABCDEF", "VG1", MALO, "A51", "E_0623")
    assert (t.reason_supplement, t.planned_product_package, t.malo_info) == ("ZW6", "1", False)
    assert t.start == cal.berlin_start_of_day(dt.date(2026, 3, 5))
    with pytest.raises(mk.InvalidInput, match="payload"):
        gpke.render_utilmd({"pid": "55002"}, "X")
    # Before FV2504 (LFW24) there is no UTILMD release this engine writes: a clear error, no guess.
    with pytest.raises(Exception, match="no UTILMD release is supported"):
        gpke.render_utilmd(dict(payload, sent_at="2025-03-04T09:00:00Z"))


def test_derived_vorgangsnummer_is_deterministic() -> None:
    a = gpke.derive_vorgangsnummer(NB, f"{LFN}/VG1", 55002)
    assert a == gpke.derive_vorgangsnummer(NB, f"{LFN}/VG1", 55002) and a.startswith("GP") and len(a) == 18
    assert a != gpke.derive_vorgangsnummer(NB, f"{LFN}/VG2", 55002)
