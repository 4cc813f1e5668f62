"""Finding processes by what a market person knows: MaLo-ID, Vorgangsnummer, MP-ID -- in the
Python history API (SQLite file, engine on a file, in-memory engine, PostgreSQL engine) and in
``mako-engine processes``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pandas as pd
import pytest

import mako_engine as mk
from mako_engine import calendar as cal
from mako_engine import cli, edifact, market

import utilmd_samples as samples

NB, LFN = "9900467000000", "9904590000002"
MALO_A, MALO_B = "41373559241", str(mk.identifiers.MaloId.generate(7))
MONDAY_10 = cal.berlin_time_on(dt.date(2026, 3, 16), 10)


def anmeldung(reference: str, malo: str) -> bytes:
    return samples.utilmd_file("55001", reference, malo=malo, day=dt.date(2026, 3, 25), at=MONDAY_10, sender=LFN,
                               receiver=NB, interchange_reference="IC" + reference)


class Switches:
    """Two Anmeldungen received by an NB (unknown MaLos: each answered with a 55003)."""

    def __init__(self, engine: mk.Engine) -> None:
        nb = market.Participant(engine, NB, role="nb")
        self.engine = engine
        self.process: Dict[str, str] = {}
        for ref, malo in (("VG1", MALO_A), ("VG2", MALO_B)):
            (tx,) = nb.receive(anmeldung(ref, malo), at=MONDAY_10)["transactions"]
            self.process[ref] = str(tx["process"].process_id)
        nb.pump(at=MONDAY_10)
        answers = [f for f in nb.take_sent() if "UTILMD55003" in f["name"]]
        # the NB's own Vorgangsnummer of each 55003, by the Anmeldung it answers
        self.answer_ref: Dict[str, str] = {}
        for f in answers:
            (t,) = edifact.read_utilmd(edifact.parse(f["bytes"]).messages[0]).transactions
            self.answer_ref[t.referenced_transaction] = t.reference


@pytest.fixture(params=["sqlite_path", "sqlite_engine", "in_memory", "postgres"])
def switches(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tuple[Switches, object]]:
    if request.param == "postgres":  # a server only for this one (conftest.py: pg_conninfo)
        engine = mk.Engine.open(request.getfixturevalue("pg_conninfo"), schema=request.getfixturevalue("pg_schema"))
    elif request.param == "in_memory":
        engine = mk.Engine.in_memory()
    else:
        engine = mk.Engine.open(tmp_path / "nb.sqlite", durability="relaxed")
    s = Switches(engine)
    source = str(tmp_path / "nb.sqlite") if request.param == "sqlite_path" else engine
    yield s, source


def ids(df) -> set:
    return set(df["process_id"].astype(str))


def test_processes_by_malo_vorgangsnummer_and_mp_id(switches: Tuple[Switches, object]) -> None:
    s, source = switches
    assert ids(mk.history.processes(source, malo=MALO_A)) == {s.process["VG1"]}
    assert ids(mk.history.processes(source, malo=[MALO_A, MALO_B])) == set(s.process.values())
    # the Vorgangsnummer of the received 55001, and the NB's own one of its 55003 answer
    assert ids(mk.history.processes(source, vorgangsnummer="VG2")) == {s.process["VG2"]}
    assert ids(mk.history.processes(source, vorgangsnummer=s.answer_ref["VG1"])) == {s.process["VG1"]}
    # different filters must all match
    assert mk.history.processes(source, malo=MALO_A, vorgangsnummer="VG2").empty
    assert mk.history.processes(source, vorgangsnummer="NOPE").empty
    # an MP-ID stands for its tenant
    assert ids(mk.history.processes(source, tenant=NB)) == set(s.process.values())
    assert mk.history.processes(source, tenant=LFN, malo=MALO_A).empty
    # events take the same filters
    ev = mk.history.events(source, malo=MALO_A)
    assert not ev.empty and set(ev["process_id"].astype(str)) == {s.process["VG1"]}
    assert set(mk.history.events(source, vorgangsnummer="VG2", event_type="MessageSent")["process_id"].astype(str)) == {s.process["VG2"]}


def test_engine_methods_and_the_registry_frame(switches: Tuple[Switches, object]) -> None:
    s, _ = switches
    assert ids(s.engine.processes(malo=MALO_B)) == {s.process["VG2"]}
    assert ids(s.engine.events(vorgangsnummer="VG1", payload=False)) == {s.process["VG1"]}
    keys = mk.registry.registry(s.engine, process=s.process["VG1"])
    assert {(k, v) for k, v in zip(keys["kind"].astype(str), keys["key"])} == {
        ("malo", MALO_A), ("anmeldung", f"{LFN}/VG1"), ("vorgang", s.answer_ref["VG1"])}
    # When each key was registered (the wall clock of its commit), from every kind of store.
    assert str(keys["created_at"].dtype) == "datetime64[ns, UTC]"
    assert keys["created_at"].notna().all() and keys["created_at"].is_monotonic_increasing
    assert (pd.Timestamp.now(tz="UTC") - keys["created_at"]).max() < pd.Timedelta(minutes=10)
    every = mk.registry.registry(s.engine)
    assert len(every) == 6 and set(every["tenant_id"].astype(str)) == {str(mk.TenantId.from_party_id(NB))}
    assert set(every["process_id"].astype(str)) == set(s.process.values())
    assert list(every.columns) == ["stream_id", "process_id", "tenant_id", "workflow", "kind", "key", "created_at"]
    assert mk.registry.registry(s.engine, kind="malo", key=MALO_B)["process_id"].astype(str).tolist() == [s.process["VG2"]]
    assert mk.registry.registry(s.engine, process="not a process id").empty


def test_bad_keys_are_refused(switches: Tuple[Switches, object]) -> None:
    _, source = switches
    with pytest.raises(mk.InvalidInput, match="malo"):
        mk.history.processes(source, malo="41373559242")  # wrong check digit
    with pytest.raises(mk.InvalidInput, match="tenant"):
        mk.history.events(source, tenant="9900467000001")


def test_cli_processes_by_malo_vorgangsnummer_and_mp_id(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    s = Switches(mk.Engine.open(tmp_path / "nb.sqlite", durability="relaxed"))
    db = str(tmp_path / "nb.sqlite")
    assert cli.main(["processes", db, "--malo", MALO_A]) == 0
    out = capsys.readouterr().out
    assert s.process["VG1"] in out and s.process["VG2"] not in out
    assert cli.main(["processes", db, "--vorgangsnummer", "VG2"]) == 0
    out = capsys.readouterr().out
    assert s.process["VG2"] in out and s.process["VG1"] not in out
    assert cli.main(["processes", db, "--tenant", NB]) == 0
    out = capsys.readouterr().out
    assert s.process["VG1"] in out and s.process["VG2"] in out
    assert cli.main(["processes", db, "--tenant", LFN]) == 0
    assert "(none)" in capsys.readouterr().out
    out_csv = tmp_path / "vg1.csv"
    assert cli.main(["export", db, "--out", str(out_csv), "--vorgangsnummer", "VG1"]) == 0
    assert s.process["VG1"] in out_csv.read_text() and s.process["VG2"] not in out_csv.read_text()
    capsys.readouterr()
    for bad in (["--malo", "41373559242"], ["--tenant", "9900467000001"], ["--tenant", "nobody"], ["--vorgangsnummer", " "]):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(["processes", db, *bad])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert bad[0] in err and len(err.strip().splitlines()) == 1
