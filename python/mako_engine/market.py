"""The market: EDIFACT files in, workflow commands executed, answers out (C++ ``mako::market``).

A :class:`Participant` is one market partner's running engine: the inbound pipeline (parse and
validate, CONTRL 7/4, inbox dedup, routing each UTILMD transaction by its PID, dead letters and
APERAK 313), the deadline scheduler and the outbox worker that renders answers into EDIFACT files.
Routes come from a :class:`RouteTable`: the GPKE defaults of the Netzbetreiber (:meth:`RouteTable.nb`)
or the Lieferant (:meth:`RouteTable.lf`), plus your own rows -- also to **Python workflows**, which
then run through the same router as the C++ ones::

    class Anfrage99(mk.Workflow):               # handles a PID GPKE does not cover
        name = "my.pid55099"
        def initial_state(self): return {"n": 0}
        def apply(self, s, e): return {"n": s["n"] + 1}
        def handle(self, s, cmd): return [{"type": "Received", "data": cmd["data"]["request"]}]

    routes = market.RouteTable.nb().spawn("55099", Anfrage99, command_type="ReceiveRequest",
                                          vorgang_field="request")
    nb = market.Participant(engine, NB, routes, master_data=market.NbMasterData())
    receipt = nb.receive(edifact_bytes, at=some_utc_datetime)   # CONTRL 7 + the workflow's events

:func:`ingest` receives a folder of EDIFACT files into a SQLite database and writes the answers
into an outbound folder (what ``mako-engine ingest`` runs). :func:`simulate` runs the LF <-> NB
simulation (two engines exchanging real EDIFACT files through folders over simulated weeks) and
returns its report as a dict.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import os
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Union

from . import _core
from ._core import MpId, NbMasterData
from ._errors import InvalidInput
from ._workflow import workflow_name

__all__ = ["NbMasterData", "Route", "RouteTable", "Participant", "ingest", "simulate", "summarize_history"]


@dataclasses.dataclass
class Route:
    """One PID route: which workflow (by name), ``"spawn"`` a new process or ``"resume"`` the one
    registered under ``correlation_kind`` + the transaction's RFF+TN, and the JSON command
    ``{"type": command_type, "data": {vorgang_field: <UtilmdVorgang>, "received_at": ...}}``."""

    pid: str
    workflow: str
    action: str = "spawn"
    command_type: str = "ReceiveRequest"
    vorgang_field: str = "request"
    correlation_kind: str = "vorgang"
    needs_nb_master_data: bool = False


class RouteTable:
    """PID → :class:`Route`, plus the Python workflows the rows name (registered with the
    participant under their names)."""

    def __init__(self, routes: Sequence[Route] = ()) -> None:
        """A table with the given rows (none by default; see :meth:`nb` and :meth:`lf`)."""
        self.routes: Dict[str, Route] = {r.pid: r for r in routes}
        self.python_workflows: Dict[str, Any] = {}

    @classmethod
    def nb(cls) -> RouteTable:
        """The Netzbetreiber's GPKE routes (55001, 55011/55012, 55004, 55008/55009)."""
        return cls([Route(**row) for row in _core.market_nb_routes()])

    @classmethod
    def lf(cls) -> RouteTable:
        """The Lieferant's GPKE routes, as LFN and as LFA (55036/55002/55003, 55010, 55037, ...)."""
        return cls([Route(**row) for row in _core.market_lf_routes()])

    def _workflow(self, workflow: Any, name: Optional[str]) -> str:
        if isinstance(workflow, str):
            return workflow
        if isinstance(workflow, type):
            workflow = workflow()
        key = name or workflow_name(workflow)
        self.python_workflows[key] = workflow
        return key

    def spawn(
        self,
        pid: str,
        workflow: Any,
        *,
        command_type: str = "ReceiveRequest",
        vorgang_field: str = "request",
        name: Optional[str] = None,
        needs_nb_master_data: bool = False,
    ) -> RouteTable:
        """Routes ``pid`` to a new process of ``workflow`` (a registered name, or a Python workflow
        class/instance registered under ``name`` or its own name). Returns the table."""
        key = self._workflow(workflow, name)
        self.routes[pid] = Route(pid, key, "spawn", command_type, vorgang_field, "vorgang", needs_nb_master_data)
        return self

    def resume(
        self,
        pid: str,
        workflow: Any,
        *,
        command_type: str = "ReceiveAnswer",
        vorgang_field: str = "answer",
        correlation_kind: str = "vorgang",
        name: Optional[str] = None,
    ) -> RouteTable:
        """Routes ``pid`` to the process registered under ``correlation_kind`` + the transaction's
        RFF+TN (a workflow registers keys with :class:`~mako_engine.RegistryEntry`)."""
        key = self._workflow(workflow, name)
        self.routes[pid] = Route(pid, key, "resume", command_type, vorgang_field, correlation_kind, False)
        return self

    def __repr__(self) -> str:
        return f"RouteTable({sorted(self.routes)})"


def _sender_of(data: bytes) -> str:
    from . import edifact

    try:
        return edifact.parse(data, check_market_partners=False).sender.id
    except (edifact.ParseError, TypeError):
        return "unknown"


class Participant:
    """One market partner's engine: inbound pipeline, deadline scheduler and outbox worker.

    ``engine``: a :class:`~mako_engine.Engine` (its stores, outbox, deadlines and registry are
    used); ``mp_ids``: the MP-ID(s) it receives for (one tenant each,
    ``TenantId.from_party_id``); ``routes``: default the GPKE routes of ``role`` (``"nb"`` when
    ``master_data`` is given, else ``"lf"``); ``directory``: a folder for the directory transport
    (``<dir>/<partner>/{inbox,outbox,processed,rejected}``; a file is written under a temporary
    name, fsynced and renamed before the outbox marks its message delivered), default in memory:
    then the answers stay in memory until :meth:`take_sent` collects them, and are lost if nobody
    does. ``mp_ids`` are validated (check digit). An NB's ``master_data`` follows the switches it confirms: after an
    ``AnmeldungConfirmed`` the MaLo belongs to the new supplier from the start date, so the next
    55001 for it asks that supplier (55010). Time: every call takes ``at`` (an aware datetime) and fixes the
    participant's clock there; without one it keeps the last ``at`` or, if none was given, runs on
    the system clock.

    Acknowledgements (docs/conformance.md): a CONTRL per received file (UCI 7, or 4 with the
    syntax error code where the fault is), an APERAK 313 per Geschäftsvorfall that cannot be
    processed (Z31 PID not processed here, Z33 referenced Vorgang unknown, Z29 refused by the
    process) and, with ``send_positive_aperak``, an APERAK 312 per Geschäftsvorfall the process
    accepted. Their MIG release follows the date of the clock.
    """

    def __init__(
        self,
        engine: Any,
        mp_ids: Union[str, Sequence[str]],
        routes: Optional[RouteTable] = None,
        *,
        role: Optional[str] = None,
        name: str = "participant",
        directory: Union[str, os.PathLike[str], None] = None,
        master_data: Optional[NbMasterData] = None,
        send_positive_aperak: bool = False,
    ) -> None:
        """See the class docstring."""
        if isinstance(mp_ids, str):
            mp_ids = [mp_ids]
        for mp_id in mp_ids:
            why = MpId.why_invalid(mp_id)
            if why:
                raise InvalidInput(f"mp_ids: {why}")
        if role not in (None, "nb", "lf"):
            raise InvalidInput(f"role must be 'nb' or 'lf', not {role!r}")
        if routes is None:
            role = role or ("nb" if master_data is not None else "lf")
            routes = RouteTable.nb() if role == "nb" else RouteTable.lf()
        if master_data is None and any(r.needs_nb_master_data for r in routes.routes.values()):
            master_data = NbMasterData()
        self.routes_table = routes
        self.master_data = master_data
        self._core = _core.MarketParticipant(
            engine._core if hasattr(engine, "_core") else engine,
            name,
            list(mp_ids),
            [dataclasses.asdict(r) for r in routes.routes.values()],
            dict(routes.python_workflows),
            os.fspath(directory) if directory is not None else None,
            master_data,
            send_positive_aperak,
        )

    def receive(
        self,
        data: Union[bytes, str],
        partner: Optional[str] = None,
        *,
        name: str = "inbound.edi",
        at: Optional[_dt.datetime] = None,
    ) -> Dict[str, Any]:
        """Receives one EDIFACT file (wire bytes) from ``partner`` (default: the UNB sender) and
        returns the receipt: ``outcome`` ('accepted', 'syntax_rejected', 'duplicate'), ``error``,
        ``transactions`` (per UTILMD transaction: ``kind`` 'executed' / 'dead_lettered' / 'refused'
        / 'failed', ``pid``, ``workflow``, ``process`` (ProcessIdentity), ``events``, ``reason``)."""
        if isinstance(data, str):
            data = data.encode("latin-1")
        if partner is None:
            partner = _sender_of(data)
        return self._core.receive(data, partner, name, at)

    def receive_file(self, path: Union[str, os.PathLike[str]], partner: Optional[str] = None, *,
                     at: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        """Like :meth:`receive` for a file on disk."""
        with open(path, "rb") as f:
            data = f.read()
        return self.receive(data, partner, name=os.path.basename(os.fspath(path)), at=at)

    def drop_inbound(self, partner: str, filename: str, data: bytes) -> None:
        """Puts a file into ``partner``'s inbox; :meth:`poll` or :meth:`pump` receives it."""
        self._core.drop_inbound(partner, filename, data)

    def poll(self, at: Optional[_dt.datetime] = None) -> List[Dict[str, Any]]:
        """Receives (and settles) every waiting inbound file; their receipts."""
        return self._core.poll(at)

    def pump(self, at: Optional[_dt.datetime] = None) -> Dict[str, int]:
        """One round at ``at``: due deadlines fire, waiting files are received, due outbox messages
        are rendered and sent. Counts of each: ``deadlines_fired``, ``files_received``,
        ``messages_sent`` and, of those, ``messages_failed`` (not handed over: retried later, or
        dead-lettered after too many attempts)."""
        return self._core.pump(at)

    def take_sent(self) -> List[Dict[str, Any]]:
        """The files sent so far (in-memory transport): dicts with ``recipient``, ``name``,
        ``bytes``; removed from the transport."""
        return self._core.take_sent()

    def next_deadline(self) -> Optional[_dt.datetime]:
        """The due time of the soonest pending deadline, or None."""
        return self._core.next_deadline()

    def stats(self) -> Dict[str, int]:
        """The inbound pipeline's counters (files, accepted, duplicates, executed, dead_lettered ...)."""
        return self._core.stats()

    def routes(self) -> List[Dict[str, Any]]:
        """The route table in use, one dict per PID."""
        return self._core.routes()

    def workflows(self) -> List[str]:
        """The workflow names the participant routes to (GPKE plus the Python ones)."""
        return self._core.workflows()

    @property
    def mp_ids(self) -> List[str]:
        """The MP-IDs this participant receives for."""
        return list(self._core.mp_ids)

    def __repr__(self) -> str:
        return f"Participant(name={self._core.name!r}, mp_ids={self.mp_ids!r})"


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")


def _rejection(receipt: Dict[str, Any]) -> Optional[str]:
    """Why a received file was not (wholly) ingested, or None."""
    if receipt.get("outcome") == "syntax_rejected":
        return f"rejected with CONTRL 4: {receipt.get('error', '')}"
    failed = [t for t in receipt.get("transactions", []) if t.get("kind") != "executed"]
    if not failed:
        return None
    return "; ".join(f"transaction {t.get('transaction', '?')} (PID {t.get('pid', '?')}) {t.get('kind')}: {t.get('reason', '')}"
                     for t in failed)


def ingest(
    database: Union[str, os.PathLike[str]],
    folder: Union[str, os.PathLike[str]],
    mp_id: str,
    *,
    role: str = "nb",
    outbound: Union[str, os.PathLike[str], None] = None,
    progress: Optional[Callable[[Iterable[Path], int], Iterable[Path]]] = None,
    schema: Optional[str] = None,
) -> Dict[str, Any]:
    """Receives every file of ``folder`` (recursively; hidden files skipped; in name order) into the
    SQLite ``database`` (or the PostgreSQL store a connection string names, in ``schema``, default
    ``mako``; then ``outbound`` is required) as market partner ``mp_id`` with the GPKE routes of ``role`` (``"nb"`` /
    ``"lf"``), then runs one pump round: the answers -- CONTRL, APERAK and the workflows' UTILMDs,
    e.g. the 55003 for a rejected 55001 -- are written into ``outbound`` (default: the folder
    ``<database name>-outbound`` next to the database) as ``<outbound>/<recipient>/outbox/*.edi``
    (:class:`Participant` with a directory transport). An outbox message counts as delivered only
    once its file is fsynced and renamed into place; one that could not be written stays pending and
    is retried by the next run.

    Raises :class:`~mako_engine.InvalidInput` for an invalid ``mp_id``, a ``role`` other than
    nb/lf, a missing folder or a ``database`` that is not a mako database (and ``SchemaTooNew`` /
    ``CorruptStore`` as :func:`mako_engine.history.open_reader`). A new database is created only when
    at least one file was accepted: otherwise nothing is left behind but the answers.

    Returns ``files``, ``accepted``, ``duplicate``, ``syntax_rejected``, ``failed`` (files whose
    receipt raised), ``rejected`` (one ``{"file", "reason"}`` per file not or not wholly ingested:
    CONTRL 4, a transaction dead-lettered, refused or failed, or an error), ``answers_written``,
    ``answers_failed``, ``outbound`` and ``database`` (its path, or None when none was created).
    """
    from ._engine import Engine
    from ._source import open_reader

    why = MpId.why_invalid(mp_id)
    if why:
        raise InvalidInput(f"mp_id: {why}")
    if role not in ("nb", "lf"):
        raise InvalidInput(f"role must be 'nb' or 'lf', not {role!r}")
    source = Path(folder)
    if not source.is_dir():
        raise InvalidInput(f"no such directory: {source}")
    postgres = _core.is_postgres_location(os.fspath(database))
    if postgres and outbound is None:
        raise InvalidInput("outbound: required when the database is a PostgreSQL store (there is no folder next to it)")
    db = Path(database)
    out = Path(outbound) if outbound is not None else db.parent / f"{db.stem}-outbound"
    files = sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))
    report: Dict[str, Any] = {"files": len(files), "accepted": 0, "duplicate": 0, "syntax_rejected": 0, "failed": 0,
                              "rejected": [], "answers_written": 0, "answers_failed": 0, "outbound": str(out), "database": None}
    if not files:
        return report
    created = not postgres and not db.exists()
    if not created and not postgres:
        open_reader(db)  # a mako database, readable by this version -- or raise before writing
    engine = Engine.open(os.fspath(database), schema=schema)
    try:
        participant = Participant(engine, mp_id, role=role, directory=out)
        for path in (progress(files, len(files)) if progress else files):
            try:
                receipt = participant.receive_file(path)
            except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
                report["failed"] += 1
                report["rejected"].append({"file": str(path), "reason": str(e) or type(e).__name__})
                continue
            outcome = receipt.get("outcome", "")
            if outcome in report:
                report[outcome] += 1
            reason = _rejection(receipt)
            if reason:
                report["rejected"].append({"file": str(path), "reason": reason})
        pumped = participant.pump()
        stats = participant.stats()
    finally:
        # Close the database now (checkpointed: the file alone holds everything), not whenever the
        # garbage collector gets to the engine.
        participant = None  # type: ignore[assignment]
        engine.close()
    report["answers_failed"] = pumped.get("messages_failed", 0)
    report["answers_written"] = stats["contrl_sent"] + stats["aperak_sent"] + pumped["messages_sent"] - report["answers_failed"]
    if created and report["accepted"] == 0:
        # Nothing was ingested: a syntax rejection writes nothing but its CONTRL (already in the
        # outbound folder), so the new file holds nothing. Leave no database behind.
        _remove_database(db)
    else:
        report["database"] = _core.redacted_location(os.fspath(database)) if postgres else str(db)
    return report


def summarize_history(engine: Any) -> Dict[str, Any]:
    """What happened, read back from an engine's events alone: processes per workflow, LFN / NB /
    LFA outcomes, MessageSent deadlines met and missed per PID, missed answer deadlines."""
    return _core.market_summarize_history(engine._core if hasattr(engine, "_core") else engine)


def simulate(
    out_dir: Union[str, os.PathLike[str]],
    customers: int = 200,
    seed: int = 42,
    durability: str = "relaxed",
    *,
    first_day: Optional[_dt.date] = None,
    last_day: Optional[_dt.date] = None,
    old_suppliers: int = 3,
    instants_per_unit: int = 1,
    store: Optional[str] = None,
    schema_prefix: str = "mako_sim",
    instances: int = 1,
) -> Dict[str, Any]:
    """Runs the LF <-> NB market simulation: ``customers`` supplier switches (scenarios drawn by
    ``seed``: direct assignment, LFA consent / silence / late answer / rejection, missed lead time,
    duplicate and corrupted files, unknown PID, and the NB answering 55002 / 55003 after 11:00 from
    its backlog) between two engines exchanging EDIFACT files under
    ``out_dir/exchange``. ``durability``: 'durable' / 'relaxed' SQLite files ``out_dir/{lf,nb}.sqlite``
    (recreated), or 'memory'. ``instants_per_unit``: simulated instants per unit of work (1: each
    instant commits before the clock moves on; more: group commit, fewer commits and fsyncs, same
    outcomes). ``store``: a PostgreSQL connection string instead of the SQLite files: LF and NB in
    the schemas ``<schema_prefix>_lf`` and ``<schema_prefix>_nb`` of its database (created; they must
    hold no events yet), the EDIFACT files still under ``out_dir/exchange``. ``instances``: engine
    instances per market participant (PostgreSQL ``store`` only, with ``instants_per_unit`` 1), each
    with its own connections to the participant's schema, all running at once (one thread each) and
    sharing its work: the driver's commands in turn, each inbound file to one instance, the outbox
    and the deadlines through the store's claims; the outcomes are those of one instance. Returns
    the report: ``scenarios``, ``expected_outcomes``, ``actual_outcomes``, ``outcomes_match``,
    ``lf`` / ``nb`` history summaries, ``traffic``, pipeline stats, dead letters, simulated period,
    ``clock_steps``, ``units_committed`` (with several instances: pump rounds), ``instances``,
    ``lf_instances`` / ``nb_instances`` (per instance: deadlines fired, files received, messages
    sent), ``wall_seconds``, ``databases``, ``text``."""
    for name, value, least in (("customers", customers, 1), ("seed", seed, 0), ("old_suppliers", old_suppliers, 0),
                               ("instants_per_unit", instants_per_unit, 1), ("instances", instances, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise InvalidInput(f"{name} must be a whole number of at least {least}, not {value!r}")
    if store is not None and not _core.is_postgres_location(store):
        raise InvalidInput(f"store: {store!r} is not a PostgreSQL connection string (postgresql://... or 'host=... dbname=...'); "
                           "without store the SQLite files go into out_dir")
    if instances > 1 and store is None:
        raise InvalidInput(f"instances={instances} needs a PostgreSQL store: instances share a participant's store, "
                           "and the SQLite files are one engine's each")
    if instances > 1 and instants_per_unit > 1:
        raise InvalidInput(f"instances={instances} needs instants_per_unit=1: a unit of work over several instants "
                           "would hold its streams' rows and the log horizon against the other instances")
    return _core.market_simulate(os.fspath(out_dir), customers, seed, durability, first_day, last_day, old_suppliers,
                               instants_per_unit, store, schema_prefix, instances)
