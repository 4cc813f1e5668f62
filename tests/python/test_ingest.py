"""``mako-engine ingest`` and ``market.ingest``: answers land in the outbound folder, rejected files
are named with their reason (exit 1), a bad MP-ID is a usage error, and a run that ingests nothing
leaves no database behind."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

import pytest

import mako_engine as mk
from mako_engine import calendar as cal
from mako_engine import cli, edifact, market

import utilmd_samples as samples

NB, LFN = "9900467000000", "9904590000002"
MALO = "41373559241"
MONDAY_10 = cal.berlin_time_on(dt.date(2026, 3, 16), 10)


def anmeldung(reference: str, interchange: str, pid: str = "55001") -> bytes:
    return samples.utilmd_file(pid, reference, malo=MALO, day=dt.date(2026, 3, 25), at=MONDAY_10, sender=LFN, receiver=NB,
                               interchange_reference=interchange)


def kinds(folder: Path) -> list:
    return sorted(p.name.split("_")[4] for p in folder.glob("*.edi"))


@pytest.fixture
def inbound(tmp_path: Path) -> Path:
    folder = tmp_path / "inbound"
    folder.mkdir()
    (folder / "a.edi").write_bytes(anmeldung("VG1", "IC1"))
    return folder


def test_ingest_writes_every_answer_into_the_outbound_folder(tmp_path: Path, inbound: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "nb.sqlite"
    assert cli.main(["ingest", str(db), str(inbound), "--mp-id", NB]) == 0
    out = capsys.readouterr().out
    outbound = tmp_path / "nb-outbound"  # the default: next to the database
    assert "1 files: accepted 1" in out and f"2 answers written to {outbound}" in out
    # The NB does not know the MaLo: CONTRL (syntax ok) and the 55003 rejection go back to the LF.
    assert kinds(outbound / LFN / "outbox") == ["CONTRL", "UTILMD55003"]
    assert not list(outbound.rglob("*.tmp"))
    answer = next((outbound / LFN / "outbox").glob("*UTILMD55003*")).read_bytes()
    (t,) = edifact.read_utilmd(edifact.parse(answer).messages[0]).transactions
    assert (t.pid, t.referenced_transaction) == ("55003", "VG1")
    assert len(mk.history.processes(db)) == 1
    # Delivered, so a second run (the same file: a duplicate) sends nothing again but its CONTRL.
    assert cli.main(["ingest", str(db), str(inbound), "--mp-id", NB]) == 0
    out = capsys.readouterr().out
    assert "duplicate 1" in out and "1 answers written" in out
    assert kinds(outbound / LFN / "outbox").count("UTILMD55003") == 1


def test_ingest_to_a_chosen_outbound_folder_through_the_python_api(tmp_path: Path, inbound: Path) -> None:
    report = market.ingest(tmp_path / "nb.sqlite", inbound, NB, outbound=tmp_path / "out")
    assert (report["files"], report["accepted"], report["rejected"], report["answers_written"]) == (1, 1, [], 2)
    assert report["database"] == str(tmp_path / "nb.sqlite") and report["outbound"] == str(tmp_path / "out")
    assert kinds(tmp_path / "out" / LFN / "outbox") == ["CONTRL", "UTILMD55003"]


def test_rejected_files_are_named_with_their_reason_and_exit_1(tmp_path: Path, inbound: Path, capsys: pytest.CaptureFixture) -> None:
    (inbound / "broken.edi").write_bytes(anmeldung("VG2", "IC2").replace(b"UNT+22+", b"UNT+9+"))
    (inbound / "unknown-pid.edi").write_bytes(anmeldung("VG3", "IC3", pid="55016"))
    db = tmp_path / "nb.sqlite"
    assert cli.main(["ingest", str(db), str(inbound), "--mp-id", NB]) == 1
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.startswith("rejected ")]
    assert len(lines) == 2
    assert "broken.edi" in lines[0] and "CONTRL 4" in lines[0] and "UNT" in lines[0]
    assert "unknown-pid.edi" in lines[1] and "dead_lettered" in lines[1] and "55016" in lines[1]
    assert "3 files: accepted 2, syntax rejected 1" in captured.out
    assert db.exists()  # the good file was ingested
    # the broken file's CONTRL 4 and the unknown PID's APERAK reached the LF too
    assert kinds(tmp_path / "nb-outbound" / LFN / "outbox") == ["APERAK", "CONTRL", "CONTRL", "CONTRL", "UTILMD55003"]


def test_nothing_ingested_creates_no_database(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.edi").write_bytes(b"this is not EDIFACT")
    db = tmp_path / "nb.sqlite"
    assert cli.main(["ingest", str(db), str(folder), "--mp-id", NB]) == 1
    err = capsys.readouterr().err
    assert "rejected" in err and "x.edi" in err and "no database created" in err
    assert not db.exists() and not list(tmp_path.glob("nb.sqlite*"))
    report = market.ingest(db, folder, NB)
    assert report["database"] is None and len(report["rejected"]) == 1 and not db.exists()
    # closed before it was removed: this process holds no descriptor of it any more
    fds = Path("/proc/self/fd")
    if fds.is_dir():
        held = []
        for fd in os.listdir(fds):
            with contextlib.suppress(OSError):  # the descriptor listdir itself used
                held.append(os.readlink(fds / fd))
        assert not [h for h in held if h.startswith(str(db))]


def test_an_invalid_mp_id_is_a_usage_error(tmp_path: Path, inbound: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "nb.sqlite"
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["ingest", str(db), str(inbound), "--mp-id", "9900467000001"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--mp-id" in err and "check digit" in err and len(err.strip().splitlines()) == 1
    assert not db.exists()
    with pytest.raises(mk.InvalidInput, match="check digit"):
        market.ingest(db, inbound, "9900467000001")
    with pytest.raises(mk.InvalidInput, match="check digit"):
        market.Participant(mk.Engine.in_memory(), "9900467000001", role="nb")
    assert not db.exists()


def test_a_file_whose_answer_cannot_be_written_is_not_ingested(tmp_path: Path, inbound: Path, capsys: pytest.CaptureFixture) -> None:
    """Something in the way of the recipient's outbox folder: the CONTRL (written while receiving)
    fails, so the file's unit of work rolls back; the file is reported and counts as not received."""
    outbound = tmp_path / "out"
    outbound.mkdir()
    (outbound / LFN).write_text("in the way")
    db = tmp_path / "nb.sqlite"
    assert cli.main(["ingest", str(db), str(inbound), "--mp-id", NB, "--outbound", str(outbound)]) == 1
    err = capsys.readouterr().err
    assert "rejected" in err and "a.edi" in err
    assert not db.exists()  # nothing was ingested
