"""mako-engine vs the Python `eventsourcing` library, both on the same PostgreSQL server, in one run.

    python bench/python/bench_postgres.py RESULT.md [--streams N] [--commands N] [--replay N]
                                                    [--bench-postgres PATH]

The server: MAKO_BENCH_PG (a libpq connection string, key=value or postgresql:// URI), else
MAKO_TEST_PG. `make bench` (bench/run.sh) starts a throw-away server with fsync on. Without one the
script fails, saying so.

The workload of bench/python/bench_python.py: per stream, spawn + Register + alternating
Activate/Deactivate, one commit per command; then the replay of one long stream by a fresh handle
(best of 3). Measured in one run:
  (a) mako-engine's C++ lifecycle workflow on its PostgreSQL store (`bench_postgres --lifecycle`,
      a subprocess: the engine without Python);
  (b) the same driven from Python (`mk.Engine.open(conninfo, schema=...)`), when this build's
      Python package opens PostgreSQL (mk.postgres_supported());
  (c) the same workflow as an `eventsourcing` Aggregate on eventsourcing's PostgreSQL recorder
      (`eventsourcing[postgres]`, psycopg 3), in a database of its own on the same server.
Writes a markdown section to argv[1].
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_python import _eventsourcing_classes, eventsourcing_replay_rate, lifecycle_commands
from bench_results import append_section

import mako_engine as mk


def conninfo_from_env() -> str:
    for name in ("MAKO_BENCH_PG", "MAKO_TEST_PG"):
        value = os.environ.get(name, "")
        if value:
            return value
    sys.exit(
        "bench_postgres.py: no PostgreSQL server: set MAKO_BENCH_PG to a libpq connection string, or run "
        "`make bench` (bench/run.sh starts a throw-away server with fsync on)"
    )


@contextlib.contextmanager
def scratch_database(conninfo: str, name: str) -> Iterator[dict]:
    """A database `name` on the server of `conninfo` (dropped afterwards); yields its connection parameters."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(conninfo)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield {**params, "dbname": name}
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def server_settings(conninfo: str) -> dict:
    import psycopg

    with psycopg.connect(conninfo) as conn:
        return {
            name: conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
            for name in ("server_version", "fsync", "synchronous_commit", "full_page_writes")
        }


# --- (a) the C++ engine -------------------------------------------------------------------------------
def bench_cpp(exe: Path, conninfo: str, streams: int, commands: int, replay: int) -> tuple[float, float]:
    out = subprocess.run(
        [str(exe), "--lifecycle", str(streams), str(commands), str(replay)],
        env={**os.environ, "MAKO_BENCH_PG": conninfo},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


# --- (b) the engine from Python -----------------------------------------------------------------------
def python_postgres_missing() -> Optional[str]:
    """Why this build's Python package cannot open PostgreSQL, or None when it can."""
    supported = getattr(mk, "postgres_supported", None)
    if supported is None:
        return "this mako_engine has no PostgreSQL support in Python yet (no mk.postgres_supported)"
    if not supported():
        return "this mako_engine was built without libpq (mk.postgres_supported() is False)"
    return None


def bench_mako_python(conninfo: str, streams: int, commands: int, replay: int) -> tuple[float, float]:
    import psycopg

    schema = f"bench_py_{os.getpid()}"
    try:
        engine = mk.Engine.open(conninfo, schema=schema)
        cmds = lifecycle_commands(commands)
        start = time.perf_counter()
        for _ in range(streams):
            p = engine.spawn("lifecycle")
            for c in cmds:
                p.execute(c)
        cps = streams * commands / (time.perf_counter() - start)

        # The long stream in one unit of work (setup: one commit), replayed by a fresh handle.
        p = engine.spawn("lifecycle")
        with engine.unit_of_work():
            for c in lifecycle_commands(replay):
                p.execute(c)
        runs = []
        for _ in range(3):
            fresh = engine.resume("lifecycle", p.identity())
            t0 = time.perf_counter()
            fresh.replay()
            runs.append(time.perf_counter() - t0)
        engine.close()
        return cps, replay / min(runs)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


# --- (c) eventsourcing ----------------------------------------------------------------------------------
def bench_eventsourcing(db: dict, streams: int, commands: int, replay: int) -> tuple[float, float]:
    Lifecycles, _ = _eventsourcing_classes()
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": db["dbname"],
        "POSTGRES_HOST": db.get("host", "localhost"),
        "POSTGRES_PORT": db.get("port", "5432"),
        "POSTGRES_USER": db.get("user", os.environ.get("USER", "postgres")),
        "POSTGRES_PASSWORD": db.get("password", ""),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        app = Lifecycles()
        start = time.perf_counter()
        for _ in range(streams):
            agg_id = app.register("Marktlokation")
            for i in range(commands - 1):
                (app.activate if i % 2 == 0 else app.deactivate)(agg_id)
        cps = streams * commands / (time.perf_counter() - start)

        rate = eventsourcing_replay_rate(app, replay)  # the long stream, read back whole
        app.close()
        return cps, rate
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output", type=Path)
    ap.add_argument("--streams", type=int, default=50)
    ap.add_argument("--commands", type=int, default=10, help="commands per stream")
    ap.add_argument("--replay", type=int, default=10000, help="events in the replayed stream")
    ap.add_argument(
        "--bench-postgres",
        type=Path,
        default=Path(os.environ.get("MAKO_BUILD_DIR", "build")) / "bench" / "postgres" / "bench_postgres",
        help="the bench_postgres executable (default: $MAKO_BUILD_DIR/bench/postgres/bench_postgres)",
    )
    args = ap.parse_args()
    conninfo = conninfo_from_env()
    if not args.bench_postgres.is_file():
        sys.exit(f"bench_postgres.py: {args.bench_postgres} not found: build it (make build) or pass --bench-postgres")

    settings = server_settings(conninfo)
    cpp = bench_cpp(args.bench_postgres, conninfo, args.streams, args.commands, args.replay)
    missing = python_postgres_missing()
    py = None if missing else bench_mako_python(conninfo, args.streams, args.commands, args.replay)
    with scratch_database(conninfo, f"bench_es_{os.getpid()}") as db:
        es = bench_eventsourcing(db, args.streams, args.commands, args.replay)

    from importlib.metadata import version

    rows = [f"| (a) C++ lifecycle on PgStore (bench_postgres --lifecycle) | {cpp[0]:,.0f} | {cpp[0] / es[0]:.1f}x "
            f"| {cpp[1]:,.0f} | {cpp[1] / es[1]:.1f}x |"]
    if py:
        rows.append(f"| (b) C++ lifecycle driven from Python (mk.Engine.open) | {py[0]:,.0f} | {py[0] / es[0]:.1f}x "
                    f"| {py[1]:,.0f} | {py[1] / es[1]:.1f}x |")
    else:
        rows.append(f"| (b) C++ lifecycle driven from Python | not measured: {missing} | | | |")
    rows.append(f"| (c) eventsourcing Aggregate, PostgreSQL recorder | {es[0]:,.0f} | 1.0x | {es[1]:,.0f} | 1.0x |")
    lines = [
        "## Python: mako-engine vs eventsourcing (PostgreSQL)",
        "",
        f"`bench/python/bench_postgres.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"eventsourcing {version('eventsourcing')}, psycopg {version('psycopg')}; PostgreSQL "
        f"{settings['server_version']}, fsync={settings['fsync']}, synchronous_commit={settings['synchronous_commit']}, "
        f"full_page_writes={settings['full_page_writes']} (the same server for all rows, one run). Commands: "
        f"{args.streams} streams x {args.commands} commands (spawn, Register, alternating Activate/Deactivate), one "
        f"commit each. Replay: one stream of {args.replay} events read back by a fresh handle (best of 3).",
        "",
        "| engine | commands/s | x eventsourcing | replay events/s | x eventsourcing |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        "Targets (issue 18): >= 3x eventsourcing's commands/s and >= 10x its replay rate. Both engines commit "
        "once per command and wait for the WAL flush, which bounds the commands/s ratio by the disk "
        "(eventsourcing also holds LOCK TABLE ... IN EXCLUSIVE MODE over its commit; mako locks the stream's row "
        "and reserves its positions, docs/postgresql.md).",
        "",
    ]
    append_section(args.output, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
