"""The market domain from Python: EDIFACT, identifiers, the BDEW calendar, GPKE and the market.

    python examples/python/market_domain.py [OUT_DIR]

Parses a UTILMD Anmeldung, checks its ids, computes the GPKE deadlines for it, lets a Netzbetreiber
engine receive it as a file (CONTRL + the C++ workflow + the rendered 55002), routes a PID that
GPKE does not cover to a Python workflow, and runs a small LF <-> NB simulation on SQLite.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile

import mako_engine as mk
from mako_engine import calendar, edifact, identifiers, market

NB, LFN = edifact.corpus.ids["nb"], edifact.corpus.ids["lfn"]


class KuendigungsEingang(mk.Workflow):
    """Records every 55016 the NB receives (GPKE routes it to nobody)."""

    name = "demo.kuendigung"

    def initial_state(self) -> dict:
        return {"received": 0}

    def apply(self, state: dict, event: dict) -> dict:
        return {"received": state["received"] + 1}

    def handle(self, state: dict, command: dict) -> list:
        return [{"type": "KuendigungGesehen", "data": {"malo": command["data"]["request"]["malo"]}}]


def main(out_dir: str) -> None:
    examples = {e["name"]: e["bytes"] for e in edifact.corpus.gpke_examples()}
    data = examples["utilmd_55001_1"]
    ic = edifact.parse(data)
    (tx,) = edifact.read_utilmd(ic.messages[0]).transactions
    print(f"parsed:      {ic.messages[0].type} {tx.pid} from {ic.sender.id}, MaLo {tx.malo_id}, round trip {edifact.write(ic) == data}")
    print(f"ids:         MaLo {identifiers.MaloId(tx.malo_id).check_digit}, sender {identifiers.MpId(ic.sender.id).kind.name}")

    start = calendar.berlin_date(tx.start)
    latest = calendar.latest_transfer_day_for_start(start)
    received = calendar.berlin_time_on(latest, 16)
    answer = calendar.DeadlineRule.at_time_on_nth_working_day(1, 11).evaluate(received)
    print(f"deadlines:   start {start}, latest ÜT {latest}, 55002 due {calendar.to_berlin(answer):%Y-%m-%d %H:%M %Z}")

    master_data = market.NbMasterData()
    master_data.add_malo(tx.malo_id)
    routes = market.RouteTable.nb().spawn("55016", KuendigungsEingang)
    nb = market.Participant(mk.Engine.in_memory(), NB, routes, master_data=master_data)
    receipt = nb.receive(data, at=received)
    nb.pump(at=received)
    sent = [f["name"].split("_")[4] for f in nb.take_sent()]
    print(f"NB received: {receipt['outcome']}, {receipt['transactions'][0]['workflow']}; sent {', '.join(sent)}")
    receipt = nb.receive(examples["utilmd_55016_16"].replace(edifact.corpus.ids["lfa"].encode(), NB.encode()), at=received)
    print(f"55016:       {receipt['transactions'][0]['kind']} by {receipt['transactions'][0]['workflow']}")

    report = market.simulate(out_dir, customers=50, seed=42)
    print(f"simulation:  {sum(report['scenarios'].values())} customers, outcomes {report['actual_outcomes']}, match {report['outcomes_match']}")
    print(f"             SQLite: {report['databases']['nb']}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="mako-market-"))
