"""UTILMD files as another market partner would send them: with what the AHB of each PID makes
mandatory (the engine's inbound pipeline refuses the bare skeleton with an APERAK)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from mako_engine import calendar as cal
from mako_engine import edifact

CUSTOMER = {"name": "Erika Müller", "street": "Hauptstraße 7", "postcode": "10115",
            "city": "Berlin", "country": "DE"}
DOCUMENT_CODES = {"55016": "E35", "55017": "E35", "55018": "E35", "55004": "E02", "55010": "E02", "55011": "E02",
                  "55012": "E02", "55037": "E02"}


def transaction(pid: str, reference: str, malo: str, day: dt.date, *, referenced: Optional[str] = None,
                complete: bool = True) -> edifact.UtilmdTransaction:
    """One transaction of ``pid`` about ``malo`` on ``day`` (Beginn zum or Ende zum, as the PID has it)."""
    t = edifact.UtilmdTransaction(reference, pid, malo, reason="E03", referenced_transaction=referenced)
    at = cal.berlin_start_of_day(day)
    if pid == "55001":
        t.start = at
        if complete:
            t.reason_supplement, t.product_code, t.household, t.enfg = "ZW4", "9991000002082", True, "ZG0"
            t.customer, t.correspondence = {"name": CUSTOMER["name"]}, dict(CUSTOMER)  # NAD+Z09 name, NAD+Z04 address
    elif pid in ("55016", "55004", "55010"):
        t.end = at
        if complete:
            t.reason_supplement = "ZW4"
    elif pid in ("55011", "55012"):
        t.malo_id = ""
        if pid == "55011":
            t.end = at
        if complete:
            t.answer_code, t.answer_code_list = ("A36" if pid == "55011" else "A35"), "E_0624"
    elif pid == "55017":
        t.end, t.malo_id = at, ""
        if complete:
            t.reason_supplement, t.answer_code, t.answer_code_list, t.annual_consumption_kwh = "ZW4", "A09", "E_0614", "3500"
    else:
        t.start = at
    return t


def utilmd_file(pid: str, reference: str, *, malo: str, day: dt.date, at: dt.datetime, sender: str, receiver: str,
                referenced: Optional[str] = None, interchange_reference: str = "IC1", complete: bool = True) -> bytes:
    """The interchange of one ``pid`` transaction, dated ``at`` (which selects the MIG release)."""
    u = edifact.UtilmdMessage(
        "M1", at, edifact.MarketPartner(sender), edifact.MarketPartner(receiver), document_number="D" + reference,
        document_code=DOCUMENT_CODES.get(pid, "E01"), association=edifact.release_for("UTILMD", at) or "S2.1",
        transactions=[transaction(pid, reference, malo, day, referenced=referenced, complete=complete)],
    )
    return edifact.write(edifact.make_interchange(u.sender, u.receiver, interchange_reference, at, [edifact.build_utilmd(u)]))
