"""The mako-engine command line: subcommands, messages and exit codes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mako_engine as mk
from mako_engine import _synthetic, cli


@pytest.fixture(scope="module")
def gpke(tmp_path_factory: pytest.TempPathFactory) -> _synthetic.SyntheticHistory:
    return _synthetic.write_gpke_history(tmp_path_factory.mktemp("cli") / "nb.sqlite", processes=30, seed=5)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mako_engine", *args], capture_output=True, text=True, timeout=120)


def test_help_lists_every_command() -> None:
    r = run("--help")
    assert r.returncode == 0
    for command in ("processes", "history", "export", "deadlines", "simulate", "ingest"):
        assert command in r.stdout
    r = run("export", "--help")
    assert r.returncode == 0 and "--format" in r.stdout and "--out" in r.stdout


def test_usage_errors_exit_2() -> None:
    r = run()
    assert r.returncode == 2 and "COMMAND" in r.stderr
    r = run("export", "x.sqlite")  # --out missing
    assert r.returncode == 2 and "--out" in r.stderr


def test_processes(gpke: _synthetic.SyntheticHistory, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["processes", gpke.path, "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert all(p in out for p in gpke.processes)
    assert cli.main(["processes", gpke.path, "--count"]) == 0
    out = capsys.readouterr().out
    assert "confirmed" in out and str(len(gpke.confirmed)) in out
    assert cli.main(["processes", gpke.path, "--status", "rejected", "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert sum(p in out for p in gpke.processes) == len(gpke.rejected)
    assert cli.main(["processes", gpke.path, "--workflow", "nope"]) == 0
    assert "(none)" in capsys.readouterr().out


def test_history(gpke: _synthetic.SyntheticHistory, capsys: pytest.CaptureFixture) -> None:
    pid = gpke.rejected[0]
    assert cli.main(["history", gpke.path, pid, "--payload"]) == 0
    out = capsys.readouterr().out
    assert pid in out and "Send55003" in out and "status rejected" in out
    assert "4 events" in out
    assert cli.main(["history", gpke.path, str(mk.ProcessId.generate())]) == 1
    assert "no process" in capsys.readouterr().err


def test_deadlines(gpke: _synthetic.SyntheticHistory, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["deadlines", gpke.path, "--missed", "--limit", "0"]) == 0
    captured = capsys.readouterr()
    missed = gpke.late_55002 + gpke.unanswered
    assert all(p in captured.out for p in missed)
    assert f"{len(missed)} missed" in captured.err
    assert cli.main(["deadlines", gpke.path, "--missed", "--step", "Send55002", "--month", "2026-03", "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert "Send55002" in out and "answer-55002" not in out
    march = [p for p in gpke.late_55002 if pd.Timestamp(gpke.due_55002[p], unit="ns").month == 3]
    assert sum(p in out for p in gpke.late_55002) == len(march)


def test_export_csv_and_parquet(gpke: _synthetic.SyntheticHistory, tmp_path: Path) -> None:
    csv = tmp_path / "events.csv"
    r = run("export", gpke.path, "--format", "csv", "--out", str(csv), "--event-type", "MessageSent")
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(csv)
    assert set(df["event_type"]) == {"MessageSent"} and f"wrote {len(df)} rows" in r.stderr
    pq = tmp_path / "log.parquet"
    r = run("export", gpke.path, "--out", str(pq), "--shape", "process-mining", "--since", "2026-03-01")
    assert r.returncode == 0, r.stderr
    log = pd.read_parquet(pq)
    assert list(log.columns[:5]) == ["case_id", "activity", "timestamp", "resource", "lifecycle"]
    r = run("export", gpke.path, "--out", str(tmp_path / "x.txt"))
    assert r.returncode == 2 and "csv or parquet" in r.stderr
    r = run("export", gpke.path, "--format", "csv", "--out", str(tmp_path / "no" / "dir" / "x.csv"))
    assert r.returncode == 2 and "no such directory" in r.stderr


def test_clear_errors_for_bad_databases(tmp_path: Path) -> None:
    r = run("processes", str(tmp_path / "missing.sqlite"))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "missing.sqlite").exists()
    text = tmp_path / "notes.sqlite"
    text.write_text("hello " * 500)
    r = run("deadlines", str(text))
    assert r.returncode == 2 and "not a mako database" in r.stderr and "Traceback" not in r.stderr
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    r = run("history", str(other), "abc")
    assert r.returncode == 2 and "not a mako-engine database" in r.stderr
    newer = tmp_path / "newer.sqlite"
    mk.Engine.open(newer).spawn("lifecycle").execute({"type": "Register", "data": {"name": "x"}})
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 7")
    con.commit()
    con.close()
    r = run("processes", str(newer))
    assert r.returncode == 2 and "newer schema" in r.stderr and "7" in r.stderr
    r = run("processes", str(tmp_path))
    assert r.returncode == 2 and "directory" in r.stderr


def test_simulate_without_simulator_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(cli, "_find_simulator", lambda: None)
    assert cli.main(["simulate", "--executable", "--out", str(tmp_path / "sim")]) == 2
    assert "no market simulation available" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(getattr(mk, "market", None), "simulate"), reason="no market simulation binding")
def test_simulate_then_explore(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "sim"
    assert cli.main(["simulate", "--out", str(out), "--customers", "20", "--seed", "3"]) == 0
    capsys.readouterr()
    nb = out / "nb.sqlite"
    assert nb.exists()
    assert cli.main(["processes", str(nb), "--count"]) == 0
    assert "gpke.lieferbeginn.nb" in capsys.readouterr().out
    # the NB's received Anmeldungen, ingested again into a fresh database through the inbound pipeline
    inbound = tmp_path / "inbound"
    inbound.mkdir()
    files = sorted((out / "exchange" / "nb").glob("*/processed/*UTILMD55001*"))
    assert files
    for f in files:
        (inbound / f.name).write_bytes(f.read_bytes())
    receiver = files[0].name.split("_")[3]
    fresh = tmp_path / "fresh.sqlite"
    assert cli.main(["ingest", str(fresh), str(inbound), "--mp-id", receiver, "--role", "nb"]) == 0
    assert f"{len(files)} files: accepted {len(files)}" in capsys.readouterr().out
    assert len(mk.history.processes(fresh)) == len(files)


def test_ingest_errors(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["ingest", str(tmp_path / "db.sqlite"), str(tmp_path / "nope"), "--mp-id", "9900467000000"]) == 2
    assert "no such directory" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert cli.main(["ingest", str(tmp_path / "db.sqlite"), str(tmp_path / "empty"), "--mp-id", "9900467000000"]) == 1
    assert "no files" in capsys.readouterr().err


def test_progress_bar_on_stderr(capsys: pytest.CaptureFixture) -> None:
    assert list(cli.progress(range(5), total=5, desc="x", enabled=True)) == [0, 1, 2, 3, 4]
    assert list(cli.progress(iter("ab"), enabled=False)) == ["a", "b"]
    assert capsys.readouterr().out == ""


def test_simulate_with_group_commit(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "sim"
    assert cli.main(["simulate", "--out", str(out), "--customers", "12", "--seed", "5", "--instants-per-unit", "4"]) == 0
    assert "units of work per engine" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["simulate", "--out", str(out), "--instants-per-unit", "0"])
    assert exit_info.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_export_never_writes_over_a_database(gpke: _synthetic.SyntheticHistory, tmp_path: Path) -> None:
    db = tmp_path / "copy.sqlite"
    db.write_bytes(Path(gpke.path).read_bytes())
    before = db.read_bytes()
    for extra in ([], ["--force"]):
        r = run("export", str(db), "--format", "csv", "--out", str(db), *extra)
        assert r.returncode == 2 and "is a mako database" in r.stderr and "Traceback" not in r.stderr
        assert db.read_bytes() == before
    r = run("export", gpke.path, "--format", "csv", "--out", str(db), "--force")  # another mako database
    assert r.returncode == 2 and db.read_bytes() == before
    notes = tmp_path / "notes.csv"
    notes.write_text("keep me")
    r = run("export", gpke.path, "--out", str(notes))
    assert r.returncode == 2 and "--force" in r.stderr and notes.read_text() == "keep me"
    r = run("export", gpke.path, "--out", str(notes), "--force")
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(notes)) > 0 and not list(tmp_path.glob(".*.tmp"))


def test_csv_timestamps_are_rfc_3339(gpke: _synthetic.SyntheticHistory, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert cli.main(["export", gpke.path, "--out", str(out), "--event-type", "MessageSent"]) == 0
    stamps = pd.read_csv(out, dtype=str)["timestamp"]
    assert stamps.str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00").all(), stamps.head()
    log = tmp_path / "log.csv"
    mk.to_process_mining(gpke.path, log)
    assert pd.read_csv(log, dtype=str)["timestamp"].str.endswith("+00:00").all()


@pytest.mark.parametrize("args, option", [
    (["processes", "DB", "--since", "yesterday"], "--since"),
    (["processes", "DB", "--until", "2026-02-30"], "--until"),
    (["deadlines", "DB", "--month", "2026-13"], "--month"),
    (["deadlines", "DB", "--pid", "5500"], "--pid"),
    (["processes", "DB", "--limit", "-1"], "--limit"),
    (["processes", "DB", "--tenant", "x"], "--tenant"),
    (["simulate", "--customers", "-5"], "--customers"),
    (["simulate", "--seed", "-1"], "--seed"),
    (["simulate", "--customers", "many"], "--customers"),
])
def test_bad_option_values_exit_2_with_one_line(gpke: _synthetic.SyntheticHistory, args: list, option: str) -> None:
    r = run(*[gpke.path if a == "DB" else a for a in args])
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and option in lines[0] and "Traceback" not in r.stderr, r.stderr


def test_month_with_since_is_a_usage_error(gpke: _synthetic.SyntheticHistory, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["deadlines", gpke.path, "--month", "2026-03", "--since", "2026-03-01"]) == 2
    assert "--month" in capsys.readouterr().err


def test_simulate_refuses_bad_counts_in_python_too(tmp_path: Path) -> None:
    for kwargs in ({"customers": -5}, {"customers": 0}, {"seed": -1}, {"instants_per_unit": 0}):
        with pytest.raises(mk.InvalidInput, match=next(iter(kwargs))):
            mk.market.simulate(tmp_path / "sim", **kwargs)
    assert not (tmp_path / "sim").exists()


def test_simulate_refuses_instances_without_a_postgres_store(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # Several instances share one participant's store: SQLite files are one engine's each.
    assert cli.main(["simulate", "--out", str(tmp_path / "sim"), "--instances", "2"]) == 2
    assert "--instances 2 needs --store postgresql://" in capsys.readouterr().err
    url = f"postgresql://u@/mako?host={tmp_path}&port=1"  # not contacted: refused before
    assert cli.main(["simulate", "--out", str(tmp_path / "sim"), "--instances", "2", "--store", url,
                     "--instants-per-unit", "4"]) == 2
    assert "needs --instants-per-unit 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["simulate", "--out", str(tmp_path / "sim"), "--instances", "0"])
    assert exit_info.value.code == 2 and "at least 1" in capsys.readouterr().err
    with pytest.raises(mk.InvalidInput, match="instances=2 needs a PostgreSQL store"):
        mk.market.simulate(tmp_path / "sim", customers=1, instances=2)
    with pytest.raises(mk.InvalidInput, match="instances"):
        mk.market.simulate(tmp_path / "sim", customers=1, instances=0)
    assert not (tmp_path / "sim").exists()
