"""GPKE (supplier switch after LFW24) from Python: the C++ workflows by name and their commands.

Importing :mod:`mako_engine` registers the GPKE workflows (:data:`WORKFLOWS`), so an engine spawns
them by name and drives them with JSON commands at C++ speed. The functions below build those
commands (plain dicts; instants become RFC 3339 UTC text, dates ISO text)::

    import datetime as dt
    import mako_engine as mk
    from mako_engine import gpke

    engine = mk.Engine.in_memory()
    nb = engine.spawn("gpke.lieferbeginn.nb", tenant=mk.TenantId.from_party_id(NB))
    anmeldung = gpke.vorgang("55001", "VG1", malo="41373559241", sender=LFN, receiver=NB,
                             start=dt.date(2025, 3, 5))
    events = nb.execute(gpke.receive_anmeldung(anmeldung, received_at=utc_instant))
    [e.event_type for e in events]     # ['AnmeldungReceived', 'AnmeldungConfirmed', 'MessageSent']

Outbound messages are UTILMD payloads (see ``MessageSent`` events and the engine's outbox);
:func:`render_utilmd` turns one into an EDIFACT interchange.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Mapping, Optional, Union

from . import _core

__all__ = [
    "WORKFLOWS",
    "LIEFERBEGINN_NB",
    "LIEFERBEGINN_LFN",
    "LIEFERENDE_LFA",
    "ABMELDUNG_LF",
    "ABMELDUNG_NB",
    "ABMELDUNG_DURCH_NB_NB",
    "ABMELDUNG_DURCH_NB_LF",
    "KUENDIGUNG_LFN",
    "KUENDIGUNG_LFA",
    "workflow_names",
    "vorgang",
    "receive_anmeldung",
    "receive_lfa_answer",
    "start_switch",
    "receive_nb_message",
    "send_request",
    "receive_request",
    "answer",
    "receive_answer",
    "receive_follow_up",
    "deadline_reached",
    "render_utilmd",
    "derive_vorgangsnummer",
]

LIEFERBEGINN_NB = "gpke.lieferbeginn.nb"  #: NB: 55001 -> 55036/55010 -> 55011/55012 -> 55002/55003, 55037
LIEFERBEGINN_LFN = "gpke.lieferbeginn.lfn"  #: LFN: sends 55001, receives 55036 / 55002 / 55003
LIEFERENDE_LFA = "gpke.lieferende.lfa"  #: LFA: receives 55010, answers 55011 / 55012, receives 55037
ABMELDUNG_LF = "gpke.abmeldung.lf"  #: LF: sends 55004, receives 55005 / 55006
ABMELDUNG_NB = "gpke.abmeldung.nb"  #: NB: receives 55004, answers 55005 / 55006
ABMELDUNG_DURCH_NB_NB = "gpke.abmeldung_durch_nb.nb"  #: NB: sends 55007, receives 55008 / 55009
ABMELDUNG_DURCH_NB_LF = "gpke.abmeldung_durch_nb.lf"  #: LF: receives 55007, answers 55008 / 55009
KUENDIGUNG_LFN = "gpke.kuendigung.lfn"  #: LFN: sends 55016, receives 55017 / 55018
KUENDIGUNG_LFA = "gpke.kuendigung.lfa"  #: LFA: receives 55016, answers 55017 / 55018

#: Every GPKE workflow name, in the order above.
WORKFLOWS = (
    LIEFERBEGINN_NB,
    LIEFERBEGINN_LFN,
    LIEFERENDE_LFA,
    ABMELDUNG_LF,
    ABMELDUNG_NB,
    ABMELDUNG_DURCH_NB_NB,
    ABMELDUNG_DURCH_NB_LF,
    KUENDIGUNG_LFN,
    KUENDIGUNG_LFA,
)


def workflow_names() -> List[str]:
    """The GPKE workflow names registered in the C++ registry (as :data:`WORKFLOWS`)."""
    return list(_core.gpke_workflow_names())


def _instant(value: Union[_dt.datetime, str], what: str) -> str:
    if isinstance(value, str):
        return value
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"{what}: a timezone-aware datetime is required, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        from ._errors import InvalidInput

        raise InvalidInput(f"{what}: naive datetime refused; pass a timezone-aware datetime")
    return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _date(value: Union[_dt.date, str], what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise TypeError(f"{what}: a datetime.date is required, not {type(value).__name__}")
    return value.isoformat()


def _put(d: Dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        d[key] = value


def vorgang(
    pid: str,
    transaction_reference: str,
    *,
    malo: str,
    sender: str,
    receiver: str,
    start: Optional[_dt.date] = None,
    transaction_reason: str = "E03",
    referenced_transaction: Optional[str] = None,
    answer_code: Optional[str] = None,
) -> Dict[str, Any]:
    """One UTILMD transaction in the flat JSON form of the GPKE workflows (``UtilmdVorgang``):
    PID, IDE+24 Vorgangsnummer, MaLo, NAD+MS/MR MP-IDs, DTM+92 start (Berlin calendar day), STS+7
    reason (E03 switch, E01 move), RFF+TN and the answer code."""
    d: Dict[str, Any] = {
        "pid": pid,
        "transaction_reference": transaction_reference,
        "malo": malo,
        "transaction_reason": transaction_reason,
        "sender": sender,
        "receiver": receiver,
    }
    if start is not None:
        d["start"] = _date(start, "start")
    _put(d, "referenced_transaction", referenced_transaction)
    _put(d, "answer_code", answer_code)
    return d


def _command(type_: str, data: Dict[str, Any]) -> Dict[str, Any]:
    return {"type": type_, "data": data}


def receive_anmeldung(
    anmeldung: Mapping[str, Any],
    received_at: _dt.datetime,
    *,
    assigned_lfa: Optional[str] = None,
    pending_anmeldung_start: Optional[_dt.date] = None,
    precondition_failure: Optional[str] = None,
    precondition_answer_code: Optional[str] = None,
    decided_at: Optional[_dt.datetime] = None,
) -> Dict[str, Any]:
    """``ReceiveAnmeldung`` for ``gpke.lieferbeginn.nb``: the 55001 received at ``received_at`` (its
    Übertragungstag) and the NB's master data at the start date (assigned supplier, a pending other
    Anmeldung, a failed precondition such as "MaLo unbekannt")."""
    stammdaten: Dict[str, Any] = {}
    _put(stammdaten, "assigned_lfa", assigned_lfa)
    if pending_anmeldung_start is not None:
        stammdaten["pending_anmeldung_start"] = _date(pending_anmeldung_start, "pending_anmeldung_start")
    if precondition_failure is not None:
        failure: Dict[str, Any] = {"text": precondition_failure}
        _put(failure, "answer_code", precondition_answer_code)
        stammdaten["precondition_failure"] = failure
    data: Dict[str, Any] = {
        "anmeldung": dict(anmeldung),
        "received_at": _instant(received_at, "received_at"),
        "stammdaten": stammdaten,
    }
    if decided_at is not None:
        data["decided_at"] = _instant(decided_at, "decided_at")
    return _command("ReceiveAnmeldung", data)


def receive_lfa_answer(
    answer: Mapping[str, Any], received_at: _dt.datetime, *, decided_at: Optional[_dt.datetime] = None
) -> Dict[str, Any]:
    """``ReceiveLfaAnswer`` for ``gpke.lieferbeginn.nb``: the LFA's 55011 / 55012 (RFF+TN = the 55010)."""
    data: Dict[str, Any] = {"answer": dict(answer), "received_at": _instant(received_at, "received_at")}
    if decided_at is not None:
        data["decided_at"] = _instant(decided_at, "decided_at")
    return _command("ReceiveLfaAnswer", data)


def start_switch(
    *,
    malo: str,
    start: _dt.date,
    nb: str,
    lfn: str,
    sent_at: _dt.datetime,
    transaction_reason: str = "E03",
    transaction_reference: Optional[str] = None,
    send_late: bool = False,
    customer: Optional[Mapping[str, Any]] = None,
    correspondence: Optional[Mapping[str, Any]] = None,
    product_code: Optional[str] = None,
    household: bool = True,
    enfg: str = "ZG0",
) -> Dict[str, Any]:
    """``StartSwitch`` for ``gpke.lieferbeginn.lfn``: send the 55001 for ``malo`` from ``start``.

    The AHB of the 55001 makes the customer mandatory: ``customer`` is a dict with ``name`` (and
    ``company``: True for a firm) and the address ``street``, ``postcode``, ``city``, ``country``
    (NAD+Z09 / NAD+Z04); ``correspondence`` is another address (default: the customer's).
    ``product_code`` (13 digits, SG8 PIA+5), ``household`` (Haushaltskunde gem. EnWG) and ``enfg``
    (ZF9 / ZG0 / ZG1, EnFG) complete the product data. The workflow refuses a 55001 without them."""
    data: Dict[str, Any] = {
        "malo": malo,
        "start": _date(start, "start"),
        "transaction_reason": transaction_reason,
        "nb": nb,
        "lfn": lfn,
        "sent_at": _instant(sent_at, "sent_at"),
    }
    _put(data, "transaction_reference", transaction_reference)
    if send_late:
        data["send_late"] = True
    if customer is not None:
        data["customer"] = dict(customer)
    if correspondence is not None:
        data["correspondence"] = dict(correspondence)
    _put(data, "product_code", product_code)
    data["household"] = household
    data["enfg"] = enfg
    return _command("StartSwitch", data)


def receive_nb_message(
    message: Mapping[str, Any], received_at: _dt.datetime, *, existing_supplier: Optional[str] = None
) -> Dict[str, Any]:
    """``ReceiveNbMessage`` for ``gpke.lieferbeginn.lfn``: the NB's 55036 / 55002 / 55003."""
    data: Dict[str, Any] = {"message": dict(message), "received_at": _instant(received_at, "received_at")}
    _put(data, "existing_supplier", existing_supplier)
    return _command("ReceiveNbMessage", data)


def send_request(
    *,
    malo: str,
    sender: str,
    receiver: str,
    sent_at: _dt.datetime,
    transaction_reason: str,
    date: Optional[_dt.date] = None,
    transaction_reference: Optional[str] = None,
    device_removal: Optional[_dt.date] = None,
) -> Dict[str, Any]:
    """``SendRequest`` for the requesting workflows (Abmeldung 55004 / 55007, Kündigung 55016).
    ``date`` is the day the supply ends (DTM+93, mandatory); ``device_removal`` the
    Geräteausbaudatum an Abmeldung wegen Stilllegung (Z33) carries from UTILMD S2.2 on."""
    data: Dict[str, Any] = {
        "malo": malo,
        "transaction_reason": transaction_reason,
        "sender": sender,
        "receiver": receiver,
        "sent_at": _instant(sent_at, "sent_at"),
    }
    if date is not None:
        data["date"] = _date(date, "date")
    _put(data, "transaction_reference", transaction_reference)
    if device_removal is not None:
        data["device_removal"] = _date(device_removal, "device_removal")
    return _command("SendRequest", data)


def receive_request(
    request: Mapping[str, Any], received_at: _dt.datetime, *, reference_uebertragung: Optional[_dt.datetime] = None
) -> Dict[str, Any]:
    """``ReceiveRequest`` for the answering workflows (55010, 55004, 55007, 55016)."""
    data: Dict[str, Any] = {"request": dict(request), "received_at": _instant(received_at, "received_at")}
    if reference_uebertragung is not None:
        data["reference_uebertragung"] = _instant(reference_uebertragung, "reference_uebertragung")
    return _command("ReceiveRequest", data)


def answer(
    accept: bool,
    decided_at: _dt.datetime,
    *,
    answer_code: Optional[str] = None,
    remark: Optional[str] = None,
    annual_consumption_kwh: Optional[str] = None,
) -> Dict[str, Any]:
    """``Answer`` for the answering workflows: accept or reject (with an answer code from the EBD of
    the answer, a ``remark`` (FTX) where the code needs one). The LFA's Bestätigung der Kündigung
    (55017) must state the customer's ``annual_consumption_kwh`` (Vorjahresverbrauch, QTY+Z09): the
    workflow refuses it without."""
    data: Dict[str, Any] = {"accept": bool(accept), "decided_at": _instant(decided_at, "decided_at")}
    _put(data, "answer_code", answer_code)
    _put(data, "remark", remark)
    _put(data, "annual_consumption_kwh", annual_consumption_kwh)
    return _command("Answer", data)


def receive_answer(answer_: Mapping[str, Any], received_at: _dt.datetime) -> Dict[str, Any]:
    """``ReceiveAnswer`` for the requesting workflows (RFF+TN = the request)."""
    return _command("ReceiveAnswer", {"answer": dict(answer_), "received_at": _instant(received_at, "received_at")})


def receive_follow_up(message: Mapping[str, Any], received_at: _dt.datetime) -> Dict[str, Any]:
    """``ReceiveFollowUp`` for ``gpke.lieferende.lfa``: the 55037 ending the supply."""
    return _command("ReceiveFollowUp", {"message": dict(message), "received_at": _instant(received_at, "received_at")})


def deadline_reached(name: str, at: _dt.datetime) -> Dict[str, Any]:
    """``DeadlineReached``: what a scheduler delivers when a deadline ``name`` fires at ``at``."""
    return _command("DeadlineReached", {"name": name, "at": _instant(at, "at")})


def render_utilmd(
    payload: Mapping[str, Any], interchange_reference: Optional[str] = None, message_reference: str = "1"
) -> bytes:
    """An outbound UTILMD payload of a GPKE workflow (``OutboundMessage.payload``) as a complete
    EDIFACT interchange (wire bytes). ``interchange_reference`` defaults to the last 14 characters
    of the payload's Vorgangsnummer."""
    if interchange_reference is None:
        interchange_reference = str(payload.get("transaction_reference", ""))[-14:] or "1"
    return _core.gpke_render_utilmd(dict(payload), interchange_reference, message_reference)


def derive_vorgangsnummer(sender: str, request_reference: str, pid: int) -> str:
    """The deterministic Vorgangsnummer a GPKE workflow gives a message it sends."""
    return _core.gpke_derive_vorgangsnummer(sender, request_reference, int(pid))
