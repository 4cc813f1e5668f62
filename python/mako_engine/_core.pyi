"""Type stubs of mako_engine._core, the pybind11 module (C++ engine). Use the mako_engine package."""

import datetime
import uuid
from typing import Any, ClassVar, Optional, Union, overload

from typing_extensions import Self

DEFAULT_FORMAT_VERSION: str

def registered_workflows() -> list[str]:
    """Names of the built-in C++ workflows that Engine.spawn() accepts."""

class _Id:
    def __init__(self, value: Union[str, uuid.UUID, None] = None) -> None:
        """A fresh random id (UUIDv4) without an argument, else the parsed id; InvalidInput when malformed."""
    @property
    def uuid(self) -> uuid.UUID:
        """The id as a uuid.UUID."""
    def __eq__(self, other: object) -> bool: ...
    def __lt__(self, other: Self) -> bool: ...
    def __le__(self, other: Self) -> bool: ...
    def __gt__(self, other: Self) -> bool: ...
    def __ge__(self, other: Self) -> bool: ...
    def __hash__(self) -> int: ...


class TenantId(_Id):
    """The tenant (market participant) a process belongs to."""
    @staticmethod
    def generate() -> TenantId:
        """A fresh random id (UUIDv4)."""
    @staticmethod
    def nil() -> TenantId:
        """The all-zero id."""
    @staticmethod
    def parse(text: str) -> TenantId:
        """Parses a UUID string; raises InvalidInput when malformed."""
    @staticmethod
    def from_party_id(party_id: str) -> TenantId:
        """The deterministic tenant of a market partner: UUIDv5 over its MP-ID."""

class ProcessId(_Id):
    """Identifies one process (one stream of events)."""
    @staticmethod
    def generate() -> ProcessId:
        """A fresh random id (UUIDv4)."""
    @staticmethod
    def nil() -> ProcessId:
        """The all-zero id."""
    @staticmethod
    def parse(text: str) -> ProcessId:
        """Parses a UUID string; raises InvalidInput when malformed."""

class EventId(_Id):
    """Identifies one stored event."""
    @staticmethod
    def generate() -> EventId:
        """A fresh random id (UUIDv4)."""
    @staticmethod
    def nil() -> EventId:
        """The all-zero id."""
    @staticmethod
    def parse(text: str) -> EventId:
        """Parses a UUID string; raises InvalidInput when malformed."""

class CorrelationId(_Id):
    """Correlates every event caused by one command or interchange."""
    @staticmethod
    def generate() -> CorrelationId:
        """A fresh random id (UUIDv4)."""
    @staticmethod
    def nil() -> CorrelationId:
        """The all-zero id."""
    @staticmethod
    def parse(text: str) -> CorrelationId:
        """Parses a UUID string; raises InvalidInput when malformed."""
    @staticmethod
    def from_interchange_ref(interchange_ref: str) -> CorrelationId:
        """The deterministic correlation of one interchange: UUIDv5 over its UNB reference."""

class CausationId(_Id):
    """The id of whatever caused a command."""
    @staticmethod
    def generate() -> CausationId:
        """A fresh random id (UUIDv4)."""
    @staticmethod
    def nil() -> CausationId:
        """The all-zero id."""
    @staticmethod
    def parse(text: str) -> CausationId:
        """Parses a UUID string; raises InvalidInput when malformed."""

class ConversationId(_Id):
    """Groups the messages of one market conversation; defaults to the process id."""
    @staticmethod
    def generate() -> ConversationId:
        """A fresh random id (UUIDv4)."""
    @staticmethod
    def nil() -> ConversationId:
        """The all-zero id."""
    @staticmethod
    def parse(text: str) -> ConversationId:
        """Parses a UUID string; raises InvalidInput when malformed."""

class FormatVersion:
    """'FV' + YYYY-MM-DD, year >= 2000; ordered. Parse errors raise InvalidInput (a ValueError)."""
    @overload
    def __init__(self, text: str) -> None: ...
    @overload
    def __init__(self, year: int, month: int, day: int) -> None: ...
    @staticmethod
    def parse(text: str) -> FormatVersion:
        """Parses 'FV2025-10-01'."""
    @property
    def year(self) -> int: ...
    @property
    def month(self) -> int: ...
    @property
    def day(self) -> int: ...
    def __lt__(self, other: FormatVersion) -> bool: ...
    def __le__(self, other: FormatVersion) -> bool: ...
    def __gt__(self, other: FormatVersion) -> bool: ...
    def __ge__(self, other: FormatVersion) -> bool: ...
    def __hash__(self) -> int: ...

class WorkflowId:
    """A workflow's name and the format version it implements; str() is 'name@FV...'."""
    def __init__(self, name: str, format_version: Union[str, FormatVersion]) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def format_version(self) -> FormatVersion: ...
    def __hash__(self) -> int: ...

class ProcessIdentity:
    """Everything needed to re-attach to a process; persist to_json(), load with from_json()."""
    def __init__(self, tenant_id: TenantId, process_id: ProcessId, workflow_id: WorkflowId) -> None: ...
    @property
    def stream_id(self) -> str:
        """'process/{tenant_id}/{process_id}'."""
    @property
    def process_id(self) -> ProcessId: ...
    @property
    def tenant_id(self) -> TenantId: ...
    @property
    def workflow_id(self) -> WorkflowId: ...
    def to_json(self) -> str:
        """The identity as JSON text."""
    def to_dict(self) -> dict[str, Any]:
        """The identity as a dict."""
    @staticmethod
    def from_json(value: Union[str, bytes, dict[str, Any]]) -> ProcessIdentity:
        """Parses JSON text or a dict; InvalidInput names the bad field."""
    def __hash__(self) -> int: ...

class CommandContext:
    """Metadata stamped onto every event a command produces."""
    correlation_id: Optional[CorrelationId]
    causation_id: Optional[CausationId]
    conversation_id: Optional[ConversationId]
    tenant_id: Optional[TenantId]
    workflow_id: Optional[WorkflowId]
    def __init__(
        self,
        *,
        correlation_id: Optional[CorrelationId] = None,
        causation_id: Optional[CausationId] = None,
        conversation_id: Optional[ConversationId] = None,
        tenant_id: Optional[TenantId] = None,
        workflow_id: Optional[WorkflowId] = None,
    ) -> None: ...

class EventEnvelope:
    """A stored event with its metadata (contract JSON via to_json())."""
    @property
    def event_id(self) -> EventId: ...
    @property
    def stream_id(self) -> str: ...
    @property
    def sequence_number(self) -> int: ...
    @property
    def timestamp(self) -> datetime.datetime:
        """Timezone-aware UTC datetime."""
    @property
    def correlation_id(self) -> Optional[CorrelationId]: ...
    @property
    def causation_id(self) -> Optional[CausationId]: ...
    @property
    def conversation_id(self) -> ConversationId: ...
    @property
    def process_id(self) -> ProcessId: ...
    @property
    def tenant_id(self) -> TenantId: ...
    @property
    def workflow_id(self) -> WorkflowId: ...
    @property
    def event_type(self) -> str: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def payload(self) -> dict[str, Any]:
        """{"type": ..., "data": {...}} as a new dict."""
    @property
    def data(self) -> Any:
        """payload['data'], or None for unit events."""
    @property
    def global_position(self) -> int: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_json(value: Union[str, bytes, dict[str, Any]]) -> EventEnvelope: ...
    def __hash__(self) -> int: ...

class PythonWorkflow:
    """A Python workflow object prepared for the engine (attributes looked up once)."""
    def __init__(self, workflow: Any) -> None: ...
    @property
    def workflow(self) -> Any: ...
    @property
    def state_schema_version(self) -> int: ...

class Process:
    """One process: a stream of events folded by its workflow."""
    def execute(self, command: Any) -> list[EventEnvelope]:
        """Executes a command; returns the appended, stamped events."""
    def execute_with(self, command: Any, context: CommandContext) -> list[EventEnvelope]:
        """Like execute(), stamping the events with the CommandContext."""
    def execute_with_retry(self, command: Any, max_attempts: int = 3, context: Optional[CommandContext] = None) -> list[EventEnvelope]:
        """Like execute(), retrying version conflicts up to max_attempts attempts in total."""
    def state(self) -> Any:
        """The current state (a deep copy; a dict for built-in workflows)."""
    def status(self) -> Optional[str]:
        """The status the workflow gives the current state (its status(state), e.g. 'confirmed'); None without one."""
    def replay(self) -> Any:
        """The state from a full replay."""
    def state_with_snapshot(self) -> Any:
        """The state folded from the engine's snapshot plus the events after it."""
    def take_snapshot(self, interval: int) -> bool:
        """Saves a snapshot when at least `interval` events were appended since the last one."""
    def event_count(self) -> int:
        """The number of events in the stream."""
    def identity(self) -> ProcessIdentity:
        """The ProcessIdentity of the process."""
    def invalidate(self) -> None:
        """Drops the cached state."""
    @property
    def stream_id(self) -> str: ...
    @property
    def process_id(self) -> ProcessId: ...
    @property
    def tenant_id(self) -> TenantId: ...
    @property
    def workflow_id(self) -> WorkflowId: ...
    @property
    def workflow(self) -> Any:
        """The Python workflow object, or the built-in's name."""
    @property
    def is_builtin(self) -> bool: ...

class Engine:
    """The C++ engine context (use mako_engine.Engine)."""
    @staticmethod
    def in_memory() -> Engine: ...
    @staticmethod
    def open(location: str, durability: str = "durable", *, busy_timeout: float = 5.0, read_only: bool = False,
             schema: Optional[str] = None) -> Engine: ...
    def spawn(self, workflow: Union[str, PythonWorkflow, Any], tenant: TenantId, workflow_id: WorkflowId) -> Process: ...
    def resume(self, workflow: Union[str, PythonWorkflow, Any], identity: ProcessIdentity) -> Process: ...
    @property
    def location(self) -> str: ...
    @property
    def backend(self) -> str: ...
    @property
    def durability(self) -> str: ...
    def load_stream(self, stream_id: str, after_sequence: int = 0) -> list[EventEnvelope]: ...
    def stream_version(self, stream_id: str) -> int: ...
    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[EventEnvelope]: ...
    def list_streams(self, prefix: str = "", after: Optional[str] = None, limit: int = 1000) -> tuple[list[str], Optional[str]]: ...
    def head_position(self) -> int: ...
    def runtime_counts(self) -> dict[str, int]:
        """outbox_pending, outbox_dead, dead_letters."""
    def runtime_stores(self) -> list[str]: ...
    def registry_keys(self, stream_id: str) -> list[tuple[str, str]]:
        """The (kind, key) pairs the stream's process registered, in registration order."""
    def list_deadlines(
        self,
        tenants: list[str] = ...,
        workflows: list[str] = ...,
        processes: list[str] = ...,
        names: list[str] = ...,
        since_ns: Optional[int] = None,
        until_ns: Optional[int] = None,
    ) -> list[tuple[str, Optional[str], Optional[str], Optional[str], str, int, str, Optional[int], int, Optional[str], str]]:
        """Every deadline in any status, by due time: (stream_id, process_id, tenant_id, workflow, name, due_ns,
        status, fired_at_ns, created_at_ns, outcome, command_json); filters as HistoryReader.deadlines."""
    def list_registry(self, tenants: list[str] = ..., processes: list[str] = ...
                      ) -> list[tuple[str, Optional[str], Optional[str], Optional[str], str, str, int]]:
        """Every registry entry by registration time: (stream_id, process_id, tenant_id, workflow, kind, key,
        created_at_ns); filters as HistoryReader.registry."""
    def begin_work_unit(self) -> WorkUnit: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...

class WorkUnit:
    """A unit of work (use mako_engine.Engine.unit_of_work)."""
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    @property
    def open(self) -> bool: ...

def is_postgres_location(location: str) -> bool: ...
def postgres_supported() -> bool: ...
def redacted_location(location: str) -> str: ...
def _close_open_stores() -> None: ...
def _execute_from_native_threads(process: Process, command: Any, threads: int, per_thread: int) -> int: ...
def _foreign_thread_states_created() -> int: ...

# ---- domain layer (bind_identifiers/bind_calendar/bind_edifact/bind_gpke/bind_market.cpp) -------
# Wrapped by mako_engine.identifiers, .calendar, .edifact, .gpke and .market; use those.


class _Identifier:
    def __init__(self, text: str) -> None:
        """Parses and validates; InvalidInput (a ValueError) names the field and the reason."""
    @staticmethod
    def validate(text: str) -> tuple[bool, Optional[str]]:
        """(ok, reason); reason is None when ok."""
    @staticmethod
    def why_invalid(text: str) -> Optional[str]:
        """None when valid, else the reason naming the field."""
    @staticmethod
    def is_valid(text: str) -> bool:
        """Whether the text is a valid id."""
    @property
    def value(self) -> str:
        """The id as text."""
    def __lt__(self, other: Self) -> bool: ...
    def __le__(self, other: Self) -> bool: ...
    def __gt__(self, other: Self) -> bool: ...
    def __ge__(self, other: Self) -> bool: ...
    def __hash__(self) -> int: ...


class MaloId(_Identifier):
    """Marktlokations-ID: 11 digits, first 1-9, last a BDEW check digit over the first 10."""
    @staticmethod
    def parse(text: str) -> MaloId:
        """Parses and validates; InvalidInput names the field and the reason."""
    @staticmethod
    def from_base(ten_digits: str) -> MaloId:
        """Appends the check digit to 10 digits."""
    @staticmethod
    def generate(seed: int) -> MaloId:
        """A valid id derived deterministically from seed."""
    @property
    def check_digit(self) -> int: ...

class MpIdKind:
    """Who issued an MP-ID: BDEW (99), DVGW (98) or GS1 (a pybind11 enum: ``MpIdKind.BDEW.name``, ``int(kind)``)."""
    BDEW: ClassVar[MpIdKind]
    DVGW: ClassVar[MpIdKind]
    GS1: ClassVar[MpIdKind]
    __members__: ClassVar[dict[str, MpIdKind]]
    def __init__(self, value: int) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...
    def __int__(self) -> int: ...
    def __index__(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __getstate__(self) -> int: ...
    def __setstate__(self, state: int) -> None: ...

class MpId(_Identifier):
    """Marktpartner-ID: 13 digits; 99/98 with the BDEW check digit, else a GS1 GLN."""
    @staticmethod
    def parse(text: str) -> MpId:
        """Parses and validates; InvalidInput names the field and the reason."""
    @staticmethod
    def from_base(twelve_digits: str) -> MpId:
        """Appends the check digit (chosen by prefix) to 12 digits."""
    @staticmethod
    def generate(seed: int, kind: Union[MpIdKind, str] = ...) -> MpId:
        """A valid id of kind derived deterministically from seed."""
    @property
    def kind(self) -> MpIdKind: ...

class MeloId(_Identifier):
    """Messlokations-ID: 33 characters, no check digit."""
    @staticmethod
    def parse(text: str) -> MeloId:
        """Parses and validates; InvalidInput names the field and the reason."""
    @staticmethod
    def generate(seed: int) -> MeloId:
        """A valid 'DE...' id derived deterministically from seed."""
    @property
    def country_code(self) -> str: ...
    @property
    def grid_operator_number(self) -> str: ...
    @property
    def postcode(self) -> str: ...
    @property
    def counter_part(self) -> str: ...

class Calendar:
    """A working-day calendar; Calendar.bdew() is a copy of the BDEW calendar."""
    def __init__(self) -> None: ...
    def __copy__(self) -> Calendar: ...
    def __deepcopy__(self, memo: dict[int, Any]) -> Calendar: ...
    @staticmethod
    def bdew() -> Calendar:
        """A copy of the BDEW calendar."""
    def copy(self) -> Calendar:
        """An independent copy."""
    def add_non_working_day(self, date: datetime.date, name: str) -> None:
        """Marks date as a named non-working day."""
    def remove_non_working_day(self, date: datetime.date) -> bool:
        """Makes date a working day again (weekends stay non-working)."""
    def is_working_day(self, date: datetime.date) -> bool:
        """Whether date is a Werktag."""
    @staticmethod
    def is_weekend(date: datetime.date) -> bool:
        """Whether date is a Saturday or Sunday."""
    def holiday_name(self, date: datetime.date) -> Optional[str]:
        """The name(s) of the non-working day, or None."""
    def holidays_between(self, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str]]:
        """Named non-working days in [start, end]."""
    def next_working_day(self, date: datetime.date) -> datetime.date:
        """The first Werktag strictly after date."""
    def previous_working_day(self, date: datetime.date) -> datetime.date:
        """The last Werktag strictly before date."""
    def add_working_days(self, date: datetime.date, n: int) -> datetime.date:
        """The n-th Werktag after (n > 0) or before (n < 0) date."""
    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Signed number of Werktage in (start, end]."""

def berlin_utc_offset(instant: datetime.datetime) -> datetime.timedelta:
    """The Europe/Berlin UTC offset at an instant (1 h or 2 h)."""
def is_berlin_summer_time(instant: datetime.datetime) -> bool:
    """Whether Berlin is on summer time at an instant."""
def to_berlin(instant: datetime.datetime) -> datetime.datetime:
    """The instant in Berlin local time (aware, CET/CEST)."""
def berlin_date(instant: datetime.datetime) -> datetime.date:
    """The Berlin calendar date of an instant."""
def from_berlin_local(local: datetime.datetime) -> datetime.datetime:
    """Berlin wall-clock time (naive) as an aware UTC datetime."""
def berlin_time_on(date: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """hh:mm Berlin time on date as an aware UTC datetime."""
def berlin_start_of_day(date: datetime.date) -> datetime.datetime:
    """00:00 Berlin time on date as an aware UTC datetime."""
def latest_transfer_day_for_start(start: datetime.date, calendar: Optional[Calendar] = None) -> datetime.date:
    """The latest Übertragungstag of an Anmeldung for a start date."""

class DeadlineRule:
    """A deadline shape evaluated in Berlin local time over UTC instants."""
    @staticmethod
    def at_time_on_nth_working_day(n: int, hour: int, minute: int = 0) -> DeadlineRule:
        """hh:mm of the n-th Werktag after the Übertragungstag."""
    @staticmethod
    def end_of_nth_working_day(n: int) -> DeadlineRule:
        """The end of the n-th Werktag after the Übertragungstag."""
    @staticmethod
    def latest_transfer_day_before_start() -> DeadlineRule:
        """The end of the latest Übertragungstag for a start instant."""
    @staticmethod
    def hours_after(hours: int, minutes: int = 0) -> DeadlineRule:
        """Elapsed time after the reference instant."""
    def evaluate(self, reference: datetime.datetime, calendar: Optional[Calendar] = None) -> datetime.datetime:
        """The deadline as an aware UTC datetime."""
    def describe(self) -> str:
        """A short English description."""
    def to_dict(self) -> dict[str, Any]:
        """The rule as JSON data."""
    @staticmethod
    def from_dict(value: dict[str, Any]) -> DeadlineRule:
        """The inverse of to_dict()."""
    def __hash__(self) -> int: ...

def gpke_answer_deadlines() -> list[dict[str, Any]]:
    """The GPKE answer-deadline table, one dict per row."""
def gpke_deadline_for_answer(request_pid: str, answer_pid: str) -> Optional[dict[str, Any]]:
    """The row allowing answer_pid in answer to request_pid, or None."""
def gpke_allowed_answer_pids(request_pid: str) -> list[str]:
    """The PIDs allowed in answer to request_pid."""
def format_versions() -> list[dict[str, Any]]:
    """The known format versions, oldest first (dicts)."""
def format_version_for(message_date: datetime.datetime) -> dict[str, Any]:
    """The format version in force at a message date (dict)."""
def format_version_by_name(name: str) -> Optional[dict[str, Any]]:
    """Looks up 'FV2510' or 'FV2025-10-01'."""

EDIFACT_CORPUS_IDS: dict[str, str]

def edifact_parse(data: bytes, reject_utf8_in_unoc: bool = True, check_market_partners: bool = True) -> dict[str, Any]:
    """Parses an interchange into its dict form; raises mako_engine.edifact.ParseError."""
def edifact_parse_segments(data: bytes, reject_utf8_in_unoc: bool = True) -> list[dict[str, Any]]:
    """The lexical layer: every segment as a dict."""
def edifact_write(interchange: Any) -> bytes:
    """Serialises an interchange (object or dict form) to wire bytes."""
def edifact_validate(interchange: Any) -> None:
    """Runs the typed views and the UNB/NAD check; raises ParseError."""
def edifact_make_interchange(sender: Any, receiver: Any, reference: str, prepared_at: datetime.datetime,
                             messages: list[Any]) -> dict[str, Any]:
    """UNA + UNB + messages + UNZ (dict form)."""
def edifact_read_utilmd(message: Any) -> dict[str, Any]:
    """The typed UTILMD view (dict form)."""
def edifact_build_utilmd(utilmd: Any) -> dict[str, Any]:
    """The message (dict form) of a typed UTILMD."""
def edifact_read_aperak(message: Any) -> dict[str, Any]:
    """The typed APERAK view (dict form: ..., referenced_date, transaction_ref, errors with code,
    faulty_value, text, location); releases 2.1i and 2.2, ParseError for any other."""
def edifact_build_aperak(aperak: Any) -> dict[str, Any]:
    """The message (dict form) of a typed APERAK in the layout of its release; ValueError for what
    the MIG does not admit."""
def edifact_read_contrl(message: Any) -> dict[str, Any]:
    """The typed CONTRL view (dict form, with service_segment on UCI and UCM); release 2.0b."""
def edifact_build_contrl(contrl: Any) -> dict[str, Any]:
    """The message (dict form) of a typed CONTRL."""
def edifact_utilmd_strom_pids() -> list[dict[str, str]]:
    """The known UTILMD Strom PIDs."""
def edifact_format_of_pid(pid: str) -> Optional[str]:
    """The message type of a PID by its prefix."""
def edifact_check_utilmd_ahb(raw: bytes) -> list[dict[str, str]]: ...
def edifact_release_for(message_type: str, message_date: datetime.datetime) -> str | None: ...
def edifact_corpus_gpke_examples(message_date: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """The valid corpus interchanges."""
def edifact_corpus_invalid_examples() -> list[dict[str, Any]]:
    """The broken corpus interchanges with their expected error locations."""
def edifact_corpus_utilmd_bulk(message_count: int) -> bytes:
    """A UTILMD interchange with message_count 55001 messages."""

def gpke_workflow_names() -> list[str]:
    """The registered GPKE workflow names."""
def gpke_render_utilmd(payload: Any, interchange_reference: str, message_reference: str = "1") -> bytes:
    """An outbound UTILMD payload rendered as an interchange (wire bytes)."""
def gpke_derive_vorgangsnummer(sender: str, request_reference: str, pid: int) -> str:
    """The deterministic Vorgangsnummer of a message a GPKE workflow sends."""

class NbMasterData:
    """The NB's master data (known MaLos, supplier assignments), in memory."""
    def __init__(self) -> None: ...
    def add_malo(self, malo: str) -> None:
        """Makes the MaLo known (with no supplier)."""
    def assign(self, malo: str, supplier: str, start: datetime.date, until: Optional[datetime.date] = None) -> None:
        """Assigns supplier to malo from start until (exclusive)."""
    def assigned_supplier(self, malo: str, date: datetime.date) -> Optional[str]:
        """The supplier assigned to malo on date."""
    def precondition_failure(self, malo: str, date: datetime.date) -> Optional[str]:
        """Why malo cannot be supplied from date, or None."""

class MarketParticipant:
    """Inbound pipeline + deadline scheduler + outbox worker over an Engine (use mako_engine.market.Participant)."""
    def __init__(
        self,
        engine: Engine,
        name: str,
        mp_ids: list[str],
        routes: list[dict[str, Any]],
        python_workflows: dict[str, Any],
        directory: Optional[str] = None,
        master_data: Optional[NbMasterData] = None,
        send_positive_aperak: bool = False,
        jitter_seed: int = 1,
    ) -> None: ...
    def receive(self, data: bytes, partner: str, name: str = "inbound.edi", at: Optional[datetime.datetime] = None) -> dict[str, Any]:
        """Receives one EDIFACT file."""
    def poll(self, at: Optional[datetime.datetime] = None) -> list[dict[str, Any]]:
        """Receives and settles every waiting file."""
    def pump(self, at: Optional[datetime.datetime] = None) -> dict[str, int]:
        """Deadlines, inbound files, outbox: one round."""
    def drop_inbound(self, partner: str, filename: str, data: bytes) -> None:
        """Puts a file into partner's inbox."""
    def take_sent(self) -> list[dict[str, Any]]:
        """Files sent so far (in-memory transport)."""
    def next_deadline(self) -> Optional[datetime.datetime]:
        """The soonest pending deadline."""
    def stats(self) -> dict[str, int]:
        """The pipeline's counters."""
    def routes(self) -> list[dict[str, Any]]:
        """The PID route table."""
    def workflows(self) -> list[str]:
        """The workflow names routed to."""
    def set_now(self, at: datetime.datetime) -> None:
        """Fixes the participant's clock."""
    @property
    def name(self) -> str: ...
    @property
    def mp_ids(self) -> list[str]: ...
    @property
    def directory(self) -> Optional[str]: ...
    @property
    def now(self) -> Optional[datetime.datetime]: ...

def market_nb_routes() -> list[dict[str, Any]]:
    """The Netzbetreiber's PID routes."""
def market_lf_routes() -> list[dict[str, Any]]:
    """The Lieferant's PID routes."""
def market_summarize_history(engine: Engine) -> dict[str, Any]:
    """Outcomes and deadline bookkeeping from an engine's history."""
def market_simulate(
    out_dir: str,
    customers: int = 200,
    seed: int = 42,
    durability: str = "relaxed",
    first_day: Optional[datetime.date] = None,
    last_day: Optional[datetime.date] = None,
    old_suppliers: int = 3,
    instants_per_unit: int = 1,
    store: Optional[str] = None,
    schema_prefix: str = "mako_sim",
    instances: int = 1,
) -> dict[str, Any]:
    """Runs the LF <-> NB market simulation; the report as a dict."""

# --- history for analysts (bind_history.cpp; DataFrames in mako_engine.history) -------------------

class HistoryReader:
    """Column-wise reads of a mako SQLite file over its own read-only connection (never blocks a writer).
    Each query returns {"rows": n, "columns": [(name, kind, *arrays)]}: kind "int64" (values, valid|None),
    "category" (int32 codes, categories) or "text" (uint8 buffer, int64 offsets, valid|None)."""
    def __init__(self, path: str) -> None: ...
    @property
    def path(self) -> str: ...
    @property
    def schema_version(self) -> int: ...
    def events(self, tenants: list[str] = ..., workflows: list[str] = ..., streams: list[str] = ..., processes: list[str] = ...,
               event_types: list[str] = ..., since_ns: Optional[int] = None, until_ns: Optional[int] = None,
               payload: bool = True) -> dict[str, Any]:
        """One row per event in commit order."""
    def processes(self, tenants: list[str] = ..., workflows: list[str] = ..., streams: list[str] = ..., processes: list[str] = ...,
                  statuses: list[str] = ..., since_ns: Optional[int] = None, until_ns: Optional[int] = None,
                  python_workflows: dict[str, PythonWorkflow] = ..., builtin: bool = True) -> dict[str, Any]:
        """One row per stream: identity, status (the workflow's status of the state folded once per process; "unknown"
        when the workflow is neither in python_workflows nor, with builtin, a registered C++ workflow), last event type,
        event count, first/last event time."""
    def deadlines(self, tenants: list[str] = ..., workflows: list[str] = ..., streams: list[str] = ..., processes: list[str] = ...,
                  names: list[str] = ..., since_ns: Optional[int] = None, until_ns: Optional[int] = None,
                  payload: bool = False) -> dict[str, Any]:
        """One row per registered deadline."""
    def registry(self, matches: list[tuple[str, str, bool]] = ..., tenants: list[str] = ..., workflows: list[str] = ...,
                 streams: list[str] = ..., processes: list[str] = ...) -> dict[str, Any]:
        """One row per registry entry matching any (kind, key, suffix) alternative (kind "" = any; none = all):
        stream identity, kind, key, created_at_ns."""

def _import_history(path: str, workflow: str, format_version: str, tenants: list[str], processes: list[str], event_types: list[str],
                    timestamps_ns: list[int], payloads: list[str],
                    deadlines: list[tuple[str, str, str, int, str, Optional[int], str]] = ...,
                    commits_per_transaction: int = 1000, schema: Optional[str] = None) -> int:
    """Test/demo hook: appends a synthetic history given column-wise into a SQLite file or a PostgreSQL store (schema);
    returns the number of events written."""
