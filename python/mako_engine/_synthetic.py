"""Synthetic GPKE-shaped histories for tests, benchmarks and the example notebook.

Writes, through the C++ bulk importer (``_core._import_history``), NB-side supplier-switch
processes as the GPKE workflow ``gpke.lieferbeginn.nb`` records them (event and payload shapes of
``cpp/include/mako/domain/gpke/{nb_lieferbeginn,step_log}.hpp``), with timestamps spread over days,
and their ``answer-55002`` deadlines. Deterministic for a seed. Not a simulation: for real traffic
use :func:`mako_engine.market.simulate`.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import random
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple, Union

from . import _core
from ._event_names import (
    ANMELDUNG_CONFIRMED,
    ANMELDUNG_RECEIVED,
    ANMELDUNG_REJECTED,
    ANSWER_DEADLINE_MISSED,
    MESSAGE_SENT,
)

__all__ = ["SyntheticHistory", "write_gpke_history", "write_bulk_events"]

WORKFLOW = "gpke.lieferbeginn.nb"
FORMAT_VERSION = _core.DEFAULT_FORMAT_VERSION
_NS = 1_000_000_000
_LFN, _NB = "9904590000002", "9900467000000"


def _iso(ns: int) -> str:
    return _dt.datetime.fromtimestamp(ns / _NS, tz=_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ns(d: _dt.datetime) -> int:
    return int(d.replace(tzinfo=_dt.timezone.utc).timestamp()) * _NS


@dataclass
class SyntheticHistory:
    """What :func:`write_gpke_history` wrote, for assertions."""

    path: str
    tenant: str
    processes: List[str] = field(default_factory=list)
    events: int = 0
    confirmed: List[str] = field(default_factory=list)
    rejected: List[str] = field(default_factory=list)
    late_55002: List[str] = field(default_factory=list)  # 55002 sent after its due instant
    unanswered: List[str] = field(default_factory=list)  # no answer at the deadline: AnswerDeadlineMissed
    due_55002: Dict[str, int] = field(default_factory=dict)  # process -> due (ns)


def write_gpke_history(path: Union[str, os.PathLike[str]], processes: int = 40, seed: int = 7,
                       start: _dt.date = _dt.date(2026, 3, 2), days: int = 40,
                       schema: Optional[str] = None) -> SyntheticHistory:
    """Appends ``processes`` NB Lieferbeginn processes to the SQLite file ``path`` (created if needed)
    or the PostgreSQL store at that connection string (``schema``, default ``mako``), one tenant,
    starts spread over ``days`` days from ``start``; about 70 % confirmed in time, 10 % confirmed
    late (55002 after 11:00 local), 10 % rejected, 10 % still open with the answer deadline missed.
    Returns what was written."""
    rng = random.Random(seed)
    tenant = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    out = SyntheticHistory(os.fspath(path), tenant)
    tenants: List[str] = []
    procs: List[str] = []
    types: List[str] = []
    times: List[int] = []
    payloads: List[str] = []
    deadlines: List[Tuple[str, str, str, int, str, Optional[int], str]] = []

    def add(process: str, etype: str, at: int, data: dict) -> None:
        tenants.append(tenant)
        procs.append(process)
        types.append(etype)
        times.append(at)
        payloads.append(json.dumps({"type": etype, "data": data}, separators=(",", ":")))

    for i in range(processes):
        process = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        out.processes.append(process)
        day = start + _dt.timedelta(days=rng.randrange(days))
        received = _ns(_dt.datetime(day.year, day.month, day.day, 8)) + rng.randrange(9 * 3600) * _NS
        next_day = _ns(_dt.datetime(day.year, day.month, day.day)) + 86_400 * _NS
        due_55036 = next_day + 6 * 3600 * _NS    # 07:00 local (CET) of the next WT, simplified
        due_55002 = next_day + 10 * 3600 * _NS   # 11:00 local
        malo = f"5{rng.randrange(10**9):09d}0"
        ref = f"GP{i:016X}"
        start_day = day + _dt.timedelta(days=14)
        anmeldung = {"pid": "55001", "transaction_reference": ref, "malo": malo, "start": start_day.isoformat(),
                     "transaction_reason": "E03", "sender": _LFN, "receiver": _NB}
        add(process, ANMELDUNG_RECEIVED, received, {"anmeldung": anmeldung, "received_at": _iso(received),
                                                     "latest_uebertragungstag": (start_day - _dt.timedelta(days=2)).isoformat(),
                                                     "stammdaten": {}})
        add(process, MESSAGE_SENT, received, {"step": "Send55036", "pid": "55036", "recipient": "9900000000001",
                                               "transaction_reference": ref, "due": _iso(due_55036), "sent_at": _iso(received),
                                               "met": True})
        roll = rng.random()
        out.due_55002[process] = due_55002
        if roll < 0.1:  # open at the deadline: the watchdog records it
            add(process, ANSWER_DEADLINE_MISSED, due_55002, {"deadline": "answer-55002", "due": _iso(due_55002), "at": _iso(due_55002)})
            deadlines.append((tenant, process, "answer-55002", due_55002, "fired", due_55002, ""))
            out.unanswered.append(process)
        elif roll < 0.2:
            at = received + rng.randrange(3600, 6 * 3600) * _NS
            add(process, ANMELDUNG_REJECTED, at, {"reason": "precondition_failed", "answer_code": "E14", "decided_at": _iso(at)})
            add(process, MESSAGE_SENT, at, {"step": "Send55003", "pid": "55003", "recipient": "9900000000001",
                                             "transaction_reference": ref, "due": _iso(due_55002), "sent_at": _iso(at),
                                             "met": at <= due_55002})
            deadlines.append((tenant, process, "answer-55002", due_55002, "moot", due_55002, "answered in time"))
            out.rejected.append(process)
        else:
            late = roll < 0.3
            at = due_55002 + rng.randrange(60, 4 * 3600) * _NS if late else received + rng.randrange(600, 12 * 3600) * _NS
            at = min(at, due_55002 - _NS) if not late else at
            add(process, ANMELDUNG_CONFIRMED, at, {"decided_at": _iso(at), "basis": "no_lfa"})
            add(process, MESSAGE_SENT, at, {"step": "Send55002", "pid": "55002", "recipient": "9900000000001",
                                             "transaction_reference": ref, "due": _iso(due_55002), "sent_at": _iso(at), "met": not late})
            deadlines.append((tenant, process, "answer-55002", due_55002, "fired" if late else "moot", due_55002,
                              "" if late else "answered in time"))
            out.confirmed.append(process)
            if late:
                out.late_55002.append(process)
    # the importer commits consecutive rows of one process together: order by process, then time
    order = sorted(range(len(types)), key=lambda k: (out.processes.index(procs[k]), times[k]))
    pick = lambda xs: [xs[k] for k in order]  # noqa: E731
    out.events = _core._import_history(out.path, WORKFLOW, FORMAT_VERSION, pick(tenants), pick(procs), pick(types), pick(times),
                                       pick(payloads), deadlines, schema=schema)
    return out


def write_bulk_events(path: Union[str, os.PathLike[str]], events: int, events_per_process: int = 10, seed: int = 1,
                      start_ns: int = 1_772_323_200 * _NS) -> int:
    """Appends ``events`` small events (``events_per_process`` per process, five event types, one
    payload field) to ``path`` quickly, for benchmarks; returns the number written."""
    rng = random.Random(seed)
    tenant = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    kinds = ["Registered", "Activated", "Deactivated", "Noted", "Closed"]
    written = 0
    chunk = 100_000
    while written < events:
        n = min(chunk, events - written)
        procs, types, times, payloads = [], [], [], []
        process = ""
        for k in range(n):
            g = written + k
            if g % events_per_process == 0:
                process = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            procs.append(process)
            t = kinds[g % len(kinds)]
            types.append(t)
            times.append(start_ns + g * 60 * _NS)
            payloads.append(f'{{"type":"{t}","data":{{"n":{g}}}}}')
        written += _core._import_history(os.fspath(path), "bench", FORMAT_VERSION, [tenant] * n, procs, types, times, payloads,
                                         commits_per_transaction=5000)
    return written
