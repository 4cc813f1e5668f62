"""Whole GPKE conversations between our engine and an independent counterparty: makotest's
``MarktpartnerSim`` (PyPI makotest, a test dependency), which answers in EDIFACT built by its own
builders. Both directions of every exchange are checked by both validators -- makotest's
``validate_edifact`` and our ``mk.edifact.check_ahb`` -- and where the simulator's output breaks the
BDEW rules (or the two readings differ) a test shows the disagreement explicitly
(docs/conformance.md, "Where we depart from makotest"). Time is driven explicitly (``at=``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

import makotest
import pytest
from test_conformance_ack import MAKOTEST_22_DISAGREES

import mako_engine as mk
from mako_engine import calendar as cal
from mako_engine import edifact, gpke, market

NB, LFN, LFA = "9900467000000", "9904590000002", "9910960000001"
MALO = "41373559241"
DAY = dt.date(2026, 3, 16)  # a Monday in FV2604 (UTILMD S2.1)
AT = cal.berlin_time_on(DAY, 10)
START = dt.date(2026, 4, 1)
# No first name: makotest refuses a second C080 3036 in NAD+Z09/Z04 (see the disagreement below).
CUSTOMER = {"name": "Müller", "street": "Hauptstraße 7", "postcode": "10115", "city": "Berlin", "country": "DE"}
DEFAULT_UNA = b"UNA:+.? '"


def rfc3339(instant: dt.datetime) -> str:
    return instant.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def berlin_day(day: dt.date) -> str:
    """DTM 303 value of 00:00 German time on ``day`` (the GPKE day boundary), as makotest takes it."""
    return cal.berlin_start_of_day(day).astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M")


def for_the_sim(raw: bytes) -> bytes:
    """What the simulator can receive: it refuses an interchange that begins with a UNA service string
    advice (see test_makotest_disagreement_una_before_unb), so the default one is dropped -- with
    default separators the bytes mean the same without it."""
    assert raw.startswith(DEFAULT_UNA), raw[:20]
    return raw[len(DEFAULT_UNA):].lstrip(b"\r\n")


def oracle_errors(raw: bytes, on: dt.date = DAY) -> List[str]:
    report = makotest.validate_edifact(raw, on.isoformat())
    return [f"{f.rule_id}: {f.message}" for f in report.findings if f.is_error]


def our_findings(raw: bytes) -> List[str]:
    return [v["text"] for v in edifact.check_ahb(raw)]


# What makotest finds in our 55002 (STS+7 ZW6): nothing, since we follow the FV2510 reading of SG8
# SEQ+Z98 (test_our_55002_has_no_sg8_z98_for_a_pauschale_malo).
OUR_55002_AS_MAKOTEST_READS_IT: frozenset = frozenset()


def assert_conformant(raw: bytes, *, makotest_finds: frozenset = frozenset()) -> None:
    """Both validators find nothing wrong with ``raw`` (one UTILMD or APERAK interchange) -- apart
    from exactly ``makotest_finds``, a disagreement documented by its own test."""
    assert {e.split(":")[0] for e in oracle_errors(raw)} == set(makotest_finds), oracle_errors(raw)
    if b"UTILMD" in raw:
        assert our_findings(raw) == []


def kind(file: Dict[str, Any]) -> str:
    return file["name"].split("_")[4]


def transaction(raw: bytes) -> edifact.UtilmdTransaction:
    (t,) = edifact.read_utilmd(edifact.parse(raw).messages[0]).transactions
    return t


def sim(mp_id: str, rolle: str) -> makotest.MarktpartnerSim:
    return makotest.MarktpartnerSim(mp_id=mp_id, rolle=rolle, reference_date=DAY.isoformat())


# ---------------------------------------------------------------------------------------------
# Our LF (LFN) against the simulator as NB: 55001 -> 55002 / 55003 / silence / late answer.


class OurLfn:
    """Our supplier engine that has just sent a 55001 (Vorgangsnummer VG1) for MALO."""

    def __init__(self) -> None:
        self.engine = mk.Engine.in_memory()
        self.participant = market.Participant(self.engine, LFN, role="lf")
        self.process = self.engine.spawn(gpke.LIEFERBEGINN_LFN, tenant=mk.TenantId.from_party_id(LFN))
        self.process.execute(gpke.start_switch(malo=MALO, start=START, nb=NB, lfn=LFN, sent_at=AT, customer=CUSTOMER,
                                               product_code="9991000002082", transaction_reference="VG1"))
        assert self.participant.pump(at=AT)["messages_sent"] == 1
        (sent,) = self.participant.take_sent()
        assert (sent["recipient"], kind(sent)) == (NB, "UTILMD55001")
        self.anmeldung: bytes = sent["bytes"]

    def status(self) -> str:
        self.process.invalidate()
        return self.process.state()["status"]

    def events(self) -> List[str]:
        return list(self.process.history()["event_type"])


def test_our_anmeldung_is_conformant_and_the_sim_takes_it_without_acknowledgement() -> None:
    lfn = OurLfn()
    assert_conformant(lfn.anmeldung)
    nb = sim(NB, "NB")
    nb.on(55001).bestaetigung(antwort_code="A51", ebd="E_0623", references=[("TN", "VG1")])
    reply = nb.receive(for_the_sim(lfn.anmeldung), received_at=rfc3339(AT))
    (exchange,) = nb.exchanges
    assert exchange.request_valid and exchange.request_checked and nb.unvalidated_requests == []
    # Strom: a sound interchange earns no CONTRL from the simulator (CONTRL AHB 1.0 Kap. 1.2).
    assert reply.ack is None and reply.pids == (55002,)
    # Its deadline for the answer is ours: 11:00 of the 1st working day after receipt.
    assert instant(reply.due_at) == cal.berlin_time_on(DAY + dt.timedelta(days=1), 11)
    assert lfn.process.state()["answer_due"] == rfc3339(instant(reply.due_at))


@pytest.mark.parametrize("code", ["A02", "A07"])
def test_the_sim_rejects_our_anmeldung(code: str) -> None:
    lfn = OurLfn()
    nb = sim(NB, "NB")
    nb.on(55001).ablehnung(antwort_code=code, ebd="E_0622", references=[("TN", "VG1")])
    reply = nb.receive(for_the_sim(lfn.anmeldung), received_at=rfc3339(AT))
    assert reply.pids == (55003,) and reply.antwort_code == code
    assert_conformant(reply.business)
    answer = transaction(reply.business)
    assert (answer.pid, answer.referenced_transaction, answer.answer_code) == ("55003", "VG1", code)

    receipt = lfn.participant.receive(reply.business, at=AT + dt.timedelta(hours=1))
    assert receipt["outcome"] == "accepted"
    (tx,) = receipt["transactions"]
    assert (tx["kind"], tx["workflow"], tx["process"]) == ("executed", gpke.LIEFERBEGINN_LFN, lfn.process.identity())
    assert lfn.status() == "Rejected"
    # What we send back: only the (positive) CONTRL -- see the CONTRL disagreement below.
    assert [kind(f) for f in lfn.participant.take_sent()] == ["CONTRL"]


def test_the_sim_stays_silent_and_our_watchdog_fires_at_the_deadline() -> None:
    lfn = OurLfn()
    nb = sim(NB, "NB")
    nb.on(55001).timeout()
    reply = nb.receive(for_the_sim(lfn.anmeldung), received_at=rfc3339(AT))
    assert not reply and reply.ack is None and reply.business is None
    due = lfn.participant.next_deadline()
    assert due == instant(lfn.process.state()["answer_due"])
    assert lfn.participant.pump(at=due - dt.timedelta(seconds=1))["deadlines_fired"] == 0
    assert lfn.participant.pump(at=due)["deadlines_fired"] == 1
    assert lfn.status() == "Pending" and "AnswerDeadlineMissed" in lfn.events()


def test_the_sim_answers_late_and_we_take_the_answer_after_the_watchdog() -> None:
    lfn = OurLfn()
    nb = sim(NB, "NB")
    nb.on(55001).ablehnung(antwort_code="A02", ebd="E_0622", references=[("TN", "VG1")], delay_werktage=2)
    reply = nb.receive(for_the_sim(lfn.anmeldung), received_at=rfc3339(AT))
    answered_at, due = instant(reply.answered_at), instant(reply.due_at)
    assert answered_at > due
    assert lfn.participant.pump(at=due)["deadlines_fired"] == 1
    assert "AnswerDeadlineMissed" in lfn.events()
    receipt = lfn.participant.receive(reply.business, at=answered_at)
    assert receipt["transactions"][0]["kind"] == "executed"
    assert lfn.status() == "Rejected"


def test_makotest_disagreement_the_sims_55002_breaks_the_ahb_and_we_refuse_it() -> None:
    """The simulator's Bestätigung (55002) of a pauschale MaLo (STS+7 ZW6) carries an SG8
    SEQ+ZF3 "Daten der Messlokation" with RFF+Z19 although the transaction names no Messlokation
    (LOC+Z17; AHB: Muss [2284] "für jede Messlokations-ID im SG5 LOC+Z17", otherwise not part of the
    Prüfschablone). makotest's own validator passes it; ours refuses it with an APERAK naming the
    field and leaves the process waiting -- so no confirmed switch can be run against the simulator."""
    lfn = OurLfn()
    nb = sim(NB, "NB")
    nb.on(55001).bestaetigung(antwort_code="A51", ebd="E_0623", references=[("TN", "VG1")],
                              process_dates=[("92", berlin_day(START))])
    reply = nb.receive(for_the_sim(lfn.anmeldung), received_at=rfc3339(AT))
    assert oracle_errors(reply.business) == []
    assert b"SEQ+ZF3'" in reply.business and b"LOC+Z17" not in reply.business and b"SEQ+Z98" not in reply.business
    ours = our_findings(reply.business)
    assert any("SEQ+ZF3 is not part of the Prüfschablone of 55002" in t for t in ours), ours

    receipt = lfn.participant.receive(reply.business, at=AT + dt.timedelta(hours=1))
    assert receipt["outcome"] == "ahb_rejected" and receipt["transactions"][0]["process"] is None
    sent = lfn.participant.take_sent()
    aperak = next(f for f in sent if kind(f) == "APERAK")
    assert aperak["recipient"] == NB
    a = edifact.read_aperak(edifact.parse(aperak["bytes"]).messages[0])
    assert not a.positive and any("SEQ+ZF3" in (e.text or "") for e in a.errors)
    assert lfn.status() == "Pending"


def test_makotest_disagreement_the_sims_answer_quotes_no_request_unless_told() -> None:
    """Unless the test passes ``references=[("TN", ...)]``, the simulator's answer carries the
    placeholder RFF+TN "REF55003" instead of the Vorgangsnummer of the request (AHB: RFF+TN
    "Referenz Vorgangsnummer (aus Anfragenachricht)", Muss) and repeats the request's Vorgangsnummer
    as its own IDE+24. Neither validator can see this (the value is well-formed); our router cannot
    assign the answer and answers with an APERAK -- nothing is misfiled."""
    lfn = OurLfn()
    nb = sim(NB, "NB")
    nb.on(55001).ablehnung(antwort_code="A02", ebd="E_0622")
    reply = nb.receive(for_the_sim(lfn.anmeldung), received_at=rfc3339(AT))
    answer = transaction(reply.business)
    assert (answer.reference, answer.referenced_transaction) == ("VG1", "REF55003")
    receipt = lfn.participant.receive(reply.business, at=AT + dt.timedelta(hours=1))
    assert receipt["transactions"][0]["kind"] == "dead_lettered"
    assert "APERAK" in [kind(f) for f in lfn.participant.take_sent()]
    assert lfn.status() == "Pending"


def test_makotest_disagreement_una_before_unb() -> None:
    """ISO 9735 allows (and our writer always sends) the UNA service string advice before UNB. The
    simulator refuses such an interchange outright, and makotest's validator refuses a multi-message
    one ("messages without a UNB envelope"); the same bytes without the UNA are accepted."""
    lfn = OurLfn()
    with pytest.raises(ValueError, match="not bare messages"):
        sim(NB, "NB").receive(lfn.anmeldung)
    bulk = edifact.corpus.utilmd_bulk_interchange(3)
    assert bulk.startswith(DEFAULT_UNA) and our_findings(bulk) == []
    with pytest.raises(ValueError, match="without a UNB envelope"):
        makotest.validate_edifact(bulk, "2026-03-02")
    assert len(makotest.validate_edifact(for_the_sim(bulk), "2026-03-02").messages) == 3


def test_our_nad_z09_carries_the_name_in_one_3036() -> None:
    """The AHB 55001 admits a single C080 3036 "Name" in NAD+Z09 / NAD+Z04 (structure Z01,
    Personenname): the whole name goes there, and makotest agrees."""
    engine = mk.Engine.in_memory()
    participant = market.Participant(engine, LFN, role="lf")
    process = engine.spawn(gpke.LIEFERBEGINN_LFN, tenant=mk.TenantId.from_party_id(LFN))
    process.execute(gpke.start_switch(malo=MALO, start=START, nb=NB, lfn=LFN, sent_at=AT,
                                      customer={**CUSTOMER, "name": "Erika Müller"}, product_code="9991000002082"))
    participant.pump(at=AT)
    (sent,) = participant.take_sent()
    assert b"NAD+Z09+++Erika M\xfcller:::::Z01'" in sent["bytes"]
    assert our_findings(sent["bytes"]) == []
    assert oracle_errors(sent["bytes"]) == []


def test_our_aperak_and_the_sims_aperak_have_the_mig_shape() -> None:
    """Our APERAK refusing an AHB violation passes makotest's APERAK MIG/AHB 2.1i checks (RFF+ACE
    with DTM+171, ERC with its SG5 references, FTX+Z02 naming the place), and the simulator's APERAK
    has the same shape, which we read."""
    lfn = OurLfn()
    nb = sim(NB, "NB")
    nb.on(55001).bestaetigung(antwort_code="A51", ebd="E_0623", references=[("TN", "VG1")])
    reply = nb.receive(for_the_sim(lfn.anmeldung))
    lfn.participant.receive(reply.business, at=AT)
    ours = next(f["bytes"] for f in lfn.participant.take_sent() if kind(f) == "APERAK")
    assert oracle_errors(ours) == []
    theirs = sim(LFN, "LF").receive(for_the_sim(OurNb(assigned=None).sent["UTILMD55002"]["bytes"])).ack
    if theirs is not None:  # the simulator acknowledges only what it refuses
        assert oracle_errors(theirs) == []
        a = edifact.read_aperak(edifact.parse(theirs).messages[0])
        assert not a.positive


def test_makotest_disagreement_contrl() -> None:
    """Two disagreements on CONTRL. (1) We acknowledge every syntactically sound interchange with a
    positive CONTRL (UCI ...+7); the simulator, quoting CONTRL AHB 1.0 Kap. 1.2, sends a CONTRL in
    Strom only for a syntax error. (2) makotest refuses the UNB/UCI identification code qualifier 500
    (BDEW) in any CONTRL, its own included."""
    lfn = OurLfn()
    nb = sim(NB, "NB")
    nb.on(55001).ablehnung(antwort_code="A02", ebd="E_0622", references=[("TN", "VG1")])
    reply = nb.receive(for_the_sim(lfn.anmeldung), received_at=rfc3339(AT))
    assert reply.ack is None
    lfn.participant.receive(reply.business, at=AT + dt.timedelta(hours=1))
    (contrl,) = lfn.participant.take_sent()
    c = edifact.read_contrl(edifact.parse(contrl["bytes"]).messages[0])
    assert c.accepted and kind(contrl) == "CONTRL"
    assert [e.split(":")[0] for e in oracle_errors(contrl["bytes"])] == ["AHB-col1-00002-UCI-0007-CODE"]
    assert '"500"' in oracle_errors(contrl["bytes"])[0]
    # makotest's own (negative) CONTRL, qualifier 500 included, fails its own validator as well.
    theirs = makotest.build_contrl_for(for_the_sim(lfn.anmeldung), on=DAY.isoformat(), accept=False)
    ic = makotest.build_interchange(NB, LFN, "C1", [theirs], on=DAY.isoformat())
    assert b"UCI+" in ic and b":500+" in ic and oracle_errors(ic) != []


def test_our_55002_has_no_sg8_z98_for_a_pauschale_malo() -> None:
    """The 55002 carries SG8 SEQ+Z98 only for a gemessene MaLo (condition [483], STS+7 ZW7), as the
    AHB in force from FV2510 and makotest read it; the FV2504 AHB had it in every 55002. Our 55002
    for a pauschale MaLo (ZW6) leaves it out, and both checkers agree; adding it is refused by both."""
    nb = OurNb(assigned=None)
    confirmation = nb.sent["UTILMD55002"]["bytes"]
    assert b"STS+7++E03+ZW6'" in confirmation and b"SEQ+Z98'" not in confirmation
    assert oracle_errors(confirmation) == [] and our_findings(confirmation) == []
    ic = edifact.parse(confirmation)
    u = edifact.read_utilmd(ic.messages[0])
    u.transactions[0].malo_info = True
    ic.messages[0] = edifact.build_utilmd(u)
    raw = edifact.write(ic)
    assert any("SEQ+Z98" in t and "[483]" in t for t in our_findings(raw))
    assert any("[483]" in e for e in oracle_errors(raw))


# ---------------------------------------------------------------------------------------------
# Our NB against the simulator as LFN (its 55001) and as LFA (answering our 55010).


def makotest_utilmd(pid: int, reference: str, *, sender: str, receiver: str, reason: str,
                    dates: List[tuple], document_code: str = "E01", interchange: str = "MT1") -> bytes:
    """A request as another implementation writes it: makotest's builders."""
    t = makotest.UtilmdTransaction(reference, transaktionsgrund=reason, dates=dates, locations=[("malo", MALO)])
    message = makotest.build_utilmd(pid, sender, receiver, on=DAY.isoformat(), document_code=document_code,
                                    transactions=[t])
    return makotest.build_interchange(sender, receiver, interchange, [message], on=DAY.isoformat())


def makotest_anmeldung(reference: str = "MTVG1", *, interchange: str = "MT1", malo_start: dt.date = START) -> bytes:
    return makotest_utilmd(55001, reference, sender=LFN, receiver=NB, reason="E03",
                           dates=[("92", berlin_day(malo_start))], interchange=interchange)


class OurNb:
    """Our network operator engine with MALO supplied by LFA, after receiving a makotest 55001."""

    def __init__(self, *, assigned: Optional[str] = LFA) -> None:
        self.master_data = market.NbMasterData()
        self.master_data.add_malo(MALO)
        if assigned:
            self.master_data.assign(MALO, assigned, dt.date(2025, 1, 1))
        self.engine = mk.Engine.in_memory()
        self.participant = market.Participant(self.engine, NB, master_data=self.master_data)
        self.anmeldung = makotest_anmeldung()
        assert_conformant(self.anmeldung)
        receipt = self.participant.receive(self.anmeldung, at=AT)
        (tx,) = receipt["transactions"]
        assert (receipt["outcome"], tx["kind"], tx["workflow"]) == ("accepted", "executed", gpke.LIEFERBEGINN_NB)
        self.process: mk.ProcessIdentity = tx["process"]
        self.participant.pump(at=AT)
        self.sent = {kind(f): f for f in self.participant.take_sent()}

    def status(self) -> str:
        return self.engine.resume(gpke.LIEFERBEGINN_NB, self.process).state()["status"]

    def take(self) -> Dict[str, Dict[str, Any]]:
        return {kind(f): f for f in self.participant.take_sent()}


def test_a_makotest_anmeldung_without_old_supplier_is_confirmed_and_the_sim_takes_our_55002() -> None:
    nb = OurNb(assigned=None)
    assert sorted(nb.sent) == ["CONTRL", "UTILMD55002"]
    confirmation = nb.sent["UTILMD55002"]["bytes"]
    assert_conformant(confirmation, makotest_finds=OUR_55002_AS_MAKOTEST_READS_IT)
    t = transaction(confirmation)
    assert (t.referenced_transaction, t.malo_id, cal.berlin_date(t.start)) == ("MTVG1", MALO, START)
    assert nb.status() == "Confirmed"
    # The simulator takes our 55002 as valid and answers nothing (Strom: no positive acknowledgement).
    lfn = sim(LFN, "LF")
    reply = lfn.receive(for_the_sim(confirmation), received_at=rfc3339(AT))
    (exchange,) = lfn.exchanges
    assert exchange.request_valid and exchange.request_pids == (55002,)
    assert reply.ack is None and reply.business is None


def lfa_sim_for(ask: bytes, bind) -> makotest.MarktpartnerSim:
    lfa = sim(LFA, "LF")
    bind(lfa.on(55010), transaction(ask).reference)
    return lfa


def consent(rule, reference: str, **kw):
    # makotest has no Bestätigung for 55010 in its answer table: name the PID explicitly.
    return rule.antwort(pid=55011, antwort_code="A36", ebd="E_0624", references=[("TN", reference)],
                        process_dates=[("93", berlin_day(START))], **kw)


def refusal(rule, reference: str, **kw):
    return rule.antwort(pid=55012, modus="ablehnung", antwort_code="A30", ebd="E_0624",
                        references=[("TN", reference)], **kw)


def test_our_55010_is_conformant_and_carries_the_request_day() -> None:
    nb = OurNb()
    assert sorted(nb.sent) == ["CONTRL", "UTILMD55010", "UTILMD55036"]
    for name in ("UTILMD55010", "UTILMD55036"):
        assert_conformant(nb.sent[name]["bytes"])
    ask = transaction(nb.sent["UTILMD55010"]["bytes"])
    assert (ask.other_party['id'], cal.berlin_date(ask.end)) == (LFN, START)
    assert nb.sent["UTILMD55010"]["recipient"] == LFA
    lfa = lfa_sim_for(nb.sent["UTILMD55010"]["bytes"], consent)
    reply = lfa.receive(for_the_sim(nb.sent["UTILMD55010"]["bytes"]), received_at=rfc3339(AT))
    assert lfa.exchanges[0].request_valid and lfa.unvalidated_requests == []
    # The LFA's deadline: 09:00 of the 1st working day -- the same for both of us.
    assert instant(reply.due_at) == cal.berlin_time_on(DAY + dt.timedelta(days=1), 9)
    assert nb.participant.next_deadline() == instant(reply.due_at)


def test_the_sim_as_lfa_consents_and_our_nb_confirms_the_switch() -> None:
    nb = OurNb()
    ask = nb.sent["UTILMD55010"]["bytes"]
    reply = lfa_sim_for(ask, consent).receive(for_the_sim(ask), received_at=rfc3339(AT))
    assert reply.pids == (55011,)
    assert_conformant(reply.business)
    later = AT + dt.timedelta(hours=2)
    receipt = nb.participant.receive(reply.business, at=later)
    (tx,) = receipt["transactions"]
    assert (tx["kind"], tx["process"]) == ("executed", nb.process)
    nb.participant.pump(at=later)
    sent = nb.take()
    assert sorted(sent) == ["CONTRL", "UTILMD55002", "UTILMD55037"]
    assert sent["UTILMD55002"]["recipient"] == LFN and sent["UTILMD55037"]["recipient"] == LFA
    assert_conformant(sent["UTILMD55002"]["bytes"], makotest_finds=OUR_55002_AS_MAKOTEST_READS_IT)
    assert_conformant(sent["UTILMD55037"]["bytes"])
    assert nb.status() == "Confirmed"
    # The master data follows the switch (caught up before the next lookup): when the old supplier
    # asks for the customer back, our NB asks the new one to end the supply.
    back = makotest_utilmd(55001, "MTVG2", sender=LFA, receiver=NB, reason="E03",
                           dates=[("92", berlin_day(START + dt.timedelta(days=20)))], interchange="MT2")
    assert nb.participant.receive(back, at=later)["transactions"][0]["kind"] == "executed"
    nb.participant.pump(at=later)
    ask = nb.take()["UTILMD55010"]
    assert ask["recipient"] == LFN
    assert_conformant(ask["bytes"])
    assert nb.master_data.assigned_supplier(MALO, START) == LFN
    assert nb.master_data.assigned_supplier(MALO, START - dt.timedelta(days=1)) == LFA


def test_the_sim_as_lfa_refuses_and_our_nb_rejects_the_anmeldung_naming_the_lfa() -> None:
    nb = OurNb()
    ask = nb.sent["UTILMD55010"]["bytes"]
    reply = lfa_sim_for(ask, refusal).receive(for_the_sim(ask), received_at=rfc3339(AT))
    assert reply.pids == (55012,)
    assert_conformant(reply.business)
    later = AT + dt.timedelta(hours=2)
    assert nb.participant.receive(reply.business, at=later)["transactions"][0]["kind"] == "executed"
    nb.participant.pump(at=later)
    sent = nb.take()
    assert sorted(sent) == ["CONTRL", "UTILMD55003"]
    rejection = sent["UTILMD55003"]["bytes"]
    assert_conformant(rejection)
    t = transaction(rejection)
    assert (t.answer_code, t.third_party_answer_code, t.other_party['id']) == ("A50", "A30", LFA)
    assert nb.status() == "Rejected"
    assert nb.master_data.assigned_supplier(MALO, START) == LFA


def test_the_sim_as_lfa_stays_silent_and_our_nb_confirms_when_the_window_closes() -> None:
    nb = OurNb()
    ask = nb.sent["UTILMD55010"]["bytes"]
    reply = lfa_sim_for(ask, lambda rule, _: rule.timeout()).receive(for_the_sim(ask), received_at=rfc3339(AT))
    assert not reply
    window = nb.participant.next_deadline()
    assert window == cal.berlin_time_on(DAY + dt.timedelta(days=1), 9)
    assert nb.participant.pump(at=window)["deadlines_fired"] >= 1
    sent = nb.take()
    assert sorted(sent) == ["UTILMD55002", "UTILMD55037"]
    assert_conformant(sent["UTILMD55002"]["bytes"], makotest_finds=OUR_55002_AS_MAKOTEST_READS_IT)
    assert_conformant(sent["UTILMD55037"]["bytes"])
    assert nb.status() == "Confirmed"


def test_the_sim_as_lfa_answers_late_and_our_nb_keeps_its_decision() -> None:
    nb = OurNb()
    ask = nb.sent["UTILMD55010"]["bytes"]
    reply = lfa_sim_for(ask, lambda rule, ref: refusal(rule, ref, delay_werktage=1)).receive(
        for_the_sim(ask), received_at=rfc3339(AT))
    answered_at = instant(reply.answered_at)
    window = nb.participant.next_deadline()
    assert answered_at > window == instant(reply.due_at)
    nb.participant.pump(at=window)  # silence so far: the switch is confirmed
    assert sorted(nb.take()) == ["UTILMD55002", "UTILMD55037"]
    receipt = nb.participant.receive(reply.business, at=answered_at)
    assert receipt["outcome"] == "accepted"
    nb.participant.pump(at=answered_at)
    assert "UTILMD55003" not in nb.take()  # the late refusal changes nothing
    assert nb.status() == "Confirmed"


# ---------------------------------------------------------------------------------------------
# Abmeldung (55004 -> 55005 / 55006) and Kündigung (55016 -> 55017 / 55018).


def our_request(workflow: str, peer: str, reason: str) -> tuple:
    engine = mk.Engine.in_memory()
    participant = market.Participant(engine, LFN, role="lf")
    process = engine.spawn(workflow, tenant=mk.TenantId.from_party_id(LFN))
    process.execute(gpke.send_request(malo=MALO, sender=LFN, receiver=peer, sent_at=AT, transaction_reason=reason,
                                      date=START, transaction_reference="RQ1"))
    participant.pump(at=AT)
    (sent,) = participant.take_sent()
    assert sent["recipient"] == peer
    assert_conformant(sent["bytes"])
    return engine, participant, process, sent["bytes"]


ANSWERS = {
    # request PID: (our workflow, the sim's role and MP-ID, STS+7, consent, refusal)
    55004: (gpke.ABMELDUNG_LF, NB, "NB", "Z33", {"antwort_code": "A11"}, {"antwort_code": "A01"}),
    55016: (gpke.KUENDIGUNG_LFN, LFA, "LF", "E03", {"antwort_code": "A09"}, {"antwort_code": "A01"}),
}


# Where the simulator's answer breaks the AHB (test_makotest_disagreement_55017_supplement).
SIM_BREAKS_THE_AHB = {(55016, "bestaetigung"): "SG4 STS+7 (Transaktionsgrundergänzung) is 'ZW3'; 55017 admits ZW4"}


def test_makotest_disagreement_55017_supplement() -> None:
    """The simulator's Bestätigung der Kündigung (55017) states the Transaktionsgrundergänzung ZW3
    (erzeugende Marktlokation) for a 55016 about a verbrauchende one (ZW4): it does not echo the
    request's STS+7. makotest's validator passes it; our AHB check refuses the supplement (the
    55017 of a ZW4 Kündigung carries ZW4)."""
    _, _, _, request = our_request(gpke.KUENDIGUNG_LFN, LFA, "E03")
    assert b"STS+7++E03+ZW4'" in request
    partner = sim(LFA, "LF")
    partner.on(55016).bestaetigung(antwort_code="A09", references=[("TN", "RQ1")])
    answer = partner.receive(for_the_sim(request), received_at=rfc3339(AT)).business
    assert b"STS+7++E03+ZW3'" in answer and oracle_errors(answer) == []
    assert our_findings(answer) == ["55017 transaction RQ1: " + SIM_BREAKS_THE_AHB[(55016, "bestaetigung")]]


@pytest.mark.parametrize("pid", sorted(ANSWERS))
@pytest.mark.parametrize("mode", ["bestaetigung", "ablehnung", "timeout", "late"])
def test_our_request_against_the_sim(pid: int, mode: str) -> None:
    workflow, peer, rolle, reason, yes, no = ANSWERS[pid]
    _engine, participant, process, request = our_request(workflow, peer, reason)
    partner = sim(peer, rolle)
    rule = partner.on(pid)
    common = {"references": [("TN", "RQ1")]}
    if mode == "bestaetigung":
        rule.bestaetigung(**yes, **common, process_dates=[("93", berlin_day(START))])
    elif mode in ("ablehnung", "late"):
        rule.ablehnung(**no, **common, delay_werktage=2 if mode == "late" else 0)
    else:
        rule.timeout()
    reply = partner.receive(for_the_sim(request), received_at=rfc3339(AT))
    assert partner.exchanges[0].request_valid
    due = participant.next_deadline()
    if mode == "timeout":
        assert not reply
        assert participant.pump(at=due)["deadlines_fired"] == 1
        assert "AnswerDeadlineMissed" in list(process.history()["event_type"])
        return
    answer = reply.business
    assert oracle_errors(answer) == []
    ours = our_findings(answer)
    received_at = instant(reply.answered_at) if mode == "late" else AT + dt.timedelta(hours=1)
    if mode == "late":
        assert received_at > due
        participant.pump(at=due)
    receipt = participant.receive(answer, at=received_at)
    broken = SIM_BREAKS_THE_AHB.get((pid, mode))
    if broken:  # refused with an APERAK naming the field, not misread; the process is untouched
        assert len(ours) == 1 and broken in ours[0], ours
        assert receipt["outcome"] == "ahb_rejected" and receipt["transactions"][0]["process"] is None
        assert "APERAK" in [kind(f) for f in participant.take_sent()]
        process.invalidate()
        assert process.state()["status"] not in ("Confirmed", "Accepted", "Rejected", "Refused")
        return
    assert ours == []
    (tx,) = receipt["transactions"]
    assert tx["kind"] == "executed" and tx["process"] == process.identity()
    process.invalidate()
    state = process.state()
    assert state["status"] in ("Confirmed", "Accepted", "Rejected", "Refused"), state
    assert (state["status"] in ("Confirmed", "Accepted")) == (mode == "bestaetigung")


# ---------------------------------------------------------------------------------------------
# Requests written by makotest, answered by our engine (NB: Abmeldung; LFA: Kündigung).

INBOUND = {
    # request PID: (our role, our MP-ID, STS+7, BGM, our consent PID, our refusal PID and code)
    55004: ("nb", NB, "Z33", "E02", "55005", "55006", "A01"),
    55016: ("lf", LFA, "E03", "E35", "55017", "55018", "A01"),
}


def received_request(pid: int) -> tuple:
    role, me, reason, document_code, _, _, _ = INBOUND[pid]
    raw = makotest_utilmd(pid, "MTRQ1", sender=LFN, receiver=me, reason=reason,
                          dates=[("93", berlin_day(START))], document_code=document_code)
    assert_conformant(raw)
    engine = mk.Engine.in_memory()
    participant = market.Participant(engine, me, role=role)
    receipt = participant.receive(raw, at=AT)
    (tx,) = receipt["transactions"]
    assert (receipt["outcome"], tx["kind"]) == ("accepted", "executed")
    assert [kind(f) for f in participant.take_sent()] == ["CONTRL"]
    return participant, engine.resume(tx["workflow"], tx["process"])


@pytest.mark.parametrize("pid", sorted(INBOUND))
@pytest.mark.parametrize("accept", [True, False], ids=["consent", "refusal"])
def test_a_makotest_request_is_answered_by_our_engine_and_the_sim_takes_the_answer(pid: int, accept: bool) -> None:
    _, _, _, _, yes, no, refusal_code = INBOUND[pid]
    participant, process = received_request(pid)
    decided = AT + dt.timedelta(hours=1)
    extra: Dict[str, Any] = {"annual_consumption_kwh": "3500"} if (pid, accept) == (55016, True) else {}
    process.execute(gpke.answer(accept, decided, answer_code=None if accept else refusal_code, **extra))
    participant.pump(at=decided)
    (sent,) = participant.take_sent()
    assert (kind(sent), sent["recipient"]) == (f"UTILMD{yes if accept else no}", LFN)
    assert_conformant(sent["bytes"])
    t = transaction(sent["bytes"])
    assert t.referenced_transaction == "MTRQ1" and (accept or t.answer_code == refusal_code)
    if extra:
        assert t.annual_consumption_kwh == "3500"
    requester = sim(LFN, "LF")
    assert not requester.receive(for_the_sim(sent["bytes"]), received_at=rfc3339(decided))
    assert requester.exchanges[0].request_valid and requester.unvalidated_requests == []


def test_our_55017_needs_the_annual_consumption() -> None:
    """Found by the interop run: our LFA's 55017 used to leave out the Vorjahresverbrauch (QTY+Z09,
    AHB 55017 Muss [480]), which both validators flag. The workflow now refuses an Answer without it."""
    _, process = received_request(55016)
    with pytest.raises(mk.ValidationFailed, match="QTY\\+Z09"):
        process.execute(gpke.answer(True, AT + dt.timedelta(hours=1)))
    process.invalidate()
    assert process.state()["status"] == "Received"


# ---------------------------------------------------------------------------------------------
# Ingest what another implementation wrote: `mako-engine ingest` / market.ingest on a folder of
# makotest-built files. Ingest runs on the system clock, so these files are dated today.


def today() -> dt.date:
    return cal.berlin_date(dt.datetime.now(dt.timezone.utc))


def broken(raw: bytes) -> bytes:
    """The same interchange with a wrong UNT segment count: a syntax error (CONTRL 4)."""
    head, _, tail = raw.rpartition(b"UNT+")
    count, _, rest = tail.partition(b"+")
    return head + b"UNT+" + str(int(count) + 1).encode() + b"+" + rest


def test_ingest_a_folder_of_makotest_anmeldungen_into_our_nb(tmp_path) -> None:
    from mako_engine import cli

    on = today().isoformat()
    start = berlin_day(today() + dt.timedelta(days=60))
    malos = [makotest.malo_from_base(f"512345678{i}") for i in range(3)]

    def anmeldung(reference: str, malo: str, interchange: str) -> bytes:
        t = makotest.UtilmdTransaction(reference, transaktionsgrund="E03", dates=[("92", start)],
                                       locations=[("malo", malo)])
        message = makotest.build_utilmd(55001, LFN, NB, on=on, transactions=[t])
        return makotest.build_interchange(LFN, NB, interchange, [message], on=on)

    folder = tmp_path / "from-lfn"
    folder.mkdir()
    files = {f"{i}.edi": anmeldung(f"MTVG{i}", malos[i], f"MTIC{i}") for i in range(2)}
    files["2-broken.edi"] = broken(anmeldung("MTVG2", malos[2], "MTIC2"))
    for name, raw in files.items():
        (folder / name).write_bytes(raw)
        if "broken" not in name:
            assert makotest.validate_edifact(raw, on).is_valid and our_findings(raw) == []
    # makotest does not count the segments: the UNT mismatch passes its validator (docs/conformance.md).
    assert makotest.validate_edifact(files["2-broken.edi"], on).is_valid
    with pytest.raises(edifact.ParseError, match="UNT"):
        edifact.parse(files["2-broken.edi"])

    db = tmp_path / "nb.sqlite"
    assert cli.main(["ingest", str(db), str(folder), "--mp-id", NB]) == 1  # one file could not be ingested
    outbox = tmp_path / "nb-outbound" / LFN / "outbox"
    answers = sorted(outbox.glob("*.edi"))
    by_kind: Dict[str, List[bytes]] = {}
    for path in answers:
        by_kind.setdefault(path.name.split("_")[4], []).append(path.read_bytes())
    # The NB's master data is empty (ingest knows no MaLo): both Anmeldungen are refused with a
    # 55003 (MaLo not in the NB's market communication); the broken file gets a CONTRL 4.
    assert sorted((k, len(v)) for k, v in by_kind.items()) == [("CONTRL", 3), ("UTILMD55003", 2)]
    contrls = [edifact.read_contrl(edifact.parse(raw).messages[0]) for raw in by_kind["CONTRL"]]
    assert sorted((c.interchange_reference, c.accepted) for c in contrls) == [
        ("MTIC0", True), ("MTIC1", True), ("MTIC2", False)]
    for raw in by_kind["UTILMD55003"]:
        assert oracle_errors(raw, today()) == [] and our_findings(raw) == []
    assert sorted(transaction(raw).referenced_transaction for raw in by_kind["UTILMD55003"]) == ["MTVG0", "MTVG1"]

    # The process histories, rebuilt from the database alone.
    engine = mk.Engine.open(db, read_only=True)
    processes = engine.processes()
    assert len(processes) == 2 and set(processes["workflow"]) == {gpke.LIEFERBEGINN_NB}
    assert sorted(processes["status"]) == ["rejected", "rejected"]
    for i, malo in enumerate(malos[:2]):
        (row,) = engine.processes(malo=malo).to_dict("records")
        assert engine.processes(vorgangsnummer=f"MTVG{i}")["stream_id"].tolist() == [row["stream_id"]]
        types = list(engine.events(process=row["process_id"])["event_type"])
        assert types[0] == "AnmeldungReceived" and "AnmeldungRejected" in types
    assert len(engine.processes(malo=malos[2])) == 0  # the broken file touched nothing


def test_ingest_makotest_answers_into_our_lf_database(tmp_path) -> None:
    """Our LF's database holds three switches it sent; the NB's implementation (the simulator)
    answered two with a rejection and one with its (AHB-breaking) confirmation. Ingest resumes the
    processes it can, refuses the confirmation with an APERAK and names it (exit 1)."""
    from mako_engine import cli

    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    on = today().isoformat()
    start = today() + dt.timedelta(days=60)
    malos = [makotest.malo_from_base(f"522345678{i}") for i in range(3)]
    db = tmp_path / "lf.sqlite"
    engine = mk.Engine.open(db)
    lf = market.Participant(engine, LFN, role="lf")
    for i, malo in enumerate(malos):
        p = engine.spawn(gpke.LIEFERBEGINN_LFN, tenant=mk.TenantId.from_party_id(LFN))
        p.execute(gpke.start_switch(malo=malo, start=start, nb=NB, lfn=LFN, sent_at=now, customer=CUSTOMER,
                                    product_code="9991000002082", transaction_reference=f"VG{i}"))
    lf.pump(at=now)
    requests = [f["bytes"] for f in lf.take_sent()]
    assert len(requests) == 3
    del lf, engine, p

    nb = makotest.MarktpartnerSim(mp_id=NB, rolle="NB", reference_date=on)
    folder = tmp_path / "from-nb"
    folder.mkdir()
    for raw in requests:
        vn = transaction(raw).reference
        nb.on(55001).ablehnung(antwort_code="A02", ebd="E_0622", references=[("TN", vn)]) if vn != "VG2" else \
            nb.on(55001).bestaetigung(antwort_code="A51", ebd="E_0623", references=[("TN", vn)])
        reply = nb.receive(for_the_sim(raw))
        (folder / f"{vn}.edi").write_bytes(reply.business)

    assert cli.main(["ingest", str(db), str(folder), "--mp-id", LFN, "--role", "lf"]) == 1
    outbox = tmp_path / "lf-outbound" / NB / "outbox"
    kinds_sent = sorted(p.name.split("_")[4] for p in outbox.glob("*.edi"))
    assert kinds_sent == ["APERAK", "CONTRL", "CONTRL", "CONTRL"]
    aperak_raw = next(outbox.glob("*APERAK*")).read_bytes()
    aperak = edifact.read_aperak(edifact.parse(aperak_raw).messages[0])
    assert any("SEQ+ZF3" in (e.text or "") for e in aperak.errors)
    # Dated today: from FV2610 (APERAK 2.2) our error APERAK follows the BDEW rule text where
    # makotest still applies the 2.1i layout (tests/python/test_conformance_ack.py).
    expected = set() if today() < dt.date(2026, 10, 1) else MAKOTEST_22_DISAGREES
    assert {e.split(":")[0] for e in oracle_errors(aperak_raw, today())} == expected

    engine = mk.Engine.open(db, read_only=True)
    assert len(engine.processes()) == 3
    for i, malo in enumerate(malos):
        (row,) = engine.processes(malo=malo).to_dict("records")
        # The refused confirmation left its process waiting; the two rejections closed theirs.
        assert row["status"] == ("awaiting answer" if i == 2 else "rejected"), row
        types = list(engine.events(process=row["process_id"])["event_type"])
        assert types == ["AnmeldungSent", "MessageSent"] + ([] if i == 2 else ["NbRejected"])
