"""``mako-engine``: the command line for a mako store (also ``python -m mako_engine``).

    mako-engine processes DB [--tenant T|MPID] [--malo M] [--vorgangsnummer V] [--workflow W] [--status S]
                             [--since T] [--until T]
    mako-engine history DB PROCESS_ID [--tenant T] [--payload]
    mako-engine export DB --format csv|parquet --out FILE [--force] [--shape events|process-mining] [filters]
    mako-engine deadlines DB [--missed] [--step S] [--pid P] [--month 2026-03] [--since T] [--until T]
    mako-engine simulate [--out DIR] [--customers N] [--seed S]
                         [--store postgresql://... [--schema-prefix P]]
    mako-engine ingest DB DIR --mp-id MPID [--role nb|lf] [--outbound DIR] [--schema S]
    mako-engine serve --config FILE [--check]

DB is a SQLite file or a PostgreSQL connection string (``postgresql://user@host/db``,
``postgres://...`` or ``"host=... dbname=..."``; ``--schema S`` picks the PostgreSQL schema, default
``mako``). Reading commands open a file **read-only** (safe next to a running engine) and never
create or migrate it; on PostgreSQL they connect as an engine does, which creates the schema's tables
when they are missing (connect as a role without CREATE rights to rule that out). ``export`` never
writes over a mako database and over another existing file only with ``--force``. ``ingest`` writes
its answers (CONTRL, APERAK, UTILMD) into an outbound folder. ``serve`` runs market participants as
a service on the wall clock (:mod:`mako_engine.serve`, docs/operations.md).
Exit codes: 0 success, 1 failure of the work itself (e.g. files that could not be ingested,
simulation outcomes that differ), 2 usage errors and unusable input (a bad option value, missing
file, not a mako database, a newer schema, a missing optional dependency or simulator), 130
interrupted. Errors are one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NoReturn, Optional, Sequence, TypeVar

__all__ = ["main", "build_parser", "progress"]

T = TypeVar("T")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class CliError(Exception):
    """A failure reported as one line on stderr with an exit code (no traceback)."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# --- progress -------------------------------------------------------------------------------------

def progress(items: Iterable[T], total: Optional[int] = None, desc: str = "", enabled: Optional[bool] = None) -> Iterator[T]:
    """Iterates ``items`` with a progress bar on stderr: tqdm when installed, else a small own one.
    Shown only when stderr is a terminal (or ``enabled=True``)."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield from items
        return
    try:
        from tqdm import tqdm
    except ImportError:
        tqdm = None
    if tqdm is not None:
        yield from tqdm(items, total=total, desc=desc, file=sys.stderr, unit="", leave=False)
        return
    last = 0.0
    for n, item in enumerate(items, start=1):
        now = time.monotonic()
        if now - last > 0.1:
            last = now
            if total:
                filled = int(30 * n / total)
                sys.stderr.write(f"\r{desc} [{'#' * filled}{'.' * (30 - filled)}] {n}/{total}")
            else:
                sys.stderr.write(f"\r{desc} {n}")
            sys.stderr.flush()
        yield item
    sys.stderr.write("\r" + " " * 60 + "\r")
    sys.stderr.flush()


# --- helpers --------------------------------------------------------------------------------------

def _database(path: str, schema: Optional[str] = None) -> Any:
    """Checks that ``path`` is a readable mako database and returns it (CliError otherwise); for a
    PostgreSQL connection string, an engine on it (in ``schema``)."""
    from . import _core, history
    from ._engine import Engine
    from ._errors import CorruptStore, EngineError, InvalidInput, NotFound, SchemaTooNew

    if _core.is_postgres_location(path):
        try:
            return Engine.open(path, schema=schema)
        except EngineError as e:  # unreachable, malformed, refused, no PostgreSQL support: the message names the store
            raise CliError(f"cannot open {_core.redacted_location(path)}: {e}") from None
    if schema is not None:
        raise CliError(f"--schema applies to PostgreSQL connection strings; {path} is a SQLite file")
    if not os.path.exists(path):
        raise CliError(f"no such file: {path}")
    if os.path.isdir(path):
        raise CliError(f"{path} is a directory, not a mako database")
    try:
        history.open_reader(path)
    except SchemaTooNew as e:
        raise CliError(f"{path}: newer schema — {e}") from None
    except (InvalidInput, NotFound) as e:
        raise CliError(str(e)) from None
    except CorruptStore as e:
        raise CliError(f"{path} is not a mako database: {e}") from None
    except EngineError as e:
        raise CliError(f"{path}: {e}") from None
    return path


def _int_at_least(minimum: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {text}")
        return value

    return convert


_positive_int = _int_at_least(1)
_non_negative_int = _int_at_least(0)


def _time(text: str) -> str:
    """An ISO 8601 date or time (naive = UTC), checked here so a typo is a usage error."""
    from . import history

    try:
        if not re.match(r"\d{4}-\d{2}", text):
            raise ValueError(text)
        history.to_ns(text)
    except (ValueError, TypeError, OverflowError):
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time (e.g. 2026-03-01 or 2026-03-01T11:00:00+01:00): {text!r}") from None
    return text


def _month(text: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"not a month like 2026-03: {text!r}")
    return text


def _mp_id(text: str) -> str:
    from .identifiers import MpId

    why = MpId.why_invalid(text)
    if why:
        raise argparse.ArgumentTypeError(why)
    return text


def _malo(text: str) -> str:
    from .identifiers import MaloId

    why = MaloId.why_invalid(text)
    if why:
        raise argparse.ArgumentTypeError(why)
    return text


def _tenant(text: str) -> str:
    """A tenant id (UUID), or a 13-digit MP-ID standing for TenantId.from_party_id(MP-ID)."""
    from ._core import TenantId

    if re.fullmatch(r"\d{13}", text):
        return str(TenantId.from_party_id(_mp_id(text)))
    try:
        return str(TenantId(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"neither a tenant id (UUID) nor a 13-digit MP-ID: {text!r}") from None


def _pid(text: str) -> str:
    if not re.fullmatch(r"\d{5}", text):
        raise argparse.ArgumentTypeError(f"not a 5-digit Prüfidentifikator (e.g. 55002): {text!r}")
    return text


def _text(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def _print_frame(df: Any, limit: Optional[int]) -> None:
    import pandas as pd

    if df.empty:
        print("(none)")
        return
    shown = df if limit is None or limit <= 0 else df.head(limit)
    width = shutil.get_terminal_size((200, 20)).columns
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", width,
                           "display.max_colwidth", 60):
        print(shown.to_string(index=False))
    if len(shown) < len(df):
        print(f"... {len(df) - len(shown)} more rows (--limit 0 shows all)")


def _where(db: str) -> str:
    """DB as printed: a PostgreSQL connection string without its password."""
    from . import _core

    return _core.redacted_location(db)


def _filters(a: argparse.Namespace) -> dict:
    keys = ("tenant", "workflow", "since", "until", "malo", "vorgangsnummer")
    return {k: getattr(a, k) for k in keys if getattr(a, k, None)}


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tenant", action="append", type=_tenant,
                   help="tenant id, or the 13-digit MP-ID whose tenant it is (repeat for several)")
    p.add_argument("--workflow", action="append", help="workflow name, e.g. gpke.lieferbeginn.nb (repeatable)")
    p.add_argument("--since", type=_time, help="from this time on (ISO 8601; naive = UTC)")
    p.add_argument("--until", type=_time, help="before this time (ISO 8601; naive = UTC)")


def _add_key_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--malo", action="append", type=_malo, help="only processes registered under this MaLo-ID (repeatable)")
    p.add_argument("--vorgangsnummer", action="append", type=_text,
                   help="only processes that sent or received a UTILMD with this Vorgangsnummer (repeatable)")


# --- commands -------------------------------------------------------------------------------------

def cmd_processes(a: argparse.Namespace) -> int:
    from . import history

    df = history.processes(_database(a.db, a.schema), status=a.status, **_filters(a))
    if a.count:
        counts = df.groupby(["workflow", "status"], observed=True).size().rename("processes").reset_index()
        _print_frame(counts, None)
    else:
        _print_frame(df[["process_id", "workflow", "status", "last_event_type", "events", "first_event", "last_event"]], a.limit)
    return EXIT_OK


def cmd_history(a: argparse.Namespace) -> int:
    from . import history

    db = _database(a.db, a.schema)
    key = a.process_id
    df = history.events(db, stream=key) if key.startswith("process/") else history.events(db, process=key, tenant=a.tenant)
    if df.empty:
        raise CliError(f"no process {key}{f' of tenant {a.tenant}' if a.tenant else ''} in {_where(a.db)}", EXIT_FAILED)
    if df["stream_id"].nunique() > 1:  # one process id under several tenants: never mixed under one header
        tenants = ", ".join(sorted(df["tenant_id"].astype(str).unique()))
        raise CliError(f"process id {key} exists under several tenants ({tenants}): name one with --tenant TENANT, "
                       f"or give the stream id process/<tenant>/{key}")
    cols = ["sequence", "timestamp", "event_type"] + (["payload"] if a.payload else [])
    first = df.iloc[0]
    print(f"process {first['process_id']}  workflow {first['workflow']} {first['format_version']}  tenant {first['tenant_id']}")
    row = history.processes(db, process=str(first["process_id"]))
    status = row["status"].iloc[0] if len(row) else history.UNKNOWN_STATUS
    print(f"{len(df)} events, status {status} (last event {df['event_type'].iloc[-1]})")
    _print_frame(df[cols], None)
    return EXIT_OK


def cmd_export(a: argparse.Namespace) -> int:
    from . import history, process_mining

    db = _database(a.db, a.schema)
    fmt = a.format or os.path.splitext(a.out)[1].lstrip(".")
    if fmt not in ("csv", "parquet"):
        raise CliError("--format must be csv or parquet (or give --out a .csv/.parquet name)")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise CliError("parquet export needs pyarrow: pip install pyarrow") from None
    out = Path(a.out)
    if out.parent and not out.parent.exists():
        raise CliError(f"no such directory: {out.parent}")
    _check_overwrite(out, a.force)
    df = history.events(db, event_type=a.event_type, **_filters(a))
    if a.shape == "process-mining":
        df = process_mining.to_process_mining(df)
    # Written next to the target and renamed: an interrupted export leaves the old file alone.
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if fmt == "csv" and len(df) > 200_000:  # chunked, with a progress bar
            chunk = 100_000
            starts = range(0, len(df), chunk)
            for i in progress(starts, total=len(starts), desc="export"):
                process_mining.rfc3339_times(df.iloc[i:i + chunk]).to_csv(tmp, index=False, mode="w" if i == 0 else "a", header=i == 0)
        else:
            process_mining.write_table(df, tmp, fmt)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    print(f"wrote {len(df)} rows to {out}", file=sys.stderr)
    return EXIT_OK


def _check_overwrite(out: Path, force: bool) -> None:
    """Refuses to write over a mako database (ever) or another existing file (without --force)."""
    from . import history
    from ._errors import EngineError

    if not out.exists():
        return
    if out.is_dir():
        raise CliError(f"{out} is a directory")
    try:
        history.open_reader(out)
        is_database = True
    except EngineError:
        is_database = False
    if is_database:
        raise CliError(f"{out} is a mako database: export never writes over one (choose another --out)")
    if not force:
        raise CliError(f"{out} exists: pass --force to overwrite it")


def cmd_deadlines(a: argparse.Namespace) -> int:
    from . import deadlines

    if a.month and (a.since or a.until):
        raise CliError("--month cannot be combined with --since/--until")
    db = _database(a.db, a.schema)
    df = deadlines.deadlines(db, step=a.step, pid=a.pid, missed=True if a.missed else None, month=a.month, **_filters(a))
    cols = ["process_id", "workflow", "kind", "step", "pid", "due", "done_at", "missed", "deadline_status"]
    _print_frame(df[cols], a.limit)
    if a.missed:
        print(f"{len(df)} missed", file=sys.stderr)
    return EXIT_OK


def _find_simulator() -> Optional[str]:
    """The market_simulation executable: $MAKO_MARKET_SIMULATION, PATH, or a build tree next to here."""
    env = os.environ.get("MAKO_MARKET_SIMULATION")
    if env:
        return env if os.access(env, os.X_OK) else None
    found = shutil.which("market_simulation")
    if found:
        return found
    roots = [Path.cwd(), Path(__file__).resolve().parents[2]]
    for root in roots:
        for build in sorted(root.glob("build*/examples/cpp/market_simulation")):
            if os.access(build, os.X_OK):
                return str(build)
    return None


def cmd_simulate(a: argparse.Namespace) -> int:
    try:
        from . import market
        simulate: Optional[Callable[..., Any]] = getattr(market, "simulate", None)
    except ImportError:
        simulate = None
    out = Path(a.out)
    store: dict = {}
    if a.instances > 1 and a.store is None:
        raise CliError(f"--instances {a.instances} needs --store postgresql://...: instances share a participant's store, "
                       "and the SQLite files are one engine's each")
    if a.instances > 1 and a.instants_per_unit > 1:
        raise CliError(f"--instances {a.instances} needs --instants-per-unit 1: a unit of work over several instants would "
                       "hold its streams' rows and the log horizon against the other instances")
    if a.store is not None:
        from . import _core

        if not _core.is_postgres_location(a.store):
            raise CliError(f"--store {a.store}: not a PostgreSQL connection string (postgresql://... or 'host=... dbname=...'); "
                           "without --store the SQLite files go into --out")
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,50}", a.schema_prefix):
            raise CliError(f"--schema-prefix {a.schema_prefix!r}: lowercase letters, digits and '_', not starting with a digit")
        for party in ("lf", "nb"):  # reachable, and empty? (else exit 2, naming it)
            schema = f"{a.schema_prefix}_{party}"
            with _database(a.store, schema) as engine:
                if engine.head_position() > 0:
                    raise CliError(f"--store {_where(a.store)}: schema {schema} holds events already "
                                   f"(up to position {engine.head_position()}); "
                                   "the simulation starts from empty stores (choose another --schema-prefix)")
        store = {"store": a.store, "schema_prefix": a.schema_prefix}
        if a.instances > 1:
            store["instances"] = a.instances
    if simulate is not None and not a.executable:
        where = f"{_where(a.store)} (schemas {a.schema_prefix}_lf, {a.schema_prefix}_nb) and {out}" if store else str(out)
        print(f"simulating {a.customers} customers (seed {a.seed}) into {where} ...", file=sys.stderr)
        report = simulate(out, customers=a.customers, seed=a.seed, durability=a.durability,
                          instants_per_unit=a.instants_per_unit, **store)
        print(report.get("text", ""))
        for party, path in sorted(report.get("databases", {}).items()):
            print(f"{party}: {path}")
        return EXIT_OK if report.get("outcomes_match", True) else EXIT_FAILED
    exe = _find_simulator()
    if exe is None:
        raise CliError("no market simulation available: this mako_engine has no market.simulate and no market_simulation "
                       "executable was found (build it with `make build`, or set MAKO_MARKET_SIMULATION)")
    cmd = [exe, "--out", str(out), "--customers", str(a.customers), "--seed", str(a.seed), f"--{a.durability}",
           "--instants-per-unit", str(a.instants_per_unit)]
    if store:
        cmd += ["--store", a.store, "--schema-prefix", a.schema_prefix]
    if a.instances > 1:
        cmd += ["--instances", str(a.instances)]
    print("running " + " ".join(_where(c) for c in cmd), file=sys.stderr)
    return subprocess.run(cmd, check=False).returncode


def cmd_ingest(a: argparse.Namespace) -> int:
    try:
        from . import market
    except ImportError:
        raise CliError("ingest needs the market pipeline (mako_engine.market), which this build lacks") from None

    folder = Path(a.dir)
    if not folder.is_dir():
        raise CliError(f"no such directory: {folder}")
    if a.outbound and os.path.exists(a.outbound) and not os.path.isdir(a.outbound):
        raise CliError(f"--outbound {a.outbound} is a file, not a folder")
    from . import _core

    if _core.is_postgres_location(a.db):
        if not a.outbound:
            raise CliError("--outbound is required when DB is a PostgreSQL connection string")
        _database(a.db, a.schema).close()  # reachable? (else exit 2, naming it)
    elif a.schema is not None:
        raise CliError(f"--schema applies to PostgreSQL connection strings; {a.db} is a SQLite file")
    elif os.path.exists(a.db):
        _database(a.db)
    report = market.ingest(a.db, folder, a.mp_id, role=a.role, outbound=a.outbound,
                           progress=lambda files, n: progress(files, total=n, desc="ingest"), schema=a.schema)
    if not report["files"]:
        raise CliError(f"no files in {folder}", EXIT_FAILED)
    for r in report["rejected"]:
        print(f"rejected {r['file']}: {r['reason']}", file=sys.stderr)
    counts = [f"{k.replace('_', ' ')} {report[k]}" for k in ("accepted", "duplicate", "syntax_rejected", "failed") if report[k]]
    print(f"{report['files']} files: " + ", ".join(counts) + f"; {report['answers_written']} answers written to {report['outbound']}")
    if report["answers_failed"]:
        print(f"{report['answers_failed']} answers could not be written to {report['outbound']}; "
              "they stay in the outbox and are retried by the next ingest", file=sys.stderr)
    if report["database"] is None:
        print(f"nothing was ingested: no database created at {a.db}", file=sys.stderr)
    return EXIT_FAILED if report["rejected"] or report["answers_failed"] else EXIT_OK


def cmd_serve(a: argparse.Namespace) -> int:
    from . import serve

    try:
        config = serve.load_config(a.config)
    except serve.ConfigError as e:
        raise CliError(f"config {a.config}: {e}") from None
    if a.check:
        print(f"config {a.config}: ok ({len(config.participants)} participant(s) on {config.store})")
        return EXIT_OK
    service = serve.Service(config)
    serve.install_signal_handlers(service)  # a SIGTERM while starting stops before the first round
    try:
        try:
            service.start()
        except serve.ConfigError as e:
            raise CliError(f"config {a.config}: {e}") from None
        if service.address:
            print(f"mako-engine serve: listening on http://{service.address} (/health, /metrics)", file=sys.stderr, flush=True)
        service.run()
    finally:
        service.close()  # the round in flight has finished: close the store (checkpointed)
    return EXIT_OK


# --- parser ---------------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit 2) that name the option."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of ``mako-engine``."""
    parser = _Parser(prog="mako-engine", description="Explore and feed mako-engine stores (SQLite files or PostgreSQL).",
                                     epilog="Reading commands open DB read-only. Exit codes: 0 ok, 1 failed, 2 usage/unusable input.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"mako-engine {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("processes", help="one line per process (status = the workflow's status of the process)")
    p.add_argument("db", metavar="DB", help="a SQLite file or a PostgreSQL connection string (postgresql://...)")
    p.add_argument("--schema", help="the PostgreSQL schema (default mako)")
    _add_filters(p)
    _add_key_filters(p)
    p.add_argument("--status", action="append", help="only processes with this status, e.g. confirmed (repeatable)")
    p.add_argument("--count", action="store_true", help="counts per workflow and status instead of the list")
    p.add_argument("--limit", type=_non_negative_int, default=50, help="rows to print (0 = all; default 50)")
    p.set_defaults(run=cmd_processes)

    p = sub.add_parser("history", help="the events of one process")
    p.add_argument("db", metavar="DB", help="a SQLite file or a PostgreSQL connection string (postgresql://...)")
    p.add_argument("--schema", help="the PostgreSQL schema (default mako)")
    p.add_argument("process_id", metavar="PROCESS_ID", help="process id (UUID) or stream id (process/<tenant>/<process>)")
    p.add_argument("--tenant", help="the process's tenant, when its id exists under several tenants")
    p.add_argument("--payload", action="store_true", help="show the payload JSON")
    p.set_defaults(run=cmd_history)

    p = sub.add_parser("export", help="export events to CSV or Parquet")
    p.add_argument("db", metavar="DB", help="a SQLite file or a PostgreSQL connection string (postgresql://...)")
    p.add_argument("--schema", help="the PostgreSQL schema (default mako)")
    p.add_argument("--format", choices=["csv", "parquet"], help="default: from --out's extension")
    p.add_argument("--out", required=True, metavar="FILE", help="never a mako database; an existing file only with --force")
    p.add_argument("--force", action="store_true", help="overwrite an existing --out file (never a mako database)")
    p.add_argument("--shape", choices=["events", "process-mining"], default="events",
                   help="events (all columns) or process-mining (case_id, activity, timestamp, resource, lifecycle)")
    p.add_argument("--event-type", action="append", help="only this event type (repeatable)")
    _add_filters(p)
    _add_key_filters(p)
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("deadlines", help="deadlines per process and step, met or missed")
    p.add_argument("db", metavar="DB", help="a SQLite file or a PostgreSQL connection string (postgresql://...)")
    p.add_argument("--schema", help="the PostgreSQL schema (default mako)")
    p.add_argument("--missed", action="store_true", help="only missed deadlines")
    p.add_argument("--step", action="append", help="e.g. Send55002 or nb-answer-55002 (repeatable)")
    p.add_argument("--pid", action="append", type=_pid, help="e.g. 55002 (repeatable)")
    p.add_argument("--month", type=_month, help="due in this month, e.g. 2026-03 (UTC)")
    _add_filters(p)
    p.add_argument("--limit", type=_non_negative_int, default=50, help="rows to print (0 = all; default 50)")
    p.set_defaults(run=cmd_deadlines)

    p = sub.add_parser("simulate", help="run the LF <-> NB market simulation into a folder")
    p.add_argument("--out", default="demo-data", help="output folder (default demo-data)")
    p.add_argument("--customers", type=_positive_int, default=200, help="supplier switches to simulate (default 200)")
    p.add_argument("--seed", type=_non_negative_int, default=42, help="random seed of the scenarios (default 42)")
    p.add_argument("--durability", choices=["relaxed", "durable"], default="relaxed")
    p.add_argument("--instants-per-unit", type=_positive_int, default=1,
                   help="simulated instants per unit of work (group commit; default 1: commit every instant)")
    p.add_argument("--executable", action="store_true", help="run the market_simulation executable even if the Python binding exists")
    p.add_argument("--store", metavar="URL", help="a PostgreSQL connection string: LF and NB in its schemas P_lf and P_nb "
                                                   "(empty or new) instead of SQLite files in --out")
    p.add_argument("--schema-prefix", default="mako_sim", metavar="P", help="schema prefix with --store (default mako_sim)")
    p.add_argument("--instances", type=_positive_int, default=1, metavar="K",
                   help="engine instances per market participant with --store (default 1): each with its own connections, "
                        "all at once, sharing the participant's inbound files, outbox and deadlines")
    p.set_defaults(run=cmd_simulate)

    p = sub.add_parser("ingest", help="receive every EDIFACT file of a folder into DB (inbound pipeline); answers go to an outbound folder",
                       description="Receives every file of DIR into DB (created when something is accepted) and writes the answers "
                                   "(CONTRL, APERAK, UTILMD) to OUTBOUND/<recipient>/outbox/. Prints one line per rejected file; "
                                   "exit 1 when any file could not be ingested.")
    p.add_argument("db", metavar="DB", help="a SQLite file or a PostgreSQL connection string (postgresql://...)")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--schema", help="the PostgreSQL schema (default mako)")
    p.add_argument("--mp-id", required=True, type=_mp_id, help="the market-partner id the files are addressed to (check digit verified)")
    p.add_argument("--role", choices=["nb", "lf"], default="nb", help="GPKE routes of this role (default nb)")
    p.add_argument("--outbound", metavar="DIR", help="folder for the answers (default: <DB name>-outbound next to DB; "
                                                     "required for PostgreSQL)")
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("serve", help="run market participants as a service: gateway folders, wall-clock deadlines, /health and /metrics",
                       description="Runs the participants of a TOML configuration on the wall clock until SIGTERM/SIGINT "
                                   "(drains the round in flight, closes the store, exit 0); SIGHUP reloads log_level and "
                                   "poll_interval. A configuration error names the key (exit 2). See docs/operations.md.")
    p.add_argument("--config", required=True, metavar="FILE", help="the TOML configuration")
    p.add_argument("--check", action="store_true", help="validate the configuration and exit")
    p.set_defaults(run=cmd_serve)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the CLI; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except CliError as e:
        print(f"mako-engine {args.command}: error: {e}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ImportError as e:
        print(f"mako-engine {args.command}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as e:
        from ._errors import EngineError

        if isinstance(e, (EngineError, ValueError, OSError)):
            print(f"mako-engine {args.command}: error: {e}", file=sys.stderr)
            return EXIT_FAILED
        raise
