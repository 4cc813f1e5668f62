"""Type stubs of mako_engine._core, the pybind11 module (C++ engine). Use the mako_engine package."""

import datetime
import uuid
from typing import Any, Optional, TypeVar, Union, overload

DEFAULT_FORMAT_VERSION: str
HAVE_SQLITE: bool

def registered_workflows() -> list[str]:
    """Names of the built-in C++ workflows that Engine.spawn() accepts."""

class _Id:
    def __init__(self, value: Union[str, uuid.UUID, None] = None) -> None:
        """A fresh random id (UUIDv4) without an argument, else the parsed id; InvalidInput when malformed."""
    @classmethod
    def generate(cls: type[_I]) -> _I:
        """A fresh random id (UUIDv4)."""
    @classmethod
    def nil(cls: type[_I]) -> _I:
        """The all-zero id."""
    @classmethod
    def parse(cls: type[_I], text: str) -> _I:
        """Parses a UUID string; raises InvalidInput when malformed."""
    @property
    def uuid(self) -> uuid.UUID:
        """The id as a uuid.UUID."""
    def __eq__(self, other: object) -> bool: ...
    def __lt__(self: _I, other: _I) -> bool: ...
    def __le__(self: _I, other: _I) -> bool: ...
    def __gt__(self: _I, other: _I) -> bool: ...
    def __ge__(self: _I, other: _I) -> bool: ...
    def __hash__(self) -> int: ...

_I = TypeVar("_I", bound=_Id)

class TenantId(_Id):
    """The tenant (market participant) a process belongs to."""
    @staticmethod
    def from_party_id(party_id: str) -> TenantId:
        """The deterministic tenant of a market partner: UUIDv5 over its MP-ID."""

class ProcessId(_Id):
    """Identifies one process (one stream of events)."""

class EventId(_Id):
    """Identifies one stored event."""

class CorrelationId(_Id):
    """Correlates every event caused by one command or interchange."""
    @staticmethod
    def from_interchange_ref(interchange_ref: str) -> CorrelationId:
        """The deterministic correlation of one interchange: UUIDv5 over its UNB reference."""

class CausationId(_Id):
    """The id of whatever caused a command."""

class ConversationId(_Id):
    """Groups the messages of one market conversation; defaults to the process id."""

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
    def open(path: str, durability: str = "durable", *, busy_timeout: float = 5.0, read_only: bool = False) -> Engine: ...
    def spawn(self, workflow: Union[str, PythonWorkflow, Any], tenant: TenantId, workflow_id: WorkflowId) -> Process: ...
    def resume(self, workflow: Union[str, PythonWorkflow, Any], identity: ProcessIdentity) -> Process: ...
    @property
    def location(self) -> str: ...
    @property
    def durability(self) -> str: ...
    def load_stream(self, stream_id: str, after_sequence: int = 0) -> list[EventEnvelope]: ...
    def stream_version(self, stream_id: str) -> int: ...
    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[EventEnvelope]: ...
    def list_streams(self, prefix: str = "", after: Optional[str] = None, limit: int = 1000) -> tuple[list[str], Optional[str]]: ...
    def head_position(self) -> int: ...

def _execute_from_native_threads(process: Process, command: Any, threads: int, per_thread: int) -> int: ...
def _foreign_thread_states_created() -> int: ...
