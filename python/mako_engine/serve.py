"""``mako-engine serve``: market participants as a long-running service on the wall clock.

A :class:`Service` runs one or more :class:`~mako_engine.market.Participant` on one store (a SQLite
file) and connects each to its AS4 gateway through hand-over folders::

    from mako_engine import serve
    service = serve.Service(serve.load_config("mako.toml"))
    service.start()          # opens the store, binds the HTTP endpoint
    service.run()            # rounds until service.stop() (or SIGTERM/SIGINT via the CLI)

Every round, for each participant: the files in its ``inbound`` folder are received in arrival order
(mtime, then name; dot-files, ``*.tmp`` and ``*.part`` are ignored), each in one unit of work with
its commands, and moved to ``processed/`` or ``rejected/`` only after that commit; then
``pump(now)`` fires the due deadlines and renders the due outbox messages; then the answers are
handed over to the ``outbound`` folder.

Why nothing is lost or done twice:

* A file is received, committed, then moved. A crash in between leaves it in ``inbound``; the next
  run receives it again and the engine's inbox (key: sender + interchange reference) records it as a
  duplicate -- nothing runs twice -- and it moves to ``rejected/``.
* A receipt that raises is rolled back: the answers it staged are deleted (none of them may leave),
  the file stays, and the files behind it wait (arrival order). When the process dies during a
  receipt, the next start holds what it staged (``<work_dir>/held/``) until the file's next receipt
  shows whether it had committed (a duplicate): then they go out, else they are dropped. After ``max_receipt_attempts``
  such failures in rounds whose pump committed, the file is set aside to ``quarantine/`` with a
  ``.reason.json`` so the queue moves.
* Answers are written by the participant's directory transport into a staging folder
  (``<work_dir>/transport/<recipient>/outbox``: temporary name, fsync, rename, folder fsync) and only
  then marked delivered. The service then renames each staged file into ``outbound`` (same file
  system: the rename is atomic) and fsyncs the folder -- a receipt's acknowledgements right after
  its commit, the pump's answers at the end of the round. A round that crashed after sending but before
  its commit sends again after the restart (at least once); the hand-over keeps a ledger
  (``<work_dir>/handover.sqlite``) of the answers it handed over, keyed by sender, receiver, kind and
  interchange reference (stable for the same answer), so each answer reaches ``outbound`` once. A
  partner's re-sent interchange is therefore not acknowledged a second time.
* With a ``receipts`` folder, a gateway receipt named after an answer marks it acknowledged in the
  ledger (metrics: answers still unacknowledged and the oldest one's age).

The participants run on the wall clock (UTC); for tests only, a ``[test]`` table runs them on a
faster :class:`TestClock`, so GPKE deadlines days away fire within seconds through the same code.

The configuration is a TOML file (:func:`load_config`, errors name the key); see docs/operations.md.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as _dt
import errno
import fcntl
import http.server
import importlib
import json
import logging
import logging.handlers
import os
import re
import select
import shutil
import signal
import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self  # annotations only: not a runtime dependency

__all__ = ["ConfigError", "Config", "ParticipantConfig", "RouteConfig", "load_config", "parse_config", "Service", "HandoverLedger",
           "JsonFormatter", "TestClock", "install_signal_handlers"]

log = logging.getLogger("mako_engine.serve")

LOG_LEVELS = ("debug", "info", "warning", "error")
DEFAULT_LISTEN = "127.0.0.1:9780"
IGNORED_SUFFIXES = (".tmp", ".part")


class ConfigError(Exception):
    """An invalid configuration; ``key`` names the offending key (e.g. ``participant[0].mp_ids``)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


# --- configuration --------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class RouteConfig:
    """A PID routed to a Python workflow (``module:Class``), next to the role's GPKE routes."""

    pid: str
    workflow: str
    action: str = "spawn"
    command_type: str = ""
    vorgang_field: str = ""
    correlation_kind: str = "vorgang"


@dataclasses.dataclass(frozen=True)
class ParticipantConfig:
    """One ``[[participant]]`` table."""

    name: str
    mp_ids: Tuple[str, ...]
    role: str
    inbound: Path
    outbound: Path
    work_dir: Path
    processed: Path
    rejected: Path
    master_data: Optional[Path] = None
    send_positive_aperak: bool = False
    routes: Tuple[RouteConfig, ...] = ()
    receipts: Optional[Path] = None
    quarantine: Optional[Path] = None

    @property
    def quarantine_dir(self) -> Path:
        """Where files whose receipt keeps failing are set aside (default ``<work_dir>/quarantine``)."""
        return self.quarantine or self.work_dir / "quarantine"

    @property
    def staging(self) -> Path:
        """The directory transport's root: answers are staged in ``<staging>/<recipient>/outbox``."""
        return self.work_dir / "transport"


@dataclasses.dataclass(frozen=True)
class Config:
    """A validated configuration (:func:`load_config`)."""

    path: Optional[Path]
    store: Union[Path, str]  # a SQLite file, or a PostgreSQL connection string (see schema)
    durability: str
    poll_interval: float
    log_level: str
    log_file: Optional[Path]
    listen: Optional[Tuple[str, int]]
    participants: Tuple[ParticipantConfig, ...]
    watch: str = "auto"
    #: ``[test]`` only: participant seconds per wall second (1.0: the wall clock) and the instant
    #: where that clock meets the wall clock (see :class:`TestClock`).
    time_scale: float = 1.0
    clock_origin: Optional[_dt.datetime] = None
    #: Failed receipts of one file (with the store working, counted since the service started)
    #: before it is set aside (quarantine).
    max_receipt_attempts: int = 5
    #: PostgreSQL only: the schema holding the engine's tables (several services, an LF and an NB,
    #: share a database in schemas of their own; instances of one service share one schema).
    schema: str = "mako"

    #: Keys that SIGHUP applies; everything else needs a restart.
    RELOADABLE = ("log_level", "poll_interval", "max_receipt_attempts")


_TOP_KEYS = {"store", "schema", "durability", "poll_interval", "watch", "log_level", "log_file", "http", "participant",
             "test", "max_receipt_attempts"}
_TEST_KEYS = {"time_scale", "clock_origin"}
_HTTP_KEYS = {"listen", "enabled"}
_PARTICIPANT_KEYS = {"name", "mp_ids", "mp_id", "role", "inbound", "outbound", "receipts", "work_dir", "processed", "rejected",
                     "quarantine", "master_data", "send_positive_aperak", "route"}
_ROUTE_KEYS = {"pid", "workflow", "action", "command_type", "vorgang_field", "correlation_kind"}


def _unknown(table: Dict[str, Any], allowed: set, where: str) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})")


def _string(table: Dict[str, Any], key: str, where: str, required: bool = False) -> Optional[str]:
    value = table.get(key)
    if value is None:
        if required:
            raise ConfigError(where + key, "missing (required)")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(where + key, f"must be a non-empty string, not {value!r}")
    return value


def _path(base: Path, text: str) -> Path:
    p = Path(os.path.expanduser(text))
    return p if p.is_absolute() else (base / p)


def _writable_dir(path: Path, key: str, create: bool = False) -> Path:
    if create and not path.exists():
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(key, f"cannot create folder {path}: {e.strerror}") from None
    if not path.exists():
        raise ConfigError(key, f"no such folder: {path}")
    if not path.is_dir():
        raise ConfigError(key, f"not a folder: {path}")
    if not os.access(path, os.W_OK | os.X_OK | os.R_OK):
        raise ConfigError(key, f"folder is not readable and writable by this user: {path}")
    return path


def _listen(value: Any, key: str) -> Tuple[str, int]:
    if not isinstance(value, str):
        raise ConfigError(key, f"must be a string like {DEFAULT_LISTEN!r}, not {value!r}")
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ConfigError(key, f"must be HOST:PORT like {DEFAULT_LISTEN!r}, not {value!r}")
    return host, int(port)


def _load_toml(path: Path) -> Dict[str, Any]:
    try:
        import tomllib  # type: ignore[import-not-found,unused-ignore]  # Python >= 3.11
    except ImportError:  # Python < 3.11
        try:
            import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
        except ImportError:
            raise ConfigError("config", "reading TOML needs Python 3.11 or the tomli package: pip install 'mako-engine[serve]'") from None
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError("config", f"no such file: {path}") from None
    except OSError as e:
        raise ConfigError("config", f"cannot read {path}: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("config", f"malformed TOML in {path}: {e}") from None


def load_config(path: os.PathLike[str] | str) -> Config:
    """Reads and validates the TOML file at ``path`` (relative paths in it are relative to its folder).
    Raises :class:`ConfigError` naming the key."""
    path = Path(path)
    return parse_config(_load_toml(path), base=path.resolve().parent, path=path)


def parse_config(data: Dict[str, Any], base: os.PathLike[str] | str = ".", path: Optional[Path] = None) -> Config:
    """Validates a configuration given as a dict (what :func:`load_config` reads from TOML)."""
    from . import history
    from ._core import MpId, is_postgres_location
    from ._errors import EngineError, SchemaTooNew, StoreBusy

    base = Path(base)
    _unknown(data, _TOP_KEYS, "")
    store_text = _string(data, "store", "", required=True)
    postgres = is_postgres_location(store_text or "")  # checked when the service opens it
    store: Any = store_text if postgres else _path(base, store_text)  # type: ignore[arg-type]
    if not postgres and store.is_dir():
        raise ConfigError("store", f"is a folder, not a database file: {store}")
    if not postgres:
        _writable_dir(store.parent, "store")
    if not postgres and store.exists():
        try:
            history.open_reader(store)
        except StoreBusy as e:
            raise ConfigError("store", f"{store} is locked by another program: {e}") from None
        except SchemaTooNew as e:
            raise ConfigError("store", f"{store} was written by a newer mako-engine: {e}") from None
        except EngineError as e:
            raise ConfigError("store", f"{store} is not a mako database: {e}") from None
    schema = data.get("schema", "mako")
    if not isinstance(schema, str) or not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
        raise ConfigError("schema", f"must be lowercase letters, digits and '_' (at most 63, not starting with a digit), "
                                    f"not {schema!r}")
    if "schema" in data and not postgres:
        raise ConfigError("schema", "applies to a PostgreSQL store; a SQLite file holds one engine's tables")
    durability = data.get("durability", "durable")
    if durability not in ("durable", "relaxed"):
        raise ConfigError("durability", f"must be 'durable' or 'relaxed', not {durability!r}")
    if postgres and durability != "durable":
        raise ConfigError("durability", "applies to SQLite files: a PostgreSQL commit is as durable as the server makes it")
    poll_interval = data.get("poll_interval", 2.0)
    if isinstance(poll_interval, bool) or not isinstance(poll_interval, (int, float)) or not 0 < poll_interval <= 3600:
        raise ConfigError("poll_interval", f"must be a number of seconds in (0, 3600], not {poll_interval!r}")
    attempts = data.get("max_receipt_attempts", 5)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not 1 <= attempts <= 1000:
        raise ConfigError("max_receipt_attempts", f"must be a whole number in [1, 1000], not {attempts!r}")
    watch = data.get("watch", "auto")
    if watch not in ("auto", "inotify", "poll"):
        raise ConfigError("watch", f"must be 'auto', 'inotify' or 'poll', not {watch!r}")
    if watch == "inotify":
        try:
            import inotify_simple  # noqa: F401
        except ImportError:
            raise ConfigError("watch", "'inotify' needs the inotify_simple package: pip install 'mako-engine[serve]'") from None
    log_level = data.get("log_level", "info")
    if log_level not in LOG_LEVELS:
        raise ConfigError("log_level", f"must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
    log_file = None
    if "log_file" in data:
        log_file = _path(base, _string(data, "log_file", "", required=True))  # type: ignore[arg-type]
        _writable_dir(log_file.parent, "log_file")
        if log_file.exists() and not os.access(log_file, os.W_OK):
            raise ConfigError("log_file", f"not writable by this user: {log_file}")
    http = data.get("http", {})
    if not isinstance(http, dict):
        raise ConfigError("http", "must be a table ([http])")
    _unknown(http, _HTTP_KEYS, "http.")
    enabled = http.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError("http.enabled", f"must be true or false, not {enabled!r}")
    listen = _listen(http.get("listen", DEFAULT_LISTEN), "http.listen") if enabled else None
    time_scale, clock_origin = _test_clock(data.get("test", {}))

    rows = data.get("participant")
    if rows is None:
        raise ConfigError("participant", "missing: at least one [[participant]] table is required")
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise ConfigError("participant", "must be one or more [[participant]] tables")
    participants: List[ParticipantConfig] = []
    default_work = base / "mako-serve" if postgres else store.parent / f"{store.stem}-serve"
    for i, row in enumerate(rows):
        w = f"participant[{i}]."
        _unknown(row, _PARTICIPANT_KEYS, w)
        name = _string(row, "name", w, required=True)
        assert name is not None
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
            raise ConfigError(w + "name", f"letters, digits, '_', '.', '-' only, not {name!r}")
        if any(p.name == name for p in participants):
            raise ConfigError(w + "name", f"{name!r} is used by another participant")
        if "mp_id" in row and "mp_ids" in row:
            raise ConfigError(w + "mp_id", "give mp_id or mp_ids, not both")
        key = "mp_ids" if "mp_ids" in row else "mp_id"
        ids = row.get(key)
        if ids is None:
            raise ConfigError(w + "mp_ids", "missing (required): the MP-ID(s) this participant receives for")
        ids = [ids] if isinstance(ids, str) else ids
        if not isinstance(ids, list) or not ids or not all(isinstance(x, str) for x in ids):
            raise ConfigError(w + key, f"must be an MP-ID string or a list of them, not {row.get(key)!r}")
        for mp in ids:
            why = MpId.why_invalid(mp)
            if why:
                raise ConfigError(w + key, f"{mp!r}: {why}")
        role = row.get("role")
        if role not in ("lf", "nb"):
            raise ConfigError(w + "role", f"must be 'lf' or 'nb', not {role!r}")
        inbound = _writable_dir(_path(base, _string(row, "inbound", w, required=True)), w + "inbound")  # type: ignore[arg-type]
        outbound = _writable_dir(_path(base, _string(row, "outbound", w, required=True)), w + "outbound")  # type: ignore[arg-type]
        if any(p.inbound.resolve() == inbound.resolve() for p in participants):
            raise ConfigError(w + "inbound", f"{inbound} is the inbound folder of another participant")
        work_text = _string(row, "work_dir", w)
        work_dir = _writable_dir(_path(base, work_text) if work_text else default_work / name, w + "work_dir", create=True)
        folders = {}
        for k in ("processed", "rejected", "quarantine"):
            text = _string(row, k, w)
            folders[k] = _writable_dir(_path(base, text) if text else work_dir / k, w + k, create=True)
        receipts_text = _string(row, "receipts", w)
        receipts = _writable_dir(_path(base, receipts_text), w + "receipts") if receipts_text else None
        # Files move between these by rename, which is atomic only within one file system.
        dev = os.stat(work_dir).st_dev
        for k, p in (("inbound", inbound), ("outbound", outbound), ("processed", folders["processed"]), ("rejected", folders["rejected"]),
                     ("quarantine", folders["quarantine"]), ("receipts", receipts)):
            if p is None:
                continue
            if os.stat(p).st_dev != dev:
                raise ConfigError(w + k, f"{p} is on another file system than the work_dir {work_dir}: "
                                          "files are handed over by atomic rename, which needs one file system")
        master = None
        if "master_data" in row:
            if role != "nb":
                raise ConfigError(w + "master_data", "only a Netzbetreiber (role = 'nb') has master data")
            master = _path(base, _string(row, "master_data", w, required=True))  # type: ignore[arg-type]
            if not master.is_file():
                raise ConfigError(w + "master_data", f"no such file: {master}")
            _read_master_data(master, w + "master_data")  # errors now, not at start
        positive = row.get("send_positive_aperak", False)
        if not isinstance(positive, bool):
            raise ConfigError(w + "send_positive_aperak", f"must be true or false, not {positive!r}")
        routes = []
        route_rows = row.get("route", [])
        if not isinstance(route_rows, list) or not all(isinstance(r, dict) for r in route_rows):
            raise ConfigError(w + "route", "must be [[participant.route]] tables")
        for j, r in enumerate(route_rows):
            rw = f"{w}route[{j}]."
            _unknown(r, _ROUTE_KEYS, rw)
            pid = _string(r, "pid", rw, required=True) or ""
            if not re.fullmatch(r"\d{5}", pid):
                raise ConfigError(rw + "pid", f"not a 5-digit Prüfidentifikator: {pid!r}")
            workflow = _string(r, "workflow", rw, required=True)
            assert workflow is not None
            _import_workflow(workflow, rw + "workflow")
            action = r.get("action", "spawn")
            if action not in ("spawn", "resume"):
                raise ConfigError(rw + "action", f"must be 'spawn' or 'resume', not {action!r}")
            routes.append(RouteConfig(pid, workflow, action, _string(r, "command_type", rw) or "",
                                      _string(r, "vorgang_field", rw) or "", _string(r, "correlation_kind", rw) or "vorgang"))
        participants.append(ParticipantConfig(name, tuple(ids), role, inbound, outbound, work_dir, folders["processed"],
                                              folders["rejected"], master, positive, tuple(routes), receipts, folders["quarantine"]))
    return Config(path, store, durability, float(poll_interval), log_level, log_file, listen, tuple(participants), watch,
                  time_scale, clock_origin, attempts, schema)


def _test_clock(test: Any) -> Tuple[float, Optional[_dt.datetime]]:
    """The ``[test]`` table: ``time_scale`` and ``clock_origin`` (both or neither)."""
    if not isinstance(test, dict):
        raise ConfigError("test", "must be a table ([test])")
    _unknown(test, _TEST_KEYS, "test.")
    if not test:
        return 1.0, None
    scale = test.get("time_scale")
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 1 <= scale <= 1_000_000:
        raise ConfigError("test.time_scale", f"must be a number in [1, 1000000] (participant seconds per wall second), not {scale!r}")
    origin = test.get("clock_origin")
    if origin is None:
        raise ConfigError("test.clock_origin", "missing: with time_scale, give the instant where the test clock meets the wall clock "
                                               "(the same in every service of a test, so that their clocks agree)")
    if isinstance(origin, str):
        try:
            origin = _dt.datetime.fromisoformat(origin.replace("Z", "+00:00"))
        except ValueError:
            raise ConfigError("test.clock_origin", f"not an ISO instant: {origin!r}") from None
    if not isinstance(origin, _dt.datetime) or origin.tzinfo is None:
        raise ConfigError("test.clock_origin", f"must be an instant with its offset, like 2026-12-03T15:00:00Z, not {origin!r}")
    return float(scale), origin.astimezone(_dt.timezone.utc)


class TestClock:
    """The participants' clock. Normally the wall clock (UTC). For tests only (``[test]`` in the
    configuration; never in production): ``scale`` participant seconds pass per wall second from
    ``origin`` on, ``now = origin + (wall - origin) * scale``. Everything the participants do runs on
    it -- message dates, receipt instants (ÜT), the GPKE deadline rules on the BDEW calendar, the
    scheduler that fires them -- so a deadline days away in GPKE time fires within seconds of wall
    time through the same code; the service converts its waits back to wall seconds."""

    __test__ = False  # not a pytest test class

    def __init__(self, scale: float = 1.0, origin: Optional[_dt.datetime] = None) -> None:
        self.scale = scale
        self.origin = origin

    def now(self) -> _dt.datetime:
        wall = _dt.datetime.now(_dt.timezone.utc)
        if self.origin is None or self.scale == 1.0:
            return wall
        return self.origin + (wall - self.origin) * self.scale

    def wall_seconds(self, delta: _dt.timedelta) -> float:
        """Wall seconds until a participant-clock interval has passed."""
        return delta.total_seconds() / self.scale


def _import_workflow(dotted: str, key: str) -> Any:
    """``package.module:Class`` (or ``package.module.Class``) -> the class."""
    module_name, sep, attr = dotted.partition(":")
    if not sep:
        module_name, _, attr = dotted.rpartition(".")
    if not module_name or not attr:
        raise ConfigError(key, f"must be 'module:Class', not {dotted!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise ConfigError(key, f"cannot import {module_name}: {e}") from None
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ConfigError(key, f"module {module_name} has no {attr}") from None


def _read_master_data(path: Path, key: str) -> Any:
    """An NB's master data from a CSV file with the columns ``malo`` and, optional,
    ``supplier``, ``since``, ``until`` (ISO dates): one row per MaLo or supplier period."""
    from ._core import MaloId, MpId
    from .market import NbMasterData

    md = NbMasterData()
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or "malo" not in reader.fieldnames:
                raise ConfigError(key, f"{path}: the first line must name the columns, with 'malo' (and optional supplier, since, until)")
            for row in reader:
                line = reader.line_num
                malo = (row.get("malo") or "").strip()
                why = MaloId.why_invalid(malo)
                if why:
                    raise ConfigError(key, f"{path} line {line}: malo {malo!r}: {why}")
                md.add_malo(malo)
                supplier = (row.get("supplier") or "").strip()
                if supplier:
                    why = MpId.why_invalid(supplier)
                    if why:
                        raise ConfigError(key, f"{path} line {line}: supplier {supplier!r}: {why}")
                    try:
                        since = _dt.date.fromisoformat((row.get("since") or "").strip())
                        until_text = (row.get("until") or "").strip()
                        until = _dt.date.fromisoformat(until_text) if until_text else None
                    except ValueError as e:
                        raise ConfigError(key, f"{path} line {line}: since/until must be ISO dates: {e}") from None
                    md.assign(malo, supplier, since, until)
    except OSError as e:
        raise ConfigError(key, f"cannot read {path}: {e.strerror}") from None
    return md


# --- logging --------------------------------------------------------------------------------------

class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``ts``, ``level``, ``msg``, ``os_pid`` (the service's process) and
    the record's ``extra`` fields (``participant``, ``file``, ``process_id`` (the workflow process),
    ``pid`` (the Prüfidentifikator), ``vorgangsnummer``, ...)."""

    _STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        out: Dict[str, Any] = {
            "ts": _dt.datetime.fromtimestamp(record.created, _dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "msg": record.getMessage(),
            "os_pid": record.process,
        }
        for k, v in vars(record).items():
            if k not in self._STANDARD and not k.startswith("_"):
                out[k] = v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def _setup_logging(config: Config) -> logging.Handler:
    # WatchedFileHandler reopens the file when logrotate moved it away.
    handler: logging.Handler = logging.handlers.WatchedFileHandler(config.log_file, encoding="utf-8") if config.log_file \
        else logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    log.addHandler(handler)
    log.setLevel(config.log_level.upper())
    log.propagate = False
    return handler


# --- file system helpers ---------------------------------------------------------------------------

def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name.1``, ``name.2`` ... when taken (never overwrite a settled file)."""
    target = folder / name
    n = 0
    while target.exists():
        n += 1
        target = folder / f"{name}.{n}"
    return target


def _waiting_files(folder: Path) -> List[Path]:
    """The complete files of a gateway folder in arrival order (mtime, then name)."""
    found = []
    with os.scandir(folder) as it:
        for entry in it:
            if entry.name.startswith(".") or entry.name.endswith(IGNORED_SUFFIXES):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                found.append((entry.stat().st_mtime_ns, entry.name))
            except FileNotFoundError:  # taken away meanwhile
                continue
    return [folder / name for _, name in sorted(found)]


def _receiving_marker(pc: ParticipantConfig) -> Path:
    return pc.work_dir / "receiving.json"


def _mark_receiving(pc: ParticipantConfig, name: str, staged_before: set) -> None:
    """Notes the receipt in flight and what was staged before it (no fsync: it is for a process
    that dies; after a power loss the staged answers go out at least once, as before)."""
    tmp = pc.work_dir / ".receiving.json.tmp"
    tmp.write_text(json.dumps({"file": name, "staged_before": sorted(str(p.relative_to(pc.staging)) for p in staged_before)}),
                   encoding="utf-8")
    os.replace(tmp, _receiving_marker(pc))


def _staged(pc: ParticipantConfig) -> set:
    """Every file in the participant's staging outboxes (temporary ones too)."""
    return set(pc.staging.glob("*/outbox/*"))


def _parse_market_file_name(name: str) -> Optional[Tuple[str, str, str, str]]:
    # <yyyymmddThhmmss>_<seq>_<sender>_<receiver>_<kind>_<reference>.edi (market/file_name.hpp)
    if not name.endswith(".edi"):
        return None
    fields = name[:-4].split("_")
    if len(fields) != 6:
        return None
    return fields[2], fields[3], fields[4], fields[5]


class HandoverLedger:
    """Which answers were handed over to the outbound folder (``handover.sqlite`` in the work_dir)."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        # state: 'moving' (about to be renamed into outbound), 'done' (renamed); at: when;
        # acknowledged_at: when the gateway's receipt for it arrived (receipts folder).
        self._db.execute("CREATE TABLE IF NOT EXISTS handover (key TEXT PRIMARY KEY, name TEXT NOT NULL, "
                         "state TEXT NOT NULL, at TEXT NOT NULL, acknowledged_at TEXT)")
        self._db.execute("CREATE INDEX IF NOT EXISTS handover_name ON handover (name)")

    def state(self, key: str) -> Optional[Tuple[str, str]]:
        row = self._db.execute("SELECT name, state FROM handover WHERE key = ?", (key,)).fetchone()
        return (row[0], row[1]) if row else None

    def moving(self) -> List[Tuple[str, str]]:
        return [(k, n) for k, n in self._db.execute("SELECT key, name FROM handover WHERE state = 'moving'")]

    def mark(self, key: str, name: str, state: str) -> None:
        self._db.execute("INSERT INTO handover (key, name, state, at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET name = excluded.name, state = excluded.state, at = excluded.at",
                         (key, name, state, _dt.datetime.now(_dt.timezone.utc).isoformat()))

    def acknowledge(self, name: str) -> bool:
        """Marks the answer handed over as ``name`` acknowledged; False when there is none."""
        cur = self._db.execute("UPDATE handover SET acknowledged_at = coalesce(acknowledged_at, ?) WHERE name = ? AND state = 'done'",
                               (_dt.datetime.now(_dt.timezone.utc).isoformat(), name))
        return cur.rowcount > 0

    def unacknowledged(self) -> Tuple[int, Optional[_dt.datetime]]:
        """How many answers were handed over without a receipt yet, and when the oldest was."""
        n, oldest = self._db.execute("SELECT count(*), min(at) FROM handover WHERE state = 'done' AND acknowledged_at IS NULL").fetchone()
        return n, _dt.datetime.fromisoformat(oldest) if oldest else None

    def close(self) -> None:
        self._db.close()


# --- metrics and health ----------------------------------------------------------------------------

class _Metrics:
    def __init__(self) -> None:
        try:
            from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
        except ImportError:
            raise ImportError("mako-engine serve needs prometheus_client: pip install 'mako-engine[serve]'") from None

        self.registry = CollectorRegistry()
        self._per_participant: List[Any] = []

        def c(name: str, doc: str) -> Any:
            counter = Counter(name, doc, ["participant"], registry=self.registry)
            self._per_participant.append(counter)
            return counter

        self.files_received = c("mako_files_received", "Inbound files received from the gateway folder")
        self.files_processed = c("mako_files_processed", "Inbound files accepted and moved to processed/")
        self.files_rejected = c("mako_files_rejected",
                                "Inbound files moved to rejected/ (CONTRL 4, every transaction refused by the AHB, or duplicate)")
        self.files_duplicate = c("mako_files_duplicate", "Inbound files the inbox had received before (not processed again)")
        self.files_failed = c("mako_files_failed", "Receipts that raised (the file stays in inbound and is tried again)")
        self.files_quarantined = c("mako_files_quarantined",
                                   "Inbound files set aside to quarantine/ after max_receipt_attempts failed receipts")
        self.answers_withdrawn = c("mako_answers_withdrawn", "Staged answers of failed (rolled-back) receipts deleted before hand-over")
        self.transactions_executed = c("mako_transactions_executed", "UTILMD transactions executed by a workflow")
        self.dead_letters = c("mako_transactions_dead_lettered", "UTILMD transactions dead-lettered, refused or failed (APERAK 313)")
        self.messages_sent = c("mako_messages_sent", "Outbox messages rendered and handed to the transport")
        self.messages_failed = c("mako_messages_failed", "Outbox messages that could not be handed over (retried or dead-lettered)")
        self.acks_sent = c("mako_acknowledgements_sent", "CONTRL and APERAK files sent")
        self.answers_handed_over = c("mako_answers_handed_over", "Files renamed into the outbound folder")
        self.answers_suppressed = c("mako_answers_resend_suppressed", "Staged files dropped because the same answer was handed over before")
        self.answers_acknowledged = c("mako_answers_acknowledged", "Gateway receipts matched to an answer handed over")
        self.receipts_unmatched = c("mako_receipts_unmatched", "Gateway receipts that name no answer handed over (kept aside)")
        self.deadlines_fired = c("mako_deadlines_fired", "Deadlines claimed and executed")
        self.round_failures = Counter("mako_round_failures", "Rounds that failed with an engine or I/O error (retried)",
                                      registry=self.registry)
        g = lambda name, doc, labels=(): Gauge(name, doc, list(labels), registry=self.registry)  # noqa: E731
        # Set by the service loop after each round (from the engine itself: the store is never
        # opened a second time, by another SQLite library, in this process).
        self.outbox_pending = g("mako_outbox_depth", "Outbox messages not yet delivered")
        self.outbox_dead = g("mako_outbox_dead", "Outbox messages given up after too many attempts")
        self.dead_letters_stored = g("mako_dead_letters", "Dead letters in the store (unroutable or refused input)")
        self.next_deadline = g("mako_next_deadline_seconds",
                               "Seconds until the participant's next deadline is due (negative: overdue; absent: none)", ["participant"])
        self.unacknowledged = g("mako_answers_unacknowledged", "Answers handed over without a gateway receipt yet (with receipts)",
                                ["participant"])
        self.unacknowledged_age = g("mako_answers_unacknowledged_oldest_age_seconds",
                                    "Age of the oldest answer handed over without a gateway receipt (with receipts)", ["participant"])
        self.staged = g("mako_outbound_staged", "Answers staged and not yet renamed into the outbound folder", ["participant"])
        self.round_seconds = Histogram("mako_round_seconds", "Duration of one service round (all participants)", registry=self.registry,
                                       buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))

    def declare(self, participants: Sequence[str]) -> None:
        """Creates every participant's counter series (at 0), so a scrape lists them all."""
        for counter in self._per_participant:
            for name in participants:
                counter.labels(name)


class _HttpHandler(http.server.BaseHTTPRequestHandler):
    service: Service

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/metrics":
            from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

            body, ctype, code = generate_latest(self.service.metrics.registry), CONTENT_TYPE_LATEST, 200
        elif self.path.split("?")[0] == "/health":
            health = self.service.health()
            body, ctype, code = json.dumps(health).encode(), "application/json", 200 if health["status"] == "ok" else 503
        else:
            body, ctype, code = b"not found: try /health or /metrics\n", "text/plain", 404
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("http " + format % args)


# --- the service -----------------------------------------------------------------------------------

class _Running:
    """A participant at work: its config, market.Participant and hand-over ledger."""

    def __init__(self, config: ParticipantConfig, participant: Any, ledger: HandoverLedger) -> None:
        self.config = config
        self.participant = participant
        self.ledger = ledger
        self.stats = participant.stats()
        # Failed receipts per inbound file (name, mtime, size): counted once the same round's pump
        # committed (the store works, so the failure is the file's); the file of this round's failure.
        self.failures: Dict[Tuple[str, int, int], int] = {}
        self.failed_now: Optional[Tuple[Path, Tuple[str, int, int], str]] = None


class Service:
    """The participants of a :class:`Config` on its store, driven by the wall clock.

    :meth:`start` opens the store (exclusively: a second service on the same store is refused),
    builds the participants and binds the HTTP endpoint; :meth:`run` does rounds until :meth:`stop`;
    :meth:`run_round` does one (for tests and embedders); :meth:`close` ends it. :meth:`reload`
    applies a new configuration's log level and poll interval."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.clock = TestClock(config.time_scale, config.clock_origin)
        self.metrics = _Metrics()
        self._engine: Any = None
        self._running: List[_Running] = []
        self._lock_fd: Optional[int] = None
        self._stop = threading.Event()
        self._reload = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._inotify: Any = None
        self._http: Optional[http.server.ThreadingHTTPServer] = None
        self._handler: Optional[logging.Handler] = None
        self.last_round_end: Optional[float] = None
        self.last_counts: Dict[str, int] = {}
        self.rounds = 0

    # lifecycle
    def start(self) -> None:
        """Opens the store and the participants, resolves interrupted hand-overs, binds HTTP."""
        from . import market
        from ._core import redacted_location
        from ._engine import Engine
        from ._errors import StoreBusy

        self._handler = _setup_logging(self.config)
        # A PostgreSQL store has no file: the lock guards the first participant's work folder instead.
        lock = self.config.store if isinstance(self.config.store, Path) else self.config.participants[0].work_dir
        self._lock_fd = os.open(f"{lock}.serve.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            os.close(self._lock_fd)
            self._lock_fd = None
            raise ConfigError("store", f"{self.config.store} is in use by another mako-engine serve") from None
        locked = f"{self.config.store} is locked by another program (it held the write lock past the busy timeout; stop it, or " \
                 "wait until it is done, and start again)"
        try:
            self._engine = Engine.open(self.config.store, self.config.durability,
                                       schema=self.config.schema if isinstance(self.config.store, str) else None)
        except StoreBusy as e:
            if isinstance(self.config.store, str):  # PostgreSQL: the server cannot be reached (e names it)
                raise ConfigError("store", f"cannot open: {e}") from None
            raise ConfigError("store", f"{locked}: {e}") from None
        try:
            # The write lock, taken and given back at once: a program that holds the store locked
            # (e.g. an open BEGIN EXCLUSIVE) is found now, with exit 2, not by every round failing.
            with self._engine.unit_of_work():
                pass
        except StoreBusy as e:
            self._engine.close()
            self._engine = None
            raise ConfigError("store", f"{locked}: {e}") from None
        for pc in self.config.participants:
            routes = market.RouteTable.nb() if pc.role == "nb" else market.RouteTable.lf()
            for r in pc.routes:
                cls = _import_workflow(r.workflow, "route")
                kw: Dict[str, Any] = {k: v for k, v in (("command_type", r.command_type), ("vorgang_field", r.vorgang_field)) if v}
                if r.action == "spawn":
                    routes.spawn(r.pid, cls, **kw)
                else:
                    routes.resume(r.pid, cls, correlation_kind=r.correlation_kind, **kw)
            master = _read_master_data(pc.master_data, "master_data") if pc.master_data else None
            participant = market.Participant(self._engine, list(pc.mp_ids), routes, role=pc.role, name=pc.name,
                                             directory=pc.staging, master_data=master,
                                             send_positive_aperak=pc.send_positive_aperak)
            running = _Running(pc, participant, HandoverLedger(pc.work_dir / "handover.sqlite"))
            self._running.append(running)
            self._hold_interrupted_receipt(running)
            self._hand_over(running)  # what an earlier run staged (or was moving) when it stopped
        self.metrics.declare([pc.name for pc in self.config.participants])  # every series from the start, at 0
        self._watch()
        if self.config.listen is not None:
            handler = type("Handler", (_HttpHandler,), {"service": self})
            try:
                self._http = http.server.ThreadingHTTPServer(self.config.listen, handler)
            except OSError as e:
                host, port = self.config.listen
                raise ConfigError("http.listen", f"cannot listen on {host}:{port}: {e.strerror}") from None
            self._http.daemon_threads = True
            threading.Thread(target=self._http.serve_forever, name="mako-http", daemon=True).start()
        where = redacted_location(str(self.config.store))
        log.info("started", extra={"store": where, "participants": [p.name for p in self.config.participants],
                                   "listen": self.address, "watch": "inotify" if self._inotify else "poll",
                                   "time_scale": self.config.time_scale})
        if self.config.time_scale != 1.0:
            log.warning("test clock: the participants' time runs faster than the wall clock ([test] is for tests only)",
                        extra={"time_scale": self.config.time_scale, "clock_origin": str(self.config.clock_origin),
                               "participant_now": self.clock.now().isoformat()})

    @property
    def address(self) -> Optional[str]:
        """``host:port`` the HTTP endpoint listens on (the real port when configured as 0)."""
        if self._http is None:
            return None
        host, port = self._http.server_address[:2]
        return f"{host!s}:{port}"

    def run(self) -> None:
        """Rounds until :meth:`stop`; between rounds it sleeps until a file arrives, the next
        deadline is due or ``poll_interval`` passed. A round that fails with an engine or I/O error
        is logged and tried again after ``poll_interval``."""
        from ._errors import EngineError

        while not self._stop.is_set():
            if self._reload.is_set():
                self._reload.clear()
                self._reload_from_file()
            try:
                self.run_round()
            except (EngineError, OSError):
                # E.g. the store busy past its timeout, a full disk, a folder gone: nothing of the
                # round was kept (its files stay in inbound); try again after poll_interval.
                # /health turns failing while no round succeeds.
                self.metrics.round_failures.inc()
                log.exception("round failed; retrying after poll_interval")
                if not self._stop.is_set():
                    self._wait(self.config.poll_interval)
                continue
            if self._stop.is_set():
                break
            self._wait(self._timeout())

    def run_round(self) -> None:
        """One round: for each participant, receive the waiting inbound files, pump at now, hand
        over the answers."""
        t0 = time.perf_counter()
        for running in self._running:
            self._receive_waiting(running)
            now = self.clock.now()
            report = running.participant.pump(at=now)
            self._count_failure(running)  # the pump committed: the store works, a failed receipt was the file's
            self._count_pump(running, report)
            self._count_stats(running)
            self._hand_over(running)
            if running.config.receipts is not None:
                self._take_receipts(running)
        self.metrics.round_seconds.observe(time.perf_counter() - t0)
        self._set_gauges()
        self.rounds += 1
        self.last_round_end = time.time()

    def _set_gauges(self) -> None:
        m = self.metrics
        counts = getattr(self._engine, "runtime_counts", None)
        if counts is not None:
            self.last_counts = counts()
            m.outbox_pending.set(self.last_counts["outbox_pending"])
            m.outbox_dead.set(self.last_counts["outbox_dead"])
            m.dead_letters_stored.set(self.last_counts["dead_letters"])
        now = self.clock.now()
        wall_now = _dt.datetime.now(_dt.timezone.utc)
        for r in self._running:
            due = r.participant.next_deadline()
            if due is None:
                with contextlib.suppress(KeyError):  # had none before either
                    m.next_deadline.remove(r.config.name)
            else:
                m.next_deadline.labels(r.config.name).set(self.clock.wall_seconds(due - now))
            if r.config.receipts is not None:
                n, oldest = r.ledger.unacknowledged()
                m.unacknowledged.labels(r.config.name).set(n)
                m.unacknowledged_age.labels(r.config.name).set((wall_now - oldest).total_seconds() if oldest else 0.0)
            m.staged.labels(r.config.name).set(sum(1 for _ in r.config.staging.glob("*/outbox/*.edi")))

    def stop(self) -> None:
        """Asks :meth:`run` to return after the round in flight (safe from a signal handler)."""
        self._stop.set()
        self._poke()

    def request_reload(self) -> None:
        """Asks :meth:`run` to re-read the configuration file before its next round (SIGHUP)."""
        self._reload.set()
        self._poke()

    def close(self) -> None:
        """Stops HTTP, closes the store (checkpointed) and the ledgers, releases the store lock."""
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        for running in self._running:
            running.ledger.close()
        self._running = []
        if self._engine is not None:
            self._engine.close()
            self._engine = None
            from ._core import redacted_location

            log.info("stopped: store closed", extra={"store": redacted_location(str(self.config.store))})
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        if self._handler is not None:
            log.removeHandler(self._handler)
            self._handler.close()
            self._handler = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # health
    def health(self) -> Dict[str, Any]:
        """``status`` ok/failing: whether the store answers (read through its own read-only
        connection) and the loop goes round; ``rounds``, the last round's age, the gauges."""
        from . import history

        out: Dict[str, Any] = {"status": "ok", "pid": os.getpid(), "rounds": self.rounds}
        store: Dict[str, Any] = {"path": str(self.config.store)}
        try:
            if isinstance(self.config.store, str):  # PostgreSQL: a query on the server through the engine
                if self._engine is None:
                    raise RuntimeError("the store is not open")
                store["path"] = self._engine.location  # its password masked
                store["schema"] = self.config.schema
                store["head_position"] = self._engine.head_position()
            else:
                reader = history.open_reader(self.config.store)
                if reader is None:  # the store is a file: open_reader returns None only for an in-memory engine
                    raise RuntimeError("not a database file")
                store["schema_version"] = reader.schema_version
        except Exception as e:  # noqa: BLE001 - whatever it is, the store cannot be read
            out["status"] = "failing"
            store["error"] = str(e) or type(e).__name__
        store.update(self.last_counts)
        out["store"] = store
        age = None if self.last_round_end is None else time.time() - self.last_round_end
        out["last_round_age_seconds"] = age
        # Rounds come at least every poll_interval; a long silence means the loop is stuck.
        if age is not None and age > max(60.0, 10 * self.config.poll_interval):
            out["status"] = "failing"
            out["stuck"] = True
        return out

    # inbound
    def _receive_waiting(self, running: _Running) -> None:
        pc = running.config
        running.failed_now = None
        for path in _waiting_files(pc.inbound):
            if self._stop.is_set():
                return  # draining: what is left stays waiting for the next start
            try:
                data = path.read_bytes()
                st = path.stat()
            except FileNotFoundError:
                continue
            now = self.clock.now()
            m = self.metrics
            m.files_received.labels(pc.name).inc()
            # The transport stages the file's CONTRL/APERAK before the unit commits; what is new in
            # staging after a failed receipt belongs to a rolled-back unit and must never leave.
            # A process that dies in there leaves them staged: the marker tells the next start.
            staged_before = _staged(pc)
            _mark_receiving(pc, path.name, staged_before)
            try:
                receipt = running.participant.receive(data, name=path.name, at=now)
            except Exception as e:
                m.files_failed.labels(pc.name).inc()
                withdrawn = self._withdraw(running, staged_before)
                _receiving_marker(pc).unlink()
                running.failed_now = (path, (path.name, st.st_mtime_ns, st.st_size), f"{type(e).__name__}: {e}")
                log.exception("receipt failed and was rolled back; the file stays in inbound",
                              extra={"participant": pc.name, "file": path.name, "answers_withdrawn": withdrawn})
                return  # arrival order: nothing behind it is received before it
            running.failures.pop((path.name, st.st_mtime_ns, st.st_size), None)
            outcome = receipt.get("outcome", "")
            # A duplicate: the interrupted receipt held at start had committed, so its answers go out.
            self._release_held(running, path.name, committed=outcome == "duplicate")
            # As the directory transport settles: syntax rejections, AHB rejections of every
            # transaction and inbox duplicates go to rejected/.
            processed = outcome == "accepted"
            folder = pc.processed if processed else pc.rejected
            target = _free_name(folder, path.name)
            # Logged before the move: a file is never settled without its record (a crash between
            # the two leaves it in inbound, and the next start logs it as a duplicate).
            self._log_receipt(pc, path.name, target, receipt)
            os.rename(path, target)  # after the commit: a crash before this only makes a duplicate
            _fsync_dir(folder)
            _fsync_dir(pc.inbound)
            (m.files_processed if processed else m.files_rejected).labels(pc.name).inc()
            if outcome == "duplicate":
                m.files_duplicate.labels(pc.name).inc()
            self._hand_over(running)  # this receipt committed: its acknowledgements may leave now
            _receiving_marker(pc).unlink()

    def _hold_interrupted_receipt(self, running: _Running) -> None:
        """At start: the answers a receipt staged when the process died during it. Its file moved
        on (processed/rejected): it committed, they go out. Its file still waits in inbound: it may
        not have committed -- they are held in ``<work_dir>/held/<file>/`` until that file is
        received again (a duplicate then proves the commit: they go out; otherwise they are
        dropped, and the new receipt gives the answers) or is set aside."""
        pc = running.config
        marker = _receiving_marker(pc)
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except ValueError:  # cut by a power loss (never by a process dying): hand over, at least once
            log.warning("unreadable receiving.json ignored", extra={"participant": pc.name})
            marker.unlink()
            return
        name = info["file"]
        if (pc.inbound / name).exists():
            new = sorted(_staged(pc) - {pc.staging / p for p in info["staged_before"]})
            held = pc.work_dir / "held" / name
            for p in new:
                folder = held / p.parent.parent.name  # the recipient
                folder.mkdir(parents=True, exist_ok=True)
                os.rename(p, folder / p.name)
            for folder in {p.parent for p in new} | {held / p.parent.parent.name for p in new}:
                _fsync_dir(folder)
            if new:
                log.warning("a receipt was interrupted before it was known to commit; its answers are held until the file is "
                            "received again", extra={"participant": pc.name, "file": name, "held": [p.name for p in new]})
        marker.unlink()

    def _release_held(self, running: _Running, name: str, committed: bool) -> None:
        """The answers held for ``name`` back into staging (``committed``) or dropped."""
        pc = running.config
        held = pc.work_dir / "held" / name
        if not held.is_dir():
            return
        released = []
        for p in sorted(held.glob("*/*")):
            if committed and p.name.endswith(".edi"):
                outbox = pc.staging / p.parent.name / "outbox"
                outbox.mkdir(parents=True, exist_ok=True)
                os.rename(p, outbox / p.name)
                released.append(p.name)
            else:
                p.unlink()
        shutil.rmtree(held)
        _fsync_dir(held.parent)
        what = "released: it had committed" if committed else "dropped: it had not committed"
        log.info("held answers of an interrupted receipt " + what, extra={"participant": pc.name, "file": name, "released": released})

    def _withdraw(self, running: _Running, staged_before: set) -> int:
        """Deletes what a failed receipt staged (its unit was rolled back); returns how many."""
        pc = running.config
        new = _staged(pc) - staged_before
        for p in new:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        for folder in {p.parent for p in new}:
            _fsync_dir(folder)
        if new:
            self.metrics.answers_withdrawn.labels(pc.name).inc(len(new))
        return len(new)

    def _count_failure(self, running: _Running) -> None:
        """After the round's pump committed: the failed receipt counts against its file; at
        ``max_receipt_attempts`` the file is set aside to quarantine/ with a reason file."""
        if running.failed_now is None:
            return
        path, key, error = running.failed_now
        running.failed_now = None
        pc = running.config
        attempts = running.failures.get(key, 0) + 1
        running.failures[key] = attempts
        if attempts < self.config.max_receipt_attempts:
            return
        folder = pc.quarantine_dir
        target = _free_name(folder, path.name)
        reason = {"file": path.name, "participant": pc.name, "attempts": attempts, "last_error": error,
                  "at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                  "note": "never received: nothing of it is in the store and no answer left; fix the cause, then move the file "
                          "(not this .reason.json) back into the inbound folder"}
        tmp = folder / f".{target.name}.reason.json.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(reason, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        log.error("file set aside after failed receipts", extra={"participant": pc.name, "file": path.name, "moved_to": str(target),
                                                                "attempts": attempts, "error": error})
        try:
            os.rename(path, target)
        except FileNotFoundError:  # taken away meanwhile
            tmp.unlink()
            return
        os.rename(tmp, folder / f"{target.name}.reason.json")
        _fsync_dir(folder)
        _fsync_dir(pc.inbound)
        del running.failures[key]
        self._release_held(running, path.name, committed=False)  # never received: none of its answers may leave
        self.metrics.files_quarantined.labels(pc.name).inc()
        self._poke()  # the files behind it need not wait for the next wake-up

    def _log_receipt(self, pc: ParticipantConfig, name: str, target: Path, receipt: Dict[str, Any]) -> None:
        base = {"participant": pc.name, "file": name, "moved_to": str(target), "outcome": receipt.get("outcome"),
                "sender": receipt.get("sender"), "interchange": receipt.get("interchange_reference")}
        txs = receipt.get("transactions", [])
        if receipt.get("error"):
            base["error"] = receipt["error"]
        if not txs:
            log.info("file received", extra=base)
        for t in txs:
            process = t.get("process")
            extra = dict(base, pid=t.get("pid"), vorgangsnummer=t.get("transaction"), kind=t.get("kind"),
                         workflow=t.get("workflow"), process_id=str(process.process_id) if process is not None else None)
            if t.get("reason"):
                extra["reason"] = t["reason"]
            (log.info if t.get("kind") == "executed" else log.warning)("transaction " + str(t.get("kind")), extra=extra)

    def _count_pump(self, running: _Running, report: Dict[str, int]) -> None:
        n = running.config.name
        self.metrics.deadlines_fired.labels(n).inc(report.get("deadlines_fired", 0))
        self.metrics.messages_sent.labels(n).inc(report.get("messages_sent", 0) - report.get("messages_failed", 0))
        self.metrics.messages_failed.labels(n).inc(report.get("messages_failed", 0))
        if report.get("deadlines_fired"):
            log.info("deadlines fired", extra={"participant": n, "count": report["deadlines_fired"]})

    def _count_stats(self, running: _Running) -> None:
        now, before = running.participant.stats(), running.stats
        d = {k: now[k] - before.get(k, 0) for k in now}
        n = running.config.name
        self.metrics.transactions_executed.labels(n).inc(d["executed"])
        self.metrics.dead_letters.labels(n).inc(d["dead_lettered"] + d["refused"] + d["failed"] + d.get("ahb_rejected", 0))
        self.metrics.acks_sent.labels(n).inc(d["contrl_sent"] + d["aperak_sent"])
        running.stats = now

    # outbound
    def _hand_over(self, running: _Running) -> None:
        """Renames the staged answers into the outbound folder, each answer once."""
        pc, ledger = running.config, running.ledger
        out = pc.outbound
        # Interrupted hand-overs first: renamed already (gone from staging) or not yet.
        for key, name in ledger.moving():
            for staged in pc.staging.glob(f"*/outbox/{name}"):
                os.rename(staged, out / name)
            _fsync_dir(out)
            ledger.mark(key, name, "done")
        staged_files = sorted(pc.staging.glob("*/outbox/*.edi"), key=lambda p: p.name)
        for staged in staged_files:
            parts = _parse_market_file_name(staged.name)
            key = "|".join(parts) if parts else staged.name
            seen = ledger.state(key)
            if seen is not None:
                # The same answer again: a round that sent it crashed before its commit.
                staged.unlink()
                self.metrics.answers_suppressed.labels(pc.name).inc()
                log.info("answer sent again after a restart; already handed over", extra={"participant": pc.name, "file": staged.name})
                continue
            ledger.mark(key, staged.name, "moving")
            os.rename(staged, out / staged.name)
            _fsync_dir(out)
            ledger.mark(key, staged.name, "done")
            self.metrics.answers_handed_over.labels(pc.name).inc()
            log.info("answer handed over", extra={"participant": pc.name, "file": staged.name,
                                                  "recipient": parts[1] if parts else None, "kind": parts[2] if parts else None})

    def _take_receipts(self, running: _Running) -> None:
        """Gateway receipts: a file in ``receipts`` whose name begins with the name of an answer
        handed over (e.g. ``<answer>.edi.receipt``) marks that answer acknowledged; the receipt is
        kept in ``<work_dir>/receipts/`` (or ``receipts-unmatched/`` when it names no answer)."""
        pc = running.config
        assert pc.receipts is not None
        for path in _waiting_files(pc.receipts):
            answer = path.name[:path.name.index(".edi") + 4] if ".edi" in path.name else path.name
            matched = running.ledger.acknowledge(answer)
            folder = pc.work_dir / ("receipts" if matched else "receipts-unmatched")
            folder.mkdir(exist_ok=True)
            os.rename(path, _free_name(folder, path.name))
            if matched:
                self.metrics.answers_acknowledged.labels(pc.name).inc()
                log.info("answer acknowledged by the gateway", extra={"participant": pc.name, "file": answer})
            else:
                self.metrics.receipts_unmatched.labels(pc.name).inc()
                log.warning("receipt names no answer handed over", extra={"participant": pc.name, "receipt": path.name})

    # waiting
    def _watch(self) -> None:
        if self.config.watch == "poll":
            return  # e.g. folders on NFS or SMB, where inotify sees no remote writes
        try:
            import inotify_simple
        except ImportError:
            log.warning("inotify_simple is not installed: polling the inbound folders every poll_interval")
            return
        self._inotify = inotify_simple.INotify()
        mask = inotify_simple.flags.MOVED_TO | inotify_simple.flags.CLOSE_WRITE
        for r in self._running:
            for folder in (r.config.inbound, r.config.receipts):
                if folder is not None:
                    self._inotify.add_watch(folder, mask)

    def _timeout(self) -> float:
        timeout = self.config.poll_interval
        now = self.clock.now()
        for r in self._running:
            due = r.participant.next_deadline()
            if due is not None:
                timeout = min(timeout, max(0.0, self.clock.wall_seconds(due - now)))
        return timeout

    def _wait(self, timeout: float) -> None:
        fds = [self._wake_r] + ([self._inotify.fileno()] if self._inotify is not None else [])
        try:
            ready, _, _ = select.select(fds, [], [], timeout)
        except InterruptedError:
            return
        if self._wake_r in ready:
            with contextlib.suppress(BlockingIOError):
                os.read(self._wake_r, 4096)
        if self._inotify is not None and self._inotify.fileno() in ready:
            self._inotify.read(timeout=0)

    def _poke(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._wake_w, b"x")

    def _reload_from_file(self) -> None:
        if self.config.path is None:
            log.warning("reload asked, but the configuration was not read from a file")
            return
        try:
            new = load_config(self.config.path)
        except ConfigError as e:
            log.error("reload refused, the running configuration stays", extra={"key": e.key, "error": str(e)})
            return
        changed = [f.name for f in dataclasses.fields(Config) if getattr(new, f.name) != getattr(self.config, f.name)]
        restart = [k for k in changed if k not in Config.RELOADABLE and k != "path"]
        self.config = dataclasses.replace(self.config, log_level=new.log_level, poll_interval=new.poll_interval,
                                          max_receipt_attempts=new.max_receipt_attempts)
        log.setLevel(new.log_level.upper())
        log.info("configuration reloaded", extra={"applied": [k for k in changed if k in Config.RELOADABLE],
                                                  "needs_restart": restart, "log_level": new.log_level,
                                                  "poll_interval": new.poll_interval,
                                                  "max_receipt_attempts": new.max_receipt_attempts})


def install_signal_handlers(service: Service) -> None:
    """SIGTERM/SIGINT: drain and stop; SIGHUP: reload. Main thread only."""
    signal.signal(signal.SIGTERM, lambda *_: service.stop())
    signal.signal(signal.SIGINT, lambda *_: service.stop())
    signal.signal(signal.SIGHUP, lambda *_: service.request_reload())
