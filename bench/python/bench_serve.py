"""``mako-engine serve`` end to end against the directory transport of the market simulation, one run.

    python bench/python/bench_serve.py RESULT.md [--files N] [--latency-files M]

The work: an NB receives N Anmeldungen (UTILMD 55001, one interchange per file, each for its own
MaLo without an old supplier) and answers each with a CONTRL and a UTILMD 55002. Durable SQLite
(fsync per commit) on both sides.

* ``serve``: a real ``mako-engine serve`` process (inotify). The benchmark acts as the gateway: it
  writes each file under a temporary name and renames it into the inbound folder, and watches the
  outbound folder with inotify. Burst: all N files renamed in at once; files/s from the first
  rename to the last answer's rename into outbound. Latency: from a file's rename into inbound to
  the rename of its UTILMD 55002 into outbound (matched by the RFF+TN the answer quotes), p50 and
  p99, in the burst (queueing included) and for M files sent one at a time (each after the
  previous answer: the service's own latency).
* directory transport: ``market.Participant(directory=...)`` -- the transport the simulation's
  engines exchange files through -- with the N files dropped into its inbox and received by
  ``pump``: one pump per file (one unit of work and commit per file, as ``serve`` does) and one
  pump for the whole burst (one commit for all, as a simulation round does).

Appends a markdown section to argv[1].
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Tuple

from bench_results import append_section

import inotify_simple

import mako_engine as mk
from mako_engine import calendar as cal
from mako_engine import edifact, market
from mako_engine.identifiers import MaloId

NB, LF = "9900467000000", "9904590000002"
TIMEOUT = 120.0


def malo(n: int) -> str:
    base = f"5{n:09d}"
    return next(base + d for d in "0123456789" if MaloId.why_invalid(base + d) is None)


def anmeldung(n: int, at: dt.datetime) -> bytes:
    """The LF's 55001 for malo(n): Vorgang VG<n>, interchange IC<n>, start in 40 days."""
    t = edifact.UtilmdTransaction(f"VG{n}", "55001", malo(n), reason="E03")
    t.start = cal.berlin_start_of_day(dt.date.today() + dt.timedelta(days=40))
    t.reason_supplement, t.product_code, t.household, t.enfg = "ZW4", "9991000002082", True, "ZG0"
    address = {"name": "Erika Müller", "street": "Hauptstraße 7", "postcode": "10115", "city": "Berlin", "country": "DE"}
    t.customer, t.correspondence = {"name": address["name"]}, address
    u = edifact.UtilmdMessage("M1", at, edifact.MarketPartner(LF), edifact.MarketPartner(NB), document_number=f"D{n}",
                              document_code="E01", association=edifact.release_for("UTILMD", at) or "S2.1", transactions=[t])
    return edifact.write(edifact.make_interchange(u.sender, u.receiver, f"IC{n}", at, [edifact.build_utilmd(u)]))


def referenced_vorgang(data: bytes) -> str:
    (t,) = edifact.read_utilmd(edifact.parse(data).messages[0]).transactions
    return t.referenced_transaction or ""


def percentile(values: List[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


class OutboundWatch:
    """Records when each file is renamed into a folder (inotify IN_MOVED_TO), on its own thread."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.arrived: Dict[str, float] = {}
        self._cond = threading.Condition()
        self._stop = False
        self._inotify = inotify_simple.INotify()
        self._inotify.add_watch(folder, inotify_simple.flags.MOVED_TO | inotify_simple.flags.CLOSE_WRITE)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            events = self._inotify.read(timeout=200)
            now = time.perf_counter()
            with self._cond:
                for e in events:
                    self.arrived.setdefault(e.name, now)
                self._cond.notify_all()

    def wait(self, predicate, what: str) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: predicate(self.arrived), timeout=TIMEOUT):
                raise SystemExit(f"gave up waiting for {what}")

    def snapshot(self) -> Dict[str, float]:
        with self._cond:
            return dict(self.arrived)

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self._inotify.close()


def utilmd_answers(arrived: Dict[str, float]) -> int:
    return sum(1 for name in arrived if "_UTILMD55002_" in name)


def bench_serve(root: Path, n: int, m: int, malos: int) -> Tuple[float, List[float], List[float]]:
    inbound, outbound = root / "gw-in", root / "gw-out"
    inbound.mkdir(), outbound.mkdir()
    (root / "malos.csv").write_text("malo\n" + "".join(f"{malo(i)}\n" for i in range(malos)))
    (root / "serve.toml").write_text(f"""store = "nb.sqlite"
durability = "durable"
poll_interval = 5.0
watch = "inotify"
log_file = "serve.log"
[http]
enabled = false
[[participant]]
name = "nb"
mp_ids = ["{NB}"]
role = "nb"
master_data = "malos.csv"
inbound = "gw-in"
outbound = "gw-out"
work_dir = "work"
""")
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    files = [anmeldung(i, now) for i in range(n + m)]
    watch = OutboundWatch(outbound)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen([sys.executable, "-m", "mako_engine", "serve", "--config", str(root / "serve.toml")],
                            stdout=subprocess.DEVNULL, stderr=open(root / "stderr.txt", "wb"), env=env)  # noqa: SIM115
    try:
        log = root / "serve.log"
        end = time.monotonic() + TIMEOUT
        while not (log.exists() and any(json.loads(line).get("msg") == "started" for line in log.read_text().splitlines())):
            if proc.poll() is not None or time.monotonic() > end:
                raise SystemExit("serve did not start: " + (root / "stderr.txt").read_text())
            time.sleep(0.05)

        def drop(i: int) -> float:
            tmp = inbound / f".a{i:05d}.edi.part"
            tmp.write_bytes(files[i])
            os.rename(tmp, inbound / f"a{i:05d}.edi")
            return time.perf_counter()

        # Burst: all n at once.
        sent = {f"VG{i}": drop(i) for i in range(n)}
        watch.wait(lambda a: utilmd_answers(a) >= n and sum(1 for x in a if "_CONTRL_" in x) >= n, "the burst's answers")
        arrived = watch.snapshot()
        burst_seconds = max(arrived.values()) - min(sent.values())
        answered = {referenced_vorgang((outbound / name).read_bytes()): t for name, t in arrived.items() if "_UTILMD55002_" in name}
        burst = [answered[v] - t for v, t in sent.items()]
        # One at a time: the next file after the previous answer.
        known = {name for name in arrived if "_UTILMD55002_" in name}
        single = []
        for i in range(n, n + m):
            t0 = drop(i)
            want = len(known) + 1
            watch.wait(lambda a, k=want: utilmd_answers(a) >= k, f"the answer to file {i}")
            arrived = watch.snapshot()
            (name,) = [x for x in arrived if "_UTILMD55002_" in x and x not in known]
            assert referenced_vorgang((outbound / name).read_bytes()) == f"VG{i}", name
            known.add(name)
            single.append(arrived[name] - t0)
        proc.terminate()
        if proc.wait(timeout=TIMEOUT) != 0:
            raise SystemExit("serve did not stop cleanly: " + (root / "stderr.txt").read_text())
    finally:
        if proc.poll() is None:
            proc.kill()
        watch.close()
    return n / burst_seconds, burst, single


def bench_directory_transport(root: Path, n: int, per_file: bool) -> float:
    """Files/s through market.Participant's directory transport (durable), one pump per file or one for all."""
    md = market.NbMasterData()
    for i in range(n):
        md.add_malo(malo(i))
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    files = [anmeldung(i, now) for i in range(n)]
    with mk.Engine.open(root / "nb.sqlite", "durable") as engine:
        nb = market.Participant(engine, NB, role="nb", name="nb", directory=root / "transport", master_data=md)
        t0 = time.perf_counter()
        if per_file:
            for i, data in enumerate(files):
                nb.drop_inbound(LF, f"a{i:05d}.edi", data)
                nb.pump(at=now)
        else:
            for i, data in enumerate(files):
                nb.drop_inbound(LF, f"a{i:05d}.edi", data)
            nb.pump(at=now)
        seconds = time.perf_counter() - t0
        answers = list((root / "transport" / LF / "outbox").glob("*_UTILMD55002_*"))
        assert len(answers) == n, len(answers)
        assert nb.stats()["executed"] == n
    return n / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=150, help="files in the burst (default 150)")
    parser.add_argument("--latency-files", type=int, default=30, help="files sent one at a time (default 30)")
    args = parser.parse_args()
    n, m = args.files, args.latency_files

    with tempfile.TemporaryDirectory(prefix="mako-bench-serve-", dir=os.environ.get("MAKO_BENCH_DIR")) as tmp:
        root = Path(tmp)
        (root / "serve").mkdir()
        rate, burst, single = bench_serve(root / "serve", n, m, n + m)
        (root / "dir1").mkdir()
        per_file = bench_directory_transport(root / "dir1", n, per_file=True)
        (root / "dirn").mkdir()
        grouped = bench_directory_transport(root / "dirn", n, per_file=False)

    ms = lambda xs, p: percentile(xs, p) * 1000  # noqa: E731
    section = [
        "## `mako-engine serve` vs the directory transport (`bench/python/bench_serve.py`)",
        "",
        f"An NB receives {n} UTILMD 55001 files (one interchange each) and answers each with a CONTRL and a "
        "UTILMD 55002; durable SQLite. `serve` is a real process behind inbound/outbound folders (the benchmark "
        "renames files in and watches the answers' renames with inotify); the directory transport is "
        "`market.Participant(directory=...)`, as the simulation's engines exchange files, driven by `pump`.",
        "",
        "| path | files/s |",
        "|---|---|",
        f"| `serve`: burst of {n} files, inbound rename -> commit -> answer renamed into outbound | {rate:,.0f} |",
        f"| directory transport, one `pump` (unit of work, commit) per file | {per_file:,.0f} |",
        f"| directory transport, one `pump` for all {n} files (one commit) | {grouped:,.0f} |",
        "",
        "| `serve` latency: file renamed into inbound -> its UTILMD 55002 renamed into outbound | p50 | p99 |",
        "|---|---|---|",
        f"| {m} files one at a time (each after the previous answer) | {ms(single, 50):.1f} ms | {ms(single, 99):.1f} ms |",
        f"| the burst of {n} (queueing included) | {ms(burst, 50):.1f} ms | {ms(burst, 99):.1f} ms |",
        "",
        f"mean {statistics.mean(single) * 1000:.1f} ms one at a time. `serve` commits each file in its own unit "
        "(fsync of the store, the staged answer, the hand-over ledger and the folders); the grouped row shows "
        "what one commit per round saves.",
    ]
    append_section(args.out, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
