"""PostgreSQL wherever a store is picked: ``mk.Engine.open("postgresql://...")``, the history
DataFrames read from it, the CLI, and the market simulation -- against a real server (the session
fixture ``pg_conninfo`` in conftest.py starts a throw-away one, or uses $MAKO_TEST_PG)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pandas as pd
import pytest

import mako_engine as mk
from mako_engine import _synthetic, cli, deadlines, history, market

from conftest import Counter, pg_url

TENANT = mk.TenantId.from_party_id("9900123456789")


def lifecycle_run(engine: mk.Engine) -> List[mk.Process]:
    """An events-only workflow end to end: two lifecycle processes and a Python counter."""
    a = engine.spawn("lifecycle", tenant=TENANT)
    a.execute({"type": "Register", "data": {"name": "MaLo 41373559241"}})
    a.execute({"type": "Activate"})
    a.execute({"type": "Deactivate"})
    b = engine.spawn("lifecycle", tenant=TENANT)
    b.execute({"type": "Register", "data": {"name": "MaLo 51238696788"}})
    with pytest.raises(mk.InvalidState):
        b.execute({"type": "Deactivate"})  # refused: nothing written
    c = engine.spawn(Counter, tenant=TENANT)
    c.execute({"kind": "add", "by": 2})
    c.execute({"kind": "add", "by": 3})
    return [a, b, c]


def comparable(df: pd.DataFrame) -> pd.DataFrame:
    """An events frame without what differs between two runs (ids, times, positions)."""
    return df[["workflow", "format_version", "sequence", "event_type", "schema_version", "payload"]].astype(str).reset_index(drop=True)


def test_open_by_url_and_by_key_value_string(pg_conninfo: str, pg_schema: str) -> None:
    assert mk.postgres_supported()
    url = pg_url(pg_conninfo)
    assert mk.is_postgres_location(url) and mk.is_postgres_location(pg_conninfo)
    assert not mk.is_postgres_location("nb.sqlite")
    with mk.Engine.open(url, schema=pg_schema) as engine:
        assert engine.backend == "postgresql" and engine.location == url
        a, b, c = lifecycle_run(engine)
        assert engine.head_position() == 6
    # A second engine (another instance) on the same schema, through libpq's key=value form.
    with mk.Engine.open(pg_conninfo, schema=pg_schema) as other:
        assert other.backend == "postgresql"
        again = other.resume("lifecycle", a.identity().to_json())
        assert again.state()["status"] == "Inactive" and again.event_count() == 3
        assert other.resume(Counter, c.identity()).state()["count"] == 5
        assert sorted(other.iter_streams()) == sorted([a.stream_id, b.stream_id, c.stream_id])
        assert [e.event_type for e in other.read_all(0, 100)] == ["Registered", "Activated", "Deactivated", "Registered",
                                                                   "Added", "Added"]


def test_history_frames_on_postgres_match_sqlite(pg_conninfo: str, pg_schema: str, tmp_path: Path) -> None:
    with mk.Engine.open(tmp_path / "same.sqlite") as lite, mk.Engine.open(pg_url(pg_conninfo), schema=pg_schema) as pg:
        lifecycle_run(lite)
        procs = lifecycle_run(pg)
        ev_lite, ev_pg = lite.events(), pg.events()
        assert len(ev_pg) == 6
        assert list(ev_pg.columns) == list(ev_lite.columns)
        assert dict(ev_pg.dtypes.astype(str)) == dict(ev_lite.dtypes.astype(str))
        pd.testing.assert_frame_equal(comparable(ev_pg), comparable(ev_lite))
        # Filters work the same way through the engine.
        assert len(pg.events(event_type="Added")) == 2
        assert len(pg.events(process=str(procs[0].process_id))) == 3
        assert len(pg.events(workflow="lifecycle", payload=False)) == 4
        # One row per process, the status from its workflow (folded through the engine).
        st = pg.processes(python_workflows=[Counter]).set_index("process_id")
        for p in procs:
            assert st.loc[str(p.process_id), "status"] == (p.status() or history.UNKNOWN_STATUS)
        assert [st.loc[str(p.process_id), "events"] for p in procs] == [3, 1, 2]
        assert sorted(pg.processes()["status"].astype(str)) == sorted(lite.processes()["status"].astype(str))
        # process.history() reads through the engine too.
        assert list(procs[2].history()["event_type"]) == ["Added", "Added"]


def test_deadline_history_on_postgres_matches_sqlite(pg_conninfo: str, pg_schema: str, tmp_path: Path) -> None:
    """The same synthetic GPKE history (same seed: same processes) in a file and in a schema: the deadline
    frames are equal, read from PostgreSQL through the engine's deadline store. Only ``created_at``
    differs: the wall clock of each store's own import."""
    url = pg_url(pg_conninfo)
    lite = _synthetic.write_gpke_history(tmp_path / "nb.sqlite", processes=60, seed=5)
    pg = _synthetic.write_gpke_history(url, processes=60, seed=5, schema=pg_schema)
    assert pg.processes == lite.processes
    with mk.Engine.open(lite.path) as file_engine, mk.Engine.open(url, schema=pg_schema) as engine:
        reg, reg_lite = deadlines.registered_deadlines(engine), deadlines.registered_deadlines(file_engine)
        assert len(reg) == 60 and set(reg["status"].astype(str)) == {"fired", "moot"}
        assert dict(reg.dtypes.astype(str)) == dict(reg_lite.dtypes.astype(str))
        assert reg["created_at"].notna().all()
        pd.testing.assert_frame_equal(reg.drop(columns="created_at"), reg_lite.drop(columns="created_at"))
        for filters in [{"tenant": lite.tenant}, {"process": lite.processes[:3]}, {"name": "answer-55002"},
                        {"since": "2026-03-20", "until": "2026-04-01"}, {"workflow": "nope"}]:
            pd.testing.assert_frame_equal(deadlines.registered_deadlines(engine, **filters).drop(columns="created_at"),
                                          deadlines.registered_deadlines(file_engine, **filters).drop(columns="created_at"))
        # The MaKo reading: every column, deadline status and outcome included, as from the file.
        dl = engine.deadlines()
        pd.testing.assert_frame_equal(dl, file_engine.deadlines())
        assert set(dl["deadline_status"].dropna().astype(str)) == {"fired", "moot"}
        missed = engine.missed_deadlines(step="Send55002")
        assert sorted(missed["process_id"].astype(str)) == sorted(lite.late_55002)
        assert (missed["deadline_status"] == "fired").all()
        pd.testing.assert_frame_equal(engine.deadlines(month="2026-03", missed=True),
                                      file_engine.deadlines(month="2026-03", missed=True))
    # A connection string alone reads the schema 'mako'.
    assert deadlines.registered_deadlines(url, tenant=lite.tenant).empty


def test_history_functions_take_a_postgres_location(pg_conninfo: str) -> None:
    # A connection string alone reads the schema 'mako' (other schemas: pass an engine).
    url = pg_url(pg_conninfo)
    with mk.Engine.open(url) as engine:
        p = engine.spawn("lifecycle", tenant=TENANT)
        p.execute({"type": "Register", "data": {"name": "by location"}})
    df = history.events(url, process=str(p.process_id))
    assert list(df["event_type"]) == ["Registered"]
    assert history.processes(pg_conninfo, process=str(p.process_id))["events"].tolist() == [1]
    assert list(mk.registry.registry(url, process=str(p.process_id)).columns)[:2] == ["stream_id", "process_id"]
    with pytest.raises(mk.InvalidInput, match="PostgreSQL store, not a file"):
        history.open_reader(url)


def test_unreachable_server_and_bad_strings_name_the_location(tmp_path: Path) -> None:
    url = f"postgresql://mako:s3cret@/mako?host={tmp_path}&port=1"
    with pytest.raises(mk.StoreBusy) as e:
        mk.Engine.open(url)
    assert "cannot connect" in str(e.value) and f"host={tmp_path}" in str(e.value) and "s3cret" not in str(e.value)
    with pytest.raises(mk.InvalidInput, match="connection string is not valid"):
        mk.Engine.open("host='unterminated dbname=mako")
    with pytest.raises(mk.InvalidInput, match="durability 'relaxed' applies to SQLite files"):
        mk.Engine.open(url, "relaxed")
    with pytest.raises(mk.InvalidInput, match="read_only applies to SQLite files"):
        mk.Engine.open(url, read_only=True)
    with pytest.raises(mk.InvalidInput, match="schema applies to PostgreSQL"):
        mk.Engine.open(tmp_path / "x.sqlite", schema="lf")
    with pytest.raises(mk.InvalidInput, match="not allowed"):
        mk.Engine.open(url, schema="Bad-Name")


def test_cli_reads_postgres(pg_conninfo: str, pg_schema: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = pg_url(pg_conninfo)
    with mk.Engine.open(url, schema=pg_schema) as engine:
        a, _, _ = lifecycle_run(engine)
    assert cli.main(["processes", url, "--schema", pg_schema, "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert str(a.process_id) in out and "lifecycle" in out and "counter" in out
    assert cli.main(["history", url, str(a.process_id), "--schema", pg_schema]) == 0
    out = capsys.readouterr().out
    assert "3 events" in out and "Deactivated" in out
    assert cli.main(["export", pg_conninfo, "--schema", pg_schema, "--out", str(tmp_path / "e.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "e.csv")) == 6
    assert cli.main(["deadlines", url, "--schema", pg_schema]) == 0  # events-only: no deadlines, still a table
    capsys.readouterr()
    # --schema on a SQLite file is a usage error.
    assert cli.main(["processes", str(tmp_path / "none.sqlite"), "--schema", "x"]) == 2
    assert "--schema applies to PostgreSQL" in capsys.readouterr().err


def test_cli_unreachable_server_exits_2(tmp_path: Path) -> None:
    url = f"postgresql://mako:s3cret@/mako?host={tmp_path}&port=1"
    for args in (["processes", url], ["history", url, "x"], ["simulate", "--out", str(tmp_path / "sim"), "--store", url]):
        r = subprocess.run([sys.executable, "-m", "mako_engine", *args], capture_output=True, text=True, timeout=120)
        assert r.returncode == 2, (args, r.stderr)
        assert "cannot open postgresql://mako:***@/mako" in r.stderr and "cannot connect" in r.stderr
        assert "s3cret" not in r.stderr + r.stdout
    r = subprocess.run([sys.executable, "-m", "mako_engine", "simulate", "--store", str(tmp_path / "x.sqlite")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "not a PostgreSQL connection string" in r.stderr


def needs_runtime_stores(request: pytest.FixtureRequest, conninfo: str, schema: str,
                         raises: type = mk.InvalidInput) -> None:
    """The simulation, ingest and serve need the outbox, deadlines and registry in the store:
    PgStore provides them (RuntimeStoresProvider), and the engine on it must have taken them."""
    with mk.Engine.open(conninfo, schema=schema) as probe:
        provided = probe._core.runtime_stores()
    assert {"outbox", "deadlines", "registry", "inbox"} <= set(provided), provided


def test_market_simulation_on_postgres(request: pytest.FixtureRequest, pg_conninfo: str, pg_schema: str,
                                       tmp_path: Path) -> None:
    needs_runtime_stores(request, pg_conninfo, pg_schema + "_probe")
    url = pg_url(pg_conninfo)
    lite = market.simulate(tmp_path / "lite", customers=6, seed=3)
    report = market.simulate(tmp_path / "pg", customers=6, seed=3, store=url, schema_prefix=pg_schema)
    assert report["outcomes_match"], report["text"]
    assert report["actual_outcomes"] == lite["actual_outcomes"]
    assert report["lf"] == lite["lf"] and report["nb"] == lite["nb"]
    assert set(report["databases"]) == {"lf", "nb"}
    assert f"schema {pg_schema}_nb" in report["databases"]["nb"]
    with mk.Engine.open(url, schema=f"{pg_schema}_nb") as nb:  # what the NB did, read back from PostgreSQL
        assert market.summarize_history(nb) == lite["nb"]
        assert nb.processes()["workflow"].nunique() >= 1
    # The deadlines the workflows registered, and how they ended, read back from both stores: equal
    # apart from the process (and so stream) ids, which are random, and created_at (the wall clock).
    ids = ["stream_id", "process_id"]
    for party in ("lf", "nb"):
        with mk.Engine.open(lite["databases"][party]) as a, mk.Engine.open(url, schema=f"{pg_schema}_{party}") as b:
            reg_a, reg_b = deadlines.registered_deadlines(a), deadlines.registered_deadlines(b)
            assert len(reg_b) > 0 and reg_b["status"].notna().all()
            pd.testing.assert_frame_equal(reg_b.drop(columns=[*ids, "created_at"]), reg_a.drop(columns=[*ids, "created_at"]))
            # deadlines() orders equal due times by stream id: compare in an order without it.
            norm = lambda df: df.drop(columns=ids).sort_values(  # noqa: E731
                ["due", "kind", "step", "deadline", "done_at", "transaction_reference"], kind="stable").reset_index(drop=True)
            pd.testing.assert_frame_equal(norm(b.deadlines()), norm(a.deadlines()))
            # The registry too, with the time of each entry.
            keys_a, keys_b = mk.registry.registry(a), mk.registry.registry(b)
            assert len(keys_b) > 0 and keys_b["created_at"].notna().all()
            pd.testing.assert_frame_equal(keys_b.drop(columns=[*ids, "created_at"]), keys_a.drop(columns=[*ids, "created_at"]))
    # Two engine instances per participant, each with its own connections, sharing the work: the
    # same outcomes, histories and files as one instance on SQLite, nothing done twice.
    shared = market.simulate(tmp_path / "pg2", customers=6, seed=3, store=url, schema_prefix=pg_schema + "_k2",
                             instances=2)
    assert shared["outcomes_match"], shared["text"]
    assert shared["instances"] == 2 and len(shared["lf_instances"]) == len(shared["nb_instances"]) == 2
    assert shared["actual_outcomes"] == lite["actual_outcomes"]
    assert shared["lf"] == lite["lf"] and shared["nb"] == lite["nb"]
    assert shared["traffic"] == lite["traffic"]
    assert shared["lf_pipeline"] == lite["lf_pipeline"] and shared["nb_pipeline"] == lite["nb_pipeline"]
    for party in ("lf_instances", "nb_instances"):
        for key in ("deadlines_fired", "files_received", "messages_sent"):  # each once, whichever instance did it
            assert sum(w[key] for w in shared[party]) == lite[party][0][key], (party, key)
    assert "2 engine instances per participant" in shared["text"]
    r = subprocess.run([sys.executable, "-m", "mako_engine", "simulate", "--out", str(tmp_path / "cli2"), "--customers", "3",
                        "--store", url, "--schema-prefix", pg_schema + "_cli2", "--instances", "2"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "2 engine instances per participant" in r.stdout, r.stdout + r.stderr
    # A second run into the same schemas is refused: never mixed with an earlier run.
    with pytest.raises(mk.InvalidInput, match=r"holds events already \(up to position \d+\)"):
        market.simulate(tmp_path / "again", customers=2, seed=3, store=url, schema_prefix=pg_schema)
    r = subprocess.run([sys.executable, "-m", "mako_engine", "simulate", "--out", str(tmp_path / "cli"), "--store", url,
                        "--schema-prefix", pg_schema], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and f"schema {pg_schema}_lf holds" in r.stderr, r.stderr


def test_market_simulation_refuses_a_sqlite_store(tmp_path: Path) -> None:
    with pytest.raises(mk.InvalidInput, match="not a PostgreSQL connection string"):
        market.simulate(tmp_path, customers=1, store=str(tmp_path / "x.sqlite"))


def test_serve_takes_a_postgres_store(tmp_path: Path) -> None:
    from mako_engine import serve

    for folder in ("in", "out"):
        (tmp_path / folder).mkdir()
    row = {"name": "nb", "mp_ids": ["9900467000000"], "role": "nb", "inbound": "in", "outbound": "out"}
    url = f"postgresql://mako:s3cret@/mako?host={tmp_path}&port=1"  # no server there
    config: Any = serve.parse_config({"store": url, "participant": [row]}, base=tmp_path)
    assert config.store == url  # kept as given, not taken as a path
    assert config.participants[0].work_dir.parent == tmp_path / "mako-serve"
    with pytest.raises(serve.ConfigError, match="durability"):
        serve.parse_config({"store": url, "durability": "relaxed", "participant": [row]}, base=tmp_path)
    assert config.schema == "mako"  # the default
    assert serve.parse_config({"store": url, "schema": "nb_prod", "participant": [row]}, base=tmp_path).schema == "nb_prod"
    for bad in ("NB", "1nb", "nb-prod", "", 7):
        with pytest.raises(serve.ConfigError, match="schema"):
            serve.parse_config({"store": url, "schema": bad, "participant": [row]}, base=tmp_path)
    with pytest.raises(serve.ConfigError, match=r"schema.*applies to a PostgreSQL store"):
        serve.parse_config({"store": "nb.sqlite", "schema": "nb", "participant": [row]}, base=tmp_path)
    service = serve.Service(config)
    try:
        with pytest.raises(serve.ConfigError, match="cannot open") as e:
            service.start()
        assert "cannot connect" in str(e.value) and "s3cret" not in str(e.value)
    finally:
        service.close()


def test_cli_ingest_into_postgres(request: pytest.FixtureRequest, pg_conninfo: str, pg_schema: str, tmp_path: Path,
                                  capsys: pytest.CaptureFixture) -> None:
    from mako_engine import calendar as cal

    import utilmd_samples as samples

    nb, lfn = "9900467000000", "9904590000002"
    inbound = tmp_path / "inbound"
    inbound.mkdir()
    (inbound / "a.edi").write_bytes(samples.utilmd_file("55001", "VG1", malo="41373559241", day=dt.date(2026, 3, 25),
                                                        at=cal.berlin_time_on(dt.date(2026, 3, 16), 10), sender=lfn, receiver=nb,
                                                        interchange_reference="IC1"))
    url = pg_url(pg_conninfo)
    # Usage errors first (exit 2): no outbound folder next to a server, --schema on a file, no server.
    assert cli.main(["ingest", url, str(inbound), "--mp-id", nb, "--schema", pg_schema]) == 2
    assert "--outbound is required" in capsys.readouterr().err
    assert cli.main(["ingest", str(tmp_path / "nb.sqlite"), str(inbound), "--mp-id", nb, "--schema", pg_schema]) == 2
    assert "--schema applies to PostgreSQL" in capsys.readouterr().err
    assert cli.main(["ingest", f"postgresql://u@/mako?host={tmp_path}&port=1", str(inbound), "--mp-id", nb,
                     "--outbound", str(tmp_path / "out")]) == 2
    assert "cannot connect" in capsys.readouterr().err
    needs_runtime_stores(request, pg_conninfo, pg_schema + "_probe", raises=AssertionError)
    code = cli.main(["ingest", url, str(inbound), "--mp-id", nb, "--schema", pg_schema, "--outbound", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "1 files: accepted 1" in captured.out
    with mk.Engine.open(url, schema=pg_schema) as engine:
        assert len(engine.processes()) == 1


def test_serve_runs_a_round_on_postgres(request: pytest.FixtureRequest, pg_conninfo: str, pg_schema: str,
                                        tmp_path: Path) -> None:
    import uuid

    from mako_engine import calendar as cal
    from mako_engine import serve

    import utilmd_samples as samples

    nb, lfn = "9900467000000", "9904590000002"
    for folder in ("in", "out"):
        (tmp_path / folder).mkdir()
    reference = "VG" + uuid.uuid4().hex[:10]
    (tmp_path / "in" / "a.edi").write_bytes(samples.utilmd_file(
        "55001", reference, malo="41373559241", day=dt.date(2026, 3, 25), at=cal.berlin_time_on(dt.date(2026, 3, 16), 10),
        sender=lfn, receiver=nb, interchange_reference=uuid.uuid4().hex[:12].upper()))
    needs_runtime_stores(request, pg_conninfo, pg_schema, raises=mk.InvalidInput)
    row = {"name": "nb", "mp_ids": [nb], "role": "nb", "inbound": "in", "outbound": "out"}
    config = serve.parse_config({"store": pg_url(pg_conninfo), "schema": pg_schema, "http": {"enabled": False},
                                 "participant": [row]}, base=tmp_path)
    service = serve.Service(config)
    try:
        service.start()
        service.run_round()
        health = service.health()
    finally:
        service.close()
    assert health["status"] == "ok" and health["store"]["head_position"] > 0 and health["store"]["schema"] == pg_schema
    # The NB does not know the MaLo: CONTRL and the 55003 rejection go back to the LF, as on SQLite.
    answers = sorted(p.name.split("_")[4] for p in (tmp_path / "out").rglob("*.edi"))
    assert answers == ["CONTRL", "UTILMD55003"], answers
    with mk.Engine.open(pg_url(pg_conninfo), schema=pg_schema) as engine:  # the process is in the configured schema
        assert len(engine.processes(vorgangsnummer=reference)) == 1
    with mk.Engine.open(pg_url(pg_conninfo), schema="mako") as engine:  # not in the default one
        assert len(engine.processes(vorgangsnummer=reference)) == 0


def simulator() -> str:
    found = cli._find_simulator()
    if found is None:
        pytest.fail("the market_simulation executable is not built: `cmake --build build --target market_simulation` "
                    "(or set MAKO_MARKET_SIMULATION)", pytrace=False)
    return found


def test_market_simulation_executable_on_postgres(request: pytest.FixtureRequest, pg_conninfo: str, pg_schema: str,
                                                  tmp_path: Path) -> None:
    exe = simulator()
    needs_runtime_stores(request, pg_conninfo, pg_schema + "_probe", raises=AssertionError)
    r = subprocess.run([exe, "--out", str(tmp_path), "--customers", "4", "--store", pg_url(pg_conninfo),
                        "--schema-prefix", pg_schema], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PostgreSQL stores" in r.stdout and f"schema {pg_schema}_lf" in r.stdout
    assert "outcomes match the scenarios" in r.stdout
    shared = subprocess.run([exe, "--out", str(tmp_path / "k2"), "--customers", "4", "--store", pg_url(pg_conninfo),
                             "--schema-prefix", pg_schema + "_k2", "--instances", "2"], capture_output=True, text=True,
                            timeout=600)
    assert shared.returncode == 0, shared.stdout + shared.stderr
    assert "2 engine instances per participant" in shared.stdout and "outcomes match the scenarios" in shared.stdout
    again = subprocess.run([exe, "--out", str(tmp_path), "--customers", "4", "--store", pg_url(pg_conninfo),
                            "--schema-prefix", pg_schema], capture_output=True, text=True, timeout=600)
    assert again.returncode == 2 and "events already" in again.stderr, again.stderr


def test_market_simulation_executable_refuses_unusable_stores(tmp_path: Path) -> None:
    exe = simulator()
    r = subprocess.run([exe, "--out", str(tmp_path), "--customers", "1", "--store",
                        f"postgresql://mako:s3cret@/mako?host={tmp_path}&port=1"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "cannot connect" in r.stderr and "s3cret" not in r.stdout + r.stderr
    r = subprocess.run([exe, "--out", str(tmp_path), "--store", str(tmp_path / "x.sqlite")], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 2 and "not a PostgreSQL connection string" in r.stderr
    # Several instances per participant share its store: PostgreSQL only, one instant per unit.
    r = subprocess.run([exe, "--out", str(tmp_path), "--instances", "2"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "--instances 2 needs --store postgresql://" in r.stderr, r.stderr
    r = subprocess.run([exe, "--out", str(tmp_path), "--instances", "2", "--instants-per-unit", "8", "--store",
                        f"postgresql://u@/mako?host={tmp_path}&port=1"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "needs --instants-per-unit 1" in r.stderr, r.stderr
    r = subprocess.run([exe, "--out", str(tmp_path), "--instances", "0"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "--instances K" in r.stderr, r.stderr
    assert not (tmp_path / "lf.sqlite").exists()
