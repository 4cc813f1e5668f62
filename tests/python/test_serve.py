"""``mako-engine serve`` with real processes, real folders and real signals.

The tests act as the AS4 gateways: they write files into a service's inbound folder (temporary name,
then rename) and take the answers from its outbound folder. Nothing here depends on timing: every
wait is for a condition (a file, a log line, a process exit) with a generous timeout."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable, Dict, List, Optional

import pytest
from prometheus_client.parser import text_string_to_metric_families

import mako_engine as mk
from mako_engine import calendar as cal
from mako_engine import edifact, gpke, history
from mako_engine.identifiers import MaloId

import utilmd_samples as samples

NB, LF, LFA = "9900467000000", "9904590000002", "9910960000001"
TESTS = Path(__file__).resolve().parent
TIMEOUT = 60.0


# --- helpers -------------------------------------------------------------------------------------

def wait_for(condition: Callable[[], object], what: str, timeout: float = TIMEOUT) -> object:
    """Polls ``condition`` until it is truthy (returns its value) or fails after ``timeout`` s."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def malo(n: int) -> str:
    """The n-th valid MaLo-ID (11 digits, BDEW check digit)."""
    base = f"5{n:09d}"
    for d in "0123456789":
        if MaloId.why_invalid(base + d) is None:
            return base + d
    raise AssertionError(base)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def anmeldung(n: int, *, start: Optional[dt.date] = None) -> bytes:
    """The LF's 55001 for malo(n), Vorgang VG<n>, interchange IC<n>."""
    start = start or dt.date.today() + dt.timedelta(days=40)
    return samples.utilmd_file("55001", f"VG{n}", malo=malo(n), day=start, at=now_utc(), sender=LF, receiver=NB,
                               interchange_reference=f"IC{n}")


def drop(folder: Path, name: str, data: bytes) -> None:
    """What a gateway does: write under a temporary name, then rename into the folder."""
    tmp = folder / f".{name}.part"
    tmp.write_bytes(data)
    os.replace(tmp, folder / name)


class Party:
    """One service's files: store, config, gateway folders, log."""

    def __init__(self, root: Path, name: str, mp_id: str, role: str, malos: int = 0, extra: str = "") -> None:
        self.root = root / name
        self.name = name
        self.inbound, self.outbound = self.root / "gw-in", self.root / "gw-out"
        for p in (self.inbound, self.outbound):
            p.mkdir(parents=True)
        self.store = self.root / f"{name}.sqlite"
        self.log = self.root / "serve.log"
        self.work = self.root / "work"
        master = ""
        if role == "nb":
            (self.root / "malos.csv").write_text("malo\n" + "".join(f"{malo(i)}\n" for i in range(malos)))
            master = 'master_data = "malos.csv"\n'
        self.config = self.root / "serve.toml"
        self.config.write_text(f"""store = "{self.store.name}"
poll_interval = 0.5
log_file = "serve.log"
[http]
listen = "127.0.0.1:0"
[[participant]]
name = "{name}"
mp_ids = ["{mp_id}"]
role = "{role}"
{master}inbound = "gw-in"
outbound = "gw-out"
work_dir = "work"
{extra}""")
        self.proc: Optional[subprocess.Popen] = None

    @property
    def processed(self) -> Path:
        return self.work / "processed"

    @property
    def rejected(self) -> Path:
        return self.work / "rejected"

    def start(self) -> subprocess.Popen:
        paths = [str(TESTS), *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
        self.stderr = open(self.root / "stderr.txt", "ab")  # noqa: SIM115 - kept open for the process's life
        self.proc = subprocess.Popen([sys.executable, "-m", "mako_engine", "serve", "--config", str(self.config)],
                                     stdout=self.stderr, stderr=self.stderr, env=env)
        return self.proc

    def started(self) -> int:
        """Waits for this run's "started" line; returns the number of started lines."""
        assert self.proc is not None
        pid = self.proc.pid
        wait_for(lambda: any(r["msg"] == "started" and r["os_pid"] == pid for r in self.records()) or self.proc.poll() is not None,
                 f"{self.name} to start")
        assert self.proc.poll() is None, (self.root / "stderr.txt").read_text()
        return pid

    def address(self) -> str:
        pid = self.started()
        return [r for r in self.records() if r["msg"] == "started" and r["os_pid"] == pid][-1]["listen"]

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Sends ``sig`` once the service runs (its handlers are in place) and returns the exit code."""
        assert self.proc is not None
        self.started()
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=TIMEOUT)
        self.stderr.close()
        self.proc = None
        return code

    def records(self) -> List[Dict]:
        if not self.log.exists():
            return []
        out = []
        for line in self.log.read_text().splitlines():
            with contextlib.suppress(ValueError):  # a line being written, or cut by a kill -9
                out.append(json.loads(line))
        return out

    def outbound_kinds(self) -> List[str]:
        return sorted(p.name.split("_")[4] for p in self.outbound.glob("*.edi"))


def referenced_vorgang(path: Path) -> str:
    """The Vorgangsnummer an NB's UTILMD answer refers to (RFF+TN)."""
    (t,) = edifact.read_utilmd(edifact.parse(path.read_bytes()).messages[0]).transactions
    return t.referenced_transaction or ""


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mako_engine", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def nb(tmp_path: Path):
    party = Party(tmp_path, "nb", NB, "nb", malos=60)
    yield party
    if party.proc is not None:
        party.proc.kill()
        party.proc.wait()


# --- configuration errors --------------------------------------------------------------------------

def _config_error(tmp_path: Path, text: str) -> str:
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "out").mkdir(exist_ok=True)
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    r = run_cli("serve", "--config", str(cfg))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    return r.stderr


GOOD = """store = "s.sqlite"
[[participant]]
name = "nb"
mp_ids = ["9900467000000"]
role = "nb"
inbound = "in"
outbound = "out"
"""


@pytest.mark.parametrize("text, key", [
    ("store = [unclosed", "config: malformed TOML"),
    ("colour = 'blue'\n" + GOOD, ": colour: unknown key"),
    (GOOD.replace('role = "nb"', 'role = "nb"\nmp_idz = 1'), "participant[0].mp_idz: unknown key"),
    (GOOD.replace('"in"', '"missing-folder"'), "participant[0].inbound: no such folder"),
    (GOOD.replace("9900467000000", "9900467000001"), "participant[0].mp_ids: '9900467000001'"),
    (GOOD.replace('role = "nb"', 'role = "msb"'), "participant[0].role: must be 'lf' or 'nb'"),
    (GOOD.replace('store = "s.sqlite"', ''), ": store: missing"),
    ("poll_interval = -1\n" + GOOD, ": poll_interval: must be a number"),
    ('store = "s.sqlite"\n', "participant: missing"),
    ("watch = 'fanotify'\n" + GOOD, ": watch: must be 'auto', 'inotify' or 'poll'"),
    (GOOD + '[[participant.route]]\npid = "55099"\nworkflow = "no_such_module:X"\n', "participant[0].route[0].workflow: cannot import"),
    (GOOD.replace('inbound = "in"', 'inbound = "in"\nmaster_data = "nope.csv"'), "participant[0].master_data: no such file"),
    ("max_receipt_attempts = 0\n" + GOOD, ": max_receipt_attempts: must be a whole number"),
    (GOOD + "[test]\ntime_scale = 100\n", "test.clock_origin: missing"),
    (GOOD + "[test]\ntime_scale = 0\nclock_origin = 2026-01-01T00:00:00Z\n", "test.time_scale: must be a number"),
    (GOOD + "[test]\ntime_scale = 10\nclock_origin = 2026-01-01T00:00:00\n", "test.clock_origin: must be an instant with its offset"),
])
def test_a_bad_config_is_refused_at_start_with_the_key_named(tmp_path: Path, text: str, key: str) -> None:
    assert key in _config_error(tmp_path, text)


def test_an_unwritable_folder_is_refused(tmp_path: Path) -> None:
    # A read-only file system refuses root too; a mode without write bits refuses everyone else.
    if os.geteuid() == 0:
        mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()
                  if "ro" in line.split()[3].split(",")]
        ro = next((Path(m) for m in ["/proc/sys", *mounts] if Path(m).is_dir() and not os.access(m, os.W_OK)), None)
        assert ro is not None, "running as root, this test needs a read-only mounted folder (e.g. /proc/sys in a container)"
        text = GOOD.replace('outbound = "out"', f'outbound = "{ro}"')
    else:
        (tmp_path / "out").mkdir()
        (tmp_path / "out").chmod(0o500)
        text = GOOD
    assert "participant[0].outbound: folder is not readable and writable" in _config_error(tmp_path, text)


def test_a_store_of_a_newer_schema_or_in_use_is_refused(tmp_path: Path, nb: Party) -> None:
    import sqlite3

    newer = tmp_path / "s.sqlite"
    mk.Engine.open(newer).close()
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    assert "store: " in _config_error(tmp_path, GOOD) and "newer" in _config_error(tmp_path, GOOD)

    nb.start()
    nb.started()
    second = run_cli("serve", "--config", str(nb.config))
    assert second.returncode == 2 and "store: " in second.stderr and "in use by another mako-engine serve" in second.stderr
    assert nb.stop() == 0


def test_a_store_locked_by_another_program_is_refused_at_start_and_left_intact(nb: Party) -> None:
    """Another program holds the store's write lock (an open BEGIN EXCLUSIVE): serve waits its busy
    timeout, then exits 2 naming the store -- no hang, no round failing forever -- and once the
    lock is gone it starts on the same store with nothing lost."""
    with mk.Engine.open(nb.store) as engine:
        engine.spawn("lifecycle").execute({"type": "Register", "data": {"name": "before"}})
    holder = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys\n"
                               f"c = sqlite3.connect({str(nb.store)!r}, isolation_level=None)\n"
                               "c.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\nsys.stdin.read()\nc.rollback()\n"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        r = run_cli("serve", "--config", str(nb.config))
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=TIMEOUT)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "store: " in r.stderr and "is locked by another program" in r.stderr
    drop(nb.inbound, "one.edi", anmeldung(1))
    nb.start()
    wait_for(lambda: nb.outbound_kinds() == ["CONTRL", "UTILMD55002"], "the answers once the lock is gone")
    assert nb.stop() == 0
    assert len(history.processes(nb.store, workflow="lifecycle")) == 1  # what was there before is still there
    assert len(history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)) == 1


def test_check_accepts_a_good_config(tmp_path: Path, nb: Party) -> None:
    r = run_cli("serve", "--config", str(nb.config), "--check")
    assert r.returncode == 0 and "ok (1 participant" in r.stdout


# --- two services exchange a switch through folders --------------------------------------------------

def test_lf_and_nb_services_exchange_a_supplier_switch_through_their_gateway_folders(tmp_path: Path) -> None:
    lf = Party(tmp_path, "lf", LF, "lf")
    nb = Party(tmp_path, "nb", NB, "nb", malos=1)
    # The LF's back office starts the switch: a gpke.lieferbeginn.lfn process whose 55001 waits in
    # the LF store's outbox until the service sends it.
    start = dt.date.today() + dt.timedelta(days=40)
    with mk.Engine.open(lf.store) as engine:
        p = engine.spawn(gpke.LIEFERBEGINN_LFN, tenant=mk.TenantId.from_party_id(LF))
        p.execute(gpke.start_switch(malo=malo(0), start=start, nb=NB, lfn=LF, sent_at=now_utc(), customer=samples.CUSTOMER,
                                    product_code="9991000002082", transaction_reference="VG-SWITCH"))
        process_id = str(p.identity().process_id)
    try:
        lf.start(), nb.start()

        def gateways() -> None:  # both gateways: each side's outbound goes to the other's inbound
            for src, dst in ((lf, nb), (nb, lf)):
                for f in sorted(src.outbound.glob("*.edi")):
                    drop(dst.inbound, f.name, f.read_bytes())
                    f.unlink()

        def confirmed() -> bool:
            gateways()
            events = history.events(lf.store, process=process_id)
            return "NbConfirmed" in set(events["event_type"]) and \
                any(p.name.split("_")[4] == "CONTRL" for p in nb.processed.glob("*.edi"))

        wait_for(confirmed, "the LF to receive the NB's 55002 and the NB the LF's CONTRL")
        assert lf.stop() == 0 and nb.stop() == 0
    finally:
        for party in (lf, nb):
            if party.proc is not None:
                party.proc.kill()
    lf_got = sorted(p.name.split("_")[4] for p in lf.processed.glob("*.edi"))
    nb_got = sorted(p.name.split("_")[4] for p in nb.processed.glob("*.edi"))
    assert lf_got == ["CONTRL", "UTILMD55002"]  # the NB's acknowledgement and its confirmation
    assert nb_got == ["CONTRL", "UTILMD55001"]  # the LF's Anmeldung and its acknowledgement of the 55002
    assert list(lf.rejected.iterdir()) == [] and list(nb.rejected.iterdir()) == []
    assert list(history.processes(lf.store)["status"]) == ["confirmed"]
    nb_process = history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)
    assert list(nb_process["status"]) == ["confirmed"]
    # The log names the process, the PID and the Vorgangsnummer of what was received.
    executed = [r for r in nb.records() if r["msg"] == "transaction executed"]
    assert [(r["pid"], r["vorgangsnummer"]) for r in executed] == [("55001", "VG-SWITCH")]
    assert executed[0]["process_id"] == str(nb_process["process_id"].iloc[0])


def test_a_gpke_deadline_fires_on_a_test_clock_in_two_services_exchanging_an_lfw24_switch(tmp_path: Path) -> None:
    """An LFW24 switch with an old supplier who stays silent: the NB's LFA answer window (09:00 of
    the 1st WT after the ÜT, the GPKE rule on the BDEW calendar) closes in the NB service and
    counts as consent. Both services run on a [test] clock (12 participant hours per wall second),
    so the window -- a day or more away in GPKE time -- closes within seconds, through the
    production code: scheduler, rule, calendar and workflow are the same."""
    origin = now_utc()
    scale = 43200
    clock = f"[test]\ntime_scale = {scale}\nclock_origin = \"{origin.isoformat()}\"\n"
    lf = Party(tmp_path, "lf", LF, "lf", extra=clock)
    lf.config.write_text(lf.config.read_text().replace(f'mp_ids = ["{LF}"]', f'mp_ids = ["{LF}", "{LFA}"]'))
    nb = Party(tmp_path, "nb", NB, "nb", extra=clock)
    (nb.root / "malos.csv").write_text(f"malo,supplier,since\n{malo(0)},{LFA},2025-01-01\n")
    participant_now = origin + (dt.datetime.now(dt.timezone.utc) - origin) * scale
    with mk.Engine.open(lf.store) as engine:
        p = engine.spawn(gpke.LIEFERBEGINN_LFN, tenant=mk.TenantId.from_party_id(LF))
        p.execute(gpke.start_switch(malo=malo(0), start=participant_now.date() + dt.timedelta(days=40), nb=NB, lfn=LF,
                                    sent_at=participant_now.replace(microsecond=0), customer=samples.CUSTOMER,
                                    product_code="9991000002082", transaction_reference="VG-LFW24"))
        lfn_process = str(p.identity().process_id)
    try:
        lf.start(), nb.start()
        lf.started(), nb.started()  # each has opened (created) its store

        def gateways() -> None:
            for src, dst in ((lf, nb), (nb, lf)):
                for f in sorted(src.outbound.glob("*.edi")):
                    drop(dst.inbound, f.name, f.read_bytes())
                    f.unlink()

        def event_types(store: Path, workflow: str) -> List[str]:
            procs = history.processes(store, workflow=workflow)
            if len(procs) != 1:
                return []
            return list(history.events(store, process=str(procs["process_id"].iloc[0]))["event_type"])

        def switched() -> bool:
            gateways()
            nb_events = event_types(nb.store, gpke.LIEFERBEGINN_NB)
            lfn_events = list(history.events(lf.store, process=lfn_process)["event_type"])
            return "AnmeldungConfirmed" in nb_events and "NbConfirmed" in lfn_events and \
                any("_UTILMD55037_" in f.name for f in lf.processed.iterdir()) and \
                len(list(nb.processed.glob("*_CONTRL_*"))) >= 4  # the LF's CONTRL for 55036, 55010, 55002, 55037

        wait_for(switched, "the LFA's silence to count as consent and the switch to be confirmed")
        assert lf.stop() == 0 and nb.stop() == 0
    finally:
        for party in (lf, nb):
            if party.proc is not None:
                party.proc.kill()
    nb_events = event_types(nb.store, gpke.LIEFERBEGINN_NB)
    # The window closed by its deadline (no 55011/55012 came): the GPKE rule fired in the service.
    assert "LfaAnswerWindowClosed" in nb_events and "LfaAnswerReceived" not in nb_events
    assert nb_events.index("LfaAnswerWindowClosed") < nb_events.index("AnmeldungConfirmed")
    assert list(history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)["status"]) == ["confirmed"]
    assert any(r["msg"] == "deadlines fired" for r in nb.records())
    assert any(r["msg"].startswith("test clock") and r["time_scale"] == scale for r in nb.records())
    lf_kinds = sorted(p.name.split("_")[4] for p in lf.processed.glob("*.edi"))
    assert lf_kinds == ["CONTRL", "UTILMD55002", "UTILMD55010", "UTILMD55036", "UTILMD55037"]
    assert list(nb.rejected.iterdir()) == [] and list(lf.rejected.iterdir()) == []
    # The window is the GPKE rule on the BDEW calendar, counted from the ÜT in participant time
    # (days after the wall clock's today), and it fired at its due instant.
    events = history.events(nb.store, workflow=gpke.LIEFERBEGINN_NB)
    payload = {t: json.loads(p)["data"] for t, p in zip(events["event_type"], events["payload"])}
    received = dt.datetime.fromisoformat(payload["AnmeldungReceived"]["received_at"].replace("Z", "+00:00"))
    closed = payload["LfaAnswerWindowClosed"]
    due = cal.DeadlineRule.at_time_on_nth_working_day(1, 9).evaluate(received)
    assert closed["due"] == closed["at"] == due.strftime("%Y-%m-%dT%H:%M:%SZ") and closed["outcome"] == "silence_consent"
    assert received > origin + dt.timedelta(hours=1)  # the receipt was on the test clock, hours after the wall clock


# --- drain on SIGTERM -----------------------------------------------------------------------------

def test_sigterm_during_a_burst_drains_and_a_restart_handles_the_rest_once(nb: Party) -> None:
    nb.start()
    nb.started()
    names = [f"burst{i:03d}.edi" for i in range(40)]
    for i, name in enumerate(names):
        drop(nb.inbound, name, anmeldung(i))
    wait_for(lambda: any(nb.processed.iterdir()), "the first file to be processed")
    assert nb.stop(signal.SIGTERM) == 0
    assert any(r["msg"] == "stopped: store closed" for r in nb.records())
    wal = nb.store.with_name(nb.store.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed: the .sqlite file alone holds everything
    # Nothing half-done: every file is in inbound (not received) or processed (committed).
    left = sorted(p.name for p in nb.inbound.iterdir())
    done = sorted(p.name for p in nb.processed.iterdir())
    assert sorted(left + done) == names and list(nb.rejected.iterdir()) == []
    nb.start()
    wait_for(lambda: len(list(nb.outbound.glob("*UTILMD55002*"))) == len(names) and not any(nb.inbound.iterdir()),
             "the restart to handle the rest")
    assert nb.stop(signal.SIGINT) == 0
    assert sorted(p.name for p in nb.processed.iterdir()) == names and list(nb.rejected.iterdir()) == []
    answers = sorted(referenced_vorgang(p) for p in nb.outbound.glob("*UTILMD*"))
    assert answers == sorted(f"VG{i}" for i in range(len(names)))
    assert len(list(nb.outbound.glob("*CONTRL*"))) == len(names)
    assert len(history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)) == len(names)


# --- kill -9 ---------------------------------------------------------------------------------------

KILLS = 50


def test_kill_9_repeatedly_while_files_stream_in_handles_each_file_once_and_answers_once(nb: Party) -> None:
    rng = random.Random(17)
    n = 0
    for _ in range(KILLS):
        proc = nb.start()
        for _ in range(rng.randint(0, 2)):
            if n < 60:
                drop(nb.inbound, f"a{n:03d}.edi", anmeldung(n))
                n += 1
        # A random moment, chosen by what this run has done (no clock): at once (still starting),
        # or once it has written k log lines (started, files received, answers handed over) --
        # or, should it have less to do, once it is idle with nothing left waiting.
        k = rng.randint(0, 5)

        def moment(proc: subprocess.Popen = proc, k: int = k) -> bool:
            done = sum(1 for r in nb.records() if r.get("os_pid") == proc.pid)
            idle = not any(nb.inbound.iterdir()) and not list(nb.work.glob("transport/*/outbox/*.edi")) and done > 0
            return done >= k or idle or proc.poll() is not None

        wait_for(moment, "the moment to kill")
        assert proc.poll() is None, (nb.root / "stderr.txt").read_text()
        nb.proc.kill()
        nb.proc.wait()
        nb.stderr.close()
        nb.proc = None
    nb.start()
    wait_for(lambda: not any(nb.inbound.iterdir()) and len(list(nb.outbound.glob("*UTILMD55002*"))) >= n,
             "the last run to handle every file")
    assert nb.stop() == 0
    # Every file once: in processed/ or (received again after a kill between commit and move) rejected/ as a duplicate.
    settled = sorted(p.name for p in nb.processed.iterdir()) + sorted(p.name for p in nb.rejected.iterdir())
    assert sorted(settled) == [f"a{i:03d}.edi" for i in range(n)]
    duplicates = {r["file"] for r in nb.records() if r.get("outcome") == "duplicate"}
    assert {p.name for p in nb.rejected.iterdir()} <= duplicates
    # Each Anmeldung ran once, and each answer reached the outbound folder once.
    assert len(history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)) == n
    answers = sorted(referenced_vorgang(p) for p in nb.outbound.glob("*UTILMD*"))
    assert answers == sorted(f"VG{i}" for i in range(n))
    contrl_refs = [p.name.split("_")[5] for p in nb.outbound.glob("*CONTRL*")]
    assert len(contrl_refs) == len(set(contrl_refs)) == n
    print(f"{KILLS} kills, {n} files, {len(duplicates)} received again as duplicates, "
          f"{sum(1 for r in nb.records() if r['msg'].startswith('answer sent again'))} re-sent answers dropped")


# --- the wall clock ---------------------------------------------------------------------------------

REMINDER_ROUTE = '[[participant.route]]\npid = "55099"\nworkflow = "serve_workflows:Reminder"\n'


def _schedule(store: Path, due: dt.datetime) -> str:
    sys.path.insert(0, str(TESTS))
    from serve_workflows import Reminder

    with mk.Engine.open(store) as engine:
        p = engine.spawn(Reminder, tenant=mk.TenantId.from_party_id(NB))
        p.execute({"type": "Schedule", "data": {"due": due.isoformat()}})
        return str(p.identity().process_id)


def _reminded(store: Path, process_id: str) -> int:
    events = history.events(store, process=process_id)
    return int((events["event_type"] == "Reminded").sum())


def test_a_deadline_overdue_after_a_restart_fires_at_once_and_exactly_once(tmp_path: Path) -> None:
    nb = Party(tmp_path, "nb", NB, "nb", extra=REMINDER_ROUTE)
    try:
        nb.start()
        nb.started()
        assert nb.stop() == 0
        due = now_utc() + dt.timedelta(seconds=2)
        process_id = _schedule(nb.store, due)
        wait_for(lambda: now_utc() > due, "the deadline to pass while the service is down")
        nb.start()
        wait_for(lambda: any(r["msg"] == "deadlines fired" for r in nb.records()), "the overdue deadline to fire")
        assert nb.stop() == 0
        nb.start()  # and once more: nothing fires again
        nb.started()
        assert nb.stop() == 0
        assert _reminded(nb.store, process_id) == 1
        # While running, the service wakes for the next deadline (poll_interval is 0.5 s; the
        # deadline is the only thing that can make it fire).
        nb.start()
        nb.started()
        later = _schedule_while_running(nb)
        wait_for(lambda: _reminded(nb.store, later) == 1, "a deadline to fire while running")
        assert nb.stop() == 0
        assert _reminded(nb.store, later) == 1 and _reminded(nb.store, process_id) == 1
    finally:
        if nb.proc is not None:
            nb.proc.kill()


def _schedule_while_running(nb: Party) -> str:
    """A second process, spawned through the store while the service runs (SQLite allows a second
    writer between rounds); its deadline is picked up by the service's scheduler."""
    return _schedule(nb.store, now_utc() + dt.timedelta(seconds=1))


# --- operations -------------------------------------------------------------------------------------

def test_metrics_and_health(nb: Party) -> None:
    nb.start()
    address = nb.address()
    drop(nb.inbound, "one.edi", anmeldung(1))
    drop(nb.inbound, "broken.edi", anmeldung(2).replace(b"UNT+", b"UNX+"))
    # A 55016 the NB does not process: dead-lettered, answered with an APERAK 313 Z31.
    drop(nb.inbound, "kuendigung.edi", samples.utilmd_file("55016", "K1", malo=malo(3), day=dt.date.today() + dt.timedelta(days=40),
                                                          at=now_utc(), sender=LF, receiver=NB, interchange_reference="IC-K1"))
    drop(nb.inbound, ".hidden.edi", b"not for us")
    drop(nb.inbound, "half.tmp", b"still being written")
    wait_for(lambda: len(list(nb.processed.iterdir())) == 2 and any(nb.rejected.iterdir()) and len(list(nb.outbound.iterdir())) == 5,
             "the files to be handled")
    assert nb.outbound_kinds() == ["APERAK", "CONTRL", "CONTRL", "CONTRL", "UTILMD55002"]

    def metrics() -> Dict[str, float]:
        with urllib.request.urlopen(f"http://{address}/metrics", timeout=30) as r:
            text = r.read().decode()
        return {f"{s.name}{s.labels.get('participant', '')}": s.value
                for family in text_string_to_metric_families(text) for s in family.samples}

    m = wait_for(lambda: (lambda v: v if v.get("mako_answers_handed_over_totalnb") == 5 else None)(metrics()), "metrics of the round")
    assert m["mako_files_received_totalnb"] == 3
    assert m["mako_files_processed_totalnb"] == 2 and m["mako_files_rejected_totalnb"] == 1
    assert m["mako_files_duplicate_totalnb"] == 0
    assert m["mako_transactions_executed_totalnb"] == 1 and m["mako_transactions_dead_lettered_totalnb"] == 1
    assert m["mako_acknowledgements_sent_totalnb"] == 4  # CONTRL 7 twice, CONTRL 4, APERAK 313
    assert m["mako_messages_sent_totalnb"] == 1  # the 55002
    assert m["mako_outbox_depth"] == 0 and m["mako_dead_letters"] == 1 and m["mako_outbound_stagednb"] == 0
    assert "mako_next_deadline_secondsnb" not in m  # the direct confirmation leaves no deadline pending
    assert m["mako_round_seconds_count"] >= 1
    with urllib.request.urlopen(f"http://{address}/health", timeout=30) as r:
        health = json.load(r)
        assert r.status == 200
    assert health["status"] == "ok" and health["store"]["dead_letters"] == 1 and health["store"]["outbox_pending"] == 0
    assert health["rounds"] >= 1 and health["pid"] == nb.proc.pid
    assert sorted(p.name for p in nb.inbound.iterdir()) == [".hidden.edi", "half.tmp"]
    assert nb.stop() == 0


def test_sighup_reloads_log_level_and_poll_interval(nb: Party) -> None:
    nb.start()
    nb.started()
    changed = "poll_interval = 0.25\nlog_level = \"debug\"\nmax_receipt_attempts = 2"
    nb.config.write_text(nb.config.read_text().replace("poll_interval = 0.5", changed)
                         .replace('listen = "127.0.0.1:0"', 'listen = "127.0.0.1:1"'))
    nb.proc.send_signal(signal.SIGHUP)
    reloaded = wait_for(lambda: [r for r in nb.records() if r["msg"] == "configuration reloaded"], "the reload")
    assert sorted(reloaded[0]["applied"]) == ["log_level", "max_receipt_attempts", "poll_interval"]
    assert reloaded[0]["needs_restart"] == ["listen"]
    nb.config.write_text("store = [broken")
    nb.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: any(r["msg"].startswith("reload refused") for r in nb.records()), "the refused reload")
    assert nb.proc.poll() is None
    assert nb.stop() == 0


# --- crash windows, deterministic (the Service from Python) ---------------------------------------------

def test_a_crash_between_commit_and_move_makes_the_second_receipt_a_duplicate_answered_once(nb: Party, monkeypatch) -> None:
    from mako_engine import serve

    drop(nb.inbound, "one.edi", anmeldung(1))
    real_rename = os.rename

    class Crash(Exception):
        pass

    def crash_on_settle(src, dst):  # the process dies after the file's commit, before its move
        if Path(src).parent == nb.inbound:
            raise Crash()
        return real_rename(src, dst)

    service = serve.Service(serve.load_config(nb.config))
    service.start()
    monkeypatch.setattr(serve.os, "rename", crash_on_settle)
    with pytest.raises(Crash):
        service.run_round()
    monkeypatch.setattr(serve.os, "rename", real_rename)
    service.close()
    assert [p.name for p in nb.inbound.iterdir()] == ["one.edi"]  # still waiting

    with serve.Service(serve.load_config(nb.config)) as again:
        again.run_round()
        again.run_round()
    assert [p.name for p in nb.rejected.iterdir()] == ["one.edi"] and not any(nb.processed.iterdir())
    # The first run logged its receipt, then died before the move; the second receipt is a duplicate.
    assert [r["outcome"] for r in nb.records() if r.get("file") == "one.edi" and "outcome" in r] == ["accepted", "duplicate"]
    assert nb.outbound_kinds() == ["CONTRL", "UTILMD55002"]  # the second CONTRL 7 for the same interchange is not handed over again
    assert len(history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)) == 1


def test_an_answer_reaches_the_outbound_folder_once_across_crashes_in_the_hand_over(nb: Party, monkeypatch) -> None:
    from mako_engine import serve

    drop(nb.inbound, "one.edi", anmeldung(1))

    class Crash(Exception):
        pass

    real_mark = serve.HandoverLedger.mark

    def crash_after_the_rename(self, key, name, state):  # dies between the rename and the ledger's "done"
        if state == "done":
            raise Crash()
        return real_mark(self, key, name, state)

    service = serve.Service(serve.load_config(nb.config))
    service.start()
    monkeypatch.setattr(serve.HandoverLedger, "mark", crash_after_the_rename)
    with pytest.raises(Crash):
        service.run_round()
    monkeypatch.setattr(serve.HandoverLedger, "mark", real_mark)
    service.close()
    assert len(nb.outbound_kinds()) == 1  # the first answer is out, the other is still staged

    # A round that crashed before its commit sends the same answer again under another sequence
    # number: put such a copy into the staging folder.
    first = next(nb.outbound.iterdir())
    fields = first.name.split("_")
    fields[1] = "999999"
    recipient = fields[3]
    (nb.work / "transport" / recipient / "outbox" / "_".join(fields)).write_bytes(first.read_bytes())

    with serve.Service(serve.load_config(nb.config)) as again:
        again.run_round()
    assert nb.outbound_kinds() == ["CONTRL", "UTILMD55002"]
    assert not list((nb.work / "transport").glob("*/outbox/*"))
    assert any(r["msg"].startswith("answer sent again") for r in nb.records())


def test_the_deployment_example_config_is_valid(tmp_path: Path) -> None:
    """examples/deploy/mako-engine.toml with its paths moved under tmp_path passes --check."""
    text = (TESTS.parents[1] / "examples" / "deploy" / "mako-engine.toml").read_text()
    for old in ("/var/lib/mako", "/var/log/mako", "/etc/mako-engine"):
        text = text.replace(old, str(tmp_path / old.strip("/").replace("/", "-")))
    for folder in ("var-lib-mako/gateway/in", "var-lib-mako/gateway/out", "var-log-mako", "etc-mako-engine"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "etc-mako-engine" / "malos.csv").write_text(f"malo,supplier,since\n{malo(1)},{LF},2025-01-01\n{malo(2)},,\n")
    cfg = tmp_path / "etc-mako-engine" / "nb.toml"
    cfg.write_text(text)
    r = run_cli("serve", "--config", str(cfg), "--check")
    assert r.returncode == 0, r.stderr
    (tmp_path / "etc-mako-engine" / "malos.csv").write_text("malo\n12345\n")
    r = run_cli("serve", "--config", str(cfg), "--check")
    assert r.returncode == 2 and "participant[0].master_data:" in r.stderr and "line 2" in r.stderr


def test_one_service_runs_an_lf_and_an_nb_on_one_store(tmp_path: Path) -> None:
    """Two [[participant]] tables on one store: the LF's 55001 and the NB's 55002 cross through the
    two pairs of gateway folders (the test moves each outbound file to the other's inbound)."""
    root = tmp_path / "both"
    folders = {name: (root / f"{name}-in", root / f"{name}-out") for name in ("lf", "nb")}
    for pair in folders.values():
        for p in pair:
            p.mkdir(parents=True)
    (root / "malos.csv").write_text(f"malo\n{malo(0)}\n")
    config = root / "serve.toml"
    config.write_text(f"""store = "both.sqlite"
poll_interval = 0.5
log_file = "serve.log"
[http]
enabled = false
[[participant]]
name = "lf"
mp_id = "{LF}"
role = "lf"
inbound = "lf-in"
outbound = "lf-out"
[[participant]]
name = "nb"
mp_id = "{NB}"
role = "nb"
master_data = "malos.csv"
inbound = "nb-in"
outbound = "nb-out"
""")
    store = root / "both.sqlite"
    with mk.Engine.open(store) as engine:
        p = engine.spawn(gpke.LIEFERBEGINN_LFN, tenant=mk.TenantId.from_party_id(LF))
        p.execute(gpke.start_switch(malo=malo(0), start=dt.date.today() + dt.timedelta(days=40), nb=NB, lfn=LF, sent_at=now_utc(),
                                    customer=samples.CUSTOMER, product_code="9991000002082", transaction_reference="VG-BOTH"))
    party = Party.__new__(Party)
    party.root, party.name, party.config, party.log, party.proc = root, "both", config, root / "serve.log", None
    party.start()
    try:
        def exchanged() -> bool:
            for src, dst in (("lf", "nb"), ("nb", "lf")):
                for f in sorted(folders[src][1].glob("*.edi")):
                    drop(folders[dst][0], f.name, f.read_bytes())
                    f.unlink()
            statuses = history.processes(store)[["workflow", "status"]].itertuples(index=False)
            return sorted(map(tuple, statuses)) == [(gpke.LIEFERBEGINN_LFN, "confirmed"), (gpke.LIEFERBEGINN_NB, "confirmed")] and \
                len(list((root / "both-serve" / "nb" / "processed").glob("*CONTRL*"))) == 1

        wait_for(exchanged, "the switch to be confirmed on both sides")
        assert party.stop() == 0
    finally:
        if party.proc is not None:
            party.proc.kill()
    kinds = {name: sorted(p.name.split("_")[4] for p in (root / "both-serve" / name / "processed").iterdir()) for name in ("lf", "nb")}
    assert kinds == {"lf": ["CONTRL", "UTILMD55002"], "nb": ["CONTRL", "UTILMD55001"]}


def test_gateway_receipts_mark_answers_acknowledged(nb: Party) -> None:
    from mako_engine import serve

    receipts = nb.root / "gw-receipts"
    receipts.mkdir()
    nb.config.write_text(nb.config.read_text() + 'receipts = "gw-receipts"\n')
    drop(nb.inbound, "one.edi", anmeldung(1))
    with serve.Service(serve.load_config(nb.config)) as service:
        service.run_round()
        contrl, utilmd = sorted(nb.outbound.iterdir(), key=lambda p: p.name.split("_")[4])
        metrics = lambda: {f"{s.name}{s.labels.get('participant', '')}": s.value  # noqa: E731
                           for f in service.metrics.registry.collect() for s in f.samples}
        assert metrics()["mako_answers_unacknowledged" + "nb"] == 2
        drop(receipts, utilmd.name + ".receipt", b"<eb:Receipt/>")
        drop(receipts, "20260101T000000_000001_1_2_CONTRL_X.edi.receipt", b"<eb:Receipt/>")  # names no answer of ours
        service.run_round()
        m = metrics()
    assert m["mako_answers_acknowledged_totalnb"] == 1 and m["mako_receipts_unmatched_totalnb"] == 1
    assert m["mako_answers_unacknowledgednb"] == 1  # the CONTRL has no receipt yet
    assert m["mako_answers_unacknowledged_oldest_age_secondsnb"] >= 0
    assert not any(receipts.iterdir())
    assert [p.name for p in (nb.work / "receipts").iterdir()] == [utilmd.name + ".receipt"]
    assert len(list((nb.work / "receipts-unmatched").iterdir())) == 1
    assert contrl.name.split("_")[4] == "CONTRL"


def test_polling_instead_of_inotify(nb: Party) -> None:
    nb.config.write_text("watch = \"poll\"\n" + nb.config.read_text())
    nb.start()
    pid = nb.started()
    assert [r["watch"] for r in nb.records() if r["msg"] == "started" and r["os_pid"] == pid] == ["poll"]
    drop(nb.inbound, "one.edi", anmeldung(1))
    wait_for(lambda: nb.outbound_kinds() == ["CONTRL", "UTILMD55002"], "the answers, found by polling")
    assert nb.stop() == 0


# --- failing receipts: poison files and rolled-back answers ----------------------------------------------

def _metric(service, name: str) -> float:
    return {f"{s.name}{s.labels.get('participant', '')}": s.value
            for f in service.metrics.registry.collect() for s in f.samples}.get(name, 0.0)


def test_a_file_whose_receipt_keeps_failing_is_set_aside_and_the_queue_moves(nb: Party) -> None:
    """A receipt that fails every time with a transient-looking error (the store "busy") blocks the
    files behind it (arrival order) only for max_receipt_attempts rounds whose pump committed; then
    the file goes to quarantine/ with a reason file, and the next file is received. A round in
    which the store itself fails does not count against the file."""
    from mako_engine import serve

    nb.config.write_text("max_receipt_attempts = 3\n" + nb.config.read_text())
    poison = anmeldung(1)
    drop(nb.inbound, "a-poison.edi", poison)
    drop(nb.inbound, "b-next.edi", anmeldung(2))
    with serve.Service(serve.load_config(nb.config)) as service:
        participant = service._running[0].participant
        real_receive, real_pump = participant.receive, participant.pump

        def receive(data, *args, name: str = "", **kw):
            if name == "a-poison.edi":
                raise mk.StoreBusy("database is locked")
            return real_receive(data, *args, name=name, **kw)

        participant.receive = receive
        service.run_round()
        service.run_round()
        assert sorted(p.name for p in nb.inbound.iterdir()) == ["a-poison.edi", "b-next.edi"]  # the queue waits
        assert not any(nb.outbound.iterdir())

        def store_down(*args, **kw):
            raise mk.StoreBusy("database is locked")

        participant.pump = store_down  # the store fails too: this round's failure is not the file's
        with pytest.raises(mk.StoreBusy):
            service.run_round()
        participant.pump = real_pump
        assert sorted(p.name for p in nb.inbound.iterdir()) == ["a-poison.edi", "b-next.edi"]

        service.run_round()  # the third counted failure: set aside
        assert [p.name for p in nb.inbound.iterdir()] == ["b-next.edi"]
        service.run_round()
        assert _metric(service, "mako_files_quarantined_totalnb") == 1 and _metric(service, "mako_files_failed_totalnb") == 4
    quarantine = nb.work / "quarantine"
    assert sorted(p.name for p in quarantine.iterdir()) == ["a-poison.edi", "a-poison.edi.reason.json"]
    reason = json.loads((quarantine / "a-poison.edi.reason.json").read_text())
    assert reason["attempts"] == 3 and "StoreBusy" in reason["last_error"] and reason["file"] == "a-poison.edi"
    assert (quarantine / "a-poison.edi").read_bytes() == poison
    assert [p.name for p in nb.processed.iterdir()] == ["b-next.edi"] and not any(nb.inbound.iterdir())
    assert [referenced_vorgang(p) for p in nb.outbound.glob("*UTILMD*")] == ["VG2"]  # nothing for the poison file
    assert nb.outbound_kinds() == ["CONTRL", "UTILMD55002"]
    set_aside = [r for r in nb.records() if r["msg"] == "file set aside after failed receipts"]
    assert [(r["file"], r["attempts"]) for r in set_aside] == [("a-poison.edi", 3)]
    assert len(history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)) == 1

    # Fixed and moved back by an operator, it is received like any file.
    os.rename(quarantine / "a-poison.edi", nb.inbound / "a-poison.edi")
    with serve.Service(serve.load_config(nb.config)) as service:
        service.run_round()
    assert sorted(referenced_vorgang(p) for p in nb.outbound.glob("*UTILMD*")) == ["VG1", "VG2"]


def test_the_answers_of_a_rolled_back_receipt_never_reach_the_outbound_folder(nb: Party) -> None:
    """A receipt whose unit of work is rolled back after its commands ran -- the process spawned,
    the CONTRL 7 already staged by the transport -- leaves nothing: its staged answers are
    withdrawn, the file stays in inbound, and the next round receives it as new (not as a
    duplicate) and answers it once."""
    from mako_engine import serve

    class Crash(Exception):
        pass

    drop(nb.inbound, "one.edi", anmeldung(1))
    with serve.Service(serve.load_config(nb.config)) as service:
        participant = service._running[0].participant
        real_receive = participant.receive
        staged_during: List[str] = []

        def receive_then_fail(*args, **kw):  # the commit fails after everything of the receipt ran
            with service._engine.unit_of_work():
                receipt = real_receive(*args, **kw)
                assert [t["kind"] for t in receipt["transactions"]] == ["executed"]
                staged_during.extend(p.name for p in (nb.work / "transport").glob("*/outbox/*"))
                raise Crash()

        participant.receive = receive_then_fail
        service.run_round()
        assert staged_during and "CONTRL" in staged_during[0]  # the engine had staged its answer before the commit
        assert not any(nb.outbound.iterdir()) and not list((nb.work / "transport").glob("*/outbox/*"))
        assert [p.name for p in nb.inbound.iterdir()] == ["one.edi"]
        assert len(history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)) == 0  # rolled back
        assert _metric(service, "mako_answers_withdrawn_totalnb") == 1
        participant.receive = real_receive
        service.run_round()
    assert [r["outcome"] for r in nb.records() if r.get("file") == "one.edi" and "outcome" in r] == ["accepted"]
    assert nb.outbound_kinds() == ["CONTRL", "UTILMD55002"]
    assert [p.name for p in nb.processed.iterdir()] == ["one.edi"]
    assert len(history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)) == 1


class Killed(BaseException):
    """Stands for kill -9 in the middle of a receipt: nothing of the service's own handling runs."""


def test_answers_staged_by_a_receipt_that_died_before_its_commit_never_leave(nb: Party) -> None:
    """The process dies after the engine staged a receipt's CONTRL, before the commit. At the next
    start the file still waits, so whether it committed is unknown: its answers are held, not
    handed over. Here the file then fails every time and is set aside: they are dropped."""
    from mako_engine import serve

    drop(nb.inbound, "one.edi", anmeldung(1))
    service = serve.Service(serve.load_config(nb.config))
    service.start()
    real_receive = service._running[0].participant.receive

    def receive_and_die(*args, **kw):
        with service._engine.unit_of_work():  # rolled back when the "process" dies
            real_receive(*args, **kw)
            raise Killed()

    service._running[0].participant.receive = receive_and_die
    with pytest.raises(Killed):
        service.run_round()
    service.close()
    assert len(list((nb.work / "transport").glob("*/outbox/*.edi"))) == 1  # the CONTRL, staged before the commit
    assert len(history.processes(nb.store, workflow=gpke.LIEFERBEGINN_NB)) == 0

    nb.config.write_text("max_receipt_attempts = 1\n" + nb.config.read_text())
    with serve.Service(serve.load_config(nb.config)) as again:
        assert not any(nb.outbound.iterdir())  # held at start, not handed over
        def fail(*args, **kw):
            raise mk.StoreBusy("database is locked")
        again._running[0].participant.receive = fail
        again.run_round()
    assert [p.name for p in (nb.work / "quarantine").iterdir() if not p.name.endswith(".json")] == ["one.edi"]
    assert not any(nb.outbound.iterdir()) and not list((nb.work / "transport").glob("*/outbox/*"))
    assert not (nb.work / "held").exists() or not any((nb.work / "held").iterdir())
    assert [r["msg"] for r in nb.records() if r["msg"].startswith("held answers")] == \
        ["held answers of an interrupted receipt dropped: it had not committed"]


def test_answers_of_a_receipt_that_died_after_its_commit_all_leave_once(nb: Party) -> None:
    """The process dies after a receipt committed, before its file moved and its answers were
    handed over: a 55016 the NB does not process, answered with CONTRL 7 and APERAK 313. The file is
    received again as a duplicate (which answers with the CONTRL only); the held APERAK of the
    committed receipt goes out -- nothing lost, nothing twice."""
    from mako_engine import serve

    drop(nb.inbound, "k.edi", samples.utilmd_file("55016", "K1", malo=malo(3), day=dt.date.today() + dt.timedelta(days=40),
                                                 at=now_utc(), sender=LF, receiver=NB, interchange_reference="IC-K1"))
    service = serve.Service(serve.load_config(nb.config))
    service.start()
    real_receive = service._running[0].participant.receive

    def receive_commit_and_die(*args, **kw):
        real_receive(*args, **kw)  # committed
        raise Killed()

    service._running[0].participant.receive = receive_commit_and_die
    with pytest.raises(Killed):
        service.run_round()
    service.close()
    assert sorted(p.name.split("_")[4] for p in (nb.work / "transport").glob("*/outbox/*.edi")) == ["APERAK", "CONTRL"]

    with serve.Service(serve.load_config(nb.config)) as again:
        assert not any(nb.outbound.iterdir())  # held until the file tells whether it committed
        again.run_round()
    assert [r["outcome"] for r in nb.records() if r.get("file") == "k.edi" and "outcome" in r] == ["duplicate"]
    assert nb.outbound_kinds() == ["APERAK", "CONTRL"]
    assert [p.name for p in nb.rejected.iterdir()] == ["k.edi"]
    assert not list((nb.work / "transport").glob("*/outbox/*"))
