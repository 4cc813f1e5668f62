"""The exception hierarchy of mako-engine, mirroring the C++ ``EngineError``/``WorkflowError``.

Every failure the engine reports is an :class:`EngineError`; its ``kind`` and predicates tell a
caller whether to retry (:meth:`EngineError.is_transient`), fix the input or give up. A workflow
refuses a command by raising a :class:`WorkflowError` subclass from ``handle``; the engine then
classifies it exactly like a refusal of a C++ workflow and ``execute`` raises the same class.

Any *other* exception raised inside a Python workflow's ``apply``/``handle`` is not translated: it
reaches the caller with its original type and traceback, and nothing is appended.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "EngineError",
    "VersionConflict",
    "WorkflowError",
    "InvalidState",
    "CommandRejected",
    "ValidationFailed",
    "WorkflowNotImplemented",
    "OtherWorkflowError",
    "InvalidInput",
    "SerializationError",
    "NotFound",
    "StorageError",
    "StoreBusy",
    "CorruptStore",
    "SchemaTooNew",
]


class EngineError(Exception):
    """Base class of every error the engine reports.

    ``kind`` is one of ``"version_conflict"``, ``"workflow"``, ``"invalid_input"``,
    ``"serialization"``, ``"not_found"``, ``"busy"``, ``"storage"``, ``"corrupt"``,
    ``"schema_too_new"``.
    """

    kind: str = "storage"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def is_workflow_error(self) -> bool:
        """Whether the workflow refused the command (see :meth:`as_workflow_error`)."""
        return isinstance(self, WorkflowError)

    def is_version_conflict(self) -> bool:
        """Whether another writer appended first; reload and retry (``execute_with_retry``)."""
        return isinstance(self, VersionConflict)

    def is_transient(self) -> bool:
        """Whether repeating the same call may succeed (version conflict, busy store)."""
        return False

    def is_invalid_state(self) -> bool:
        """Whether the workflow refused because the process is in the wrong state."""
        return isinstance(self, InvalidState)

    def is_rejected(self) -> bool:
        """Whether the workflow rejected the command."""
        return isinstance(self, CommandRejected)

    def is_invalid_input(self) -> bool:
        """Whether an argument (id, format version, identity, payload ...) was malformed."""
        return isinstance(self, InvalidInput)

    def is_not_found(self) -> bool:
        """Whether a named workflow, stream or item does not exist."""
        return isinstance(self, NotFound)

    def is_storage_error(self) -> bool:
        """Whether the store failed (I/O, busy, corrupt, too new)."""
        return isinstance(self, StorageError)

    def as_workflow_error(self) -> Optional[WorkflowError]:
        """This error as a :class:`WorkflowError`, or ``None`` when it is not one."""
        return self if isinstance(self, WorkflowError) else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class VersionConflict(EngineError):
    """The stream moved on since it was read: ``expected`` (e.g. ``"Exact(3)"``) vs ``actual``."""

    kind = "version_conflict"

    def __init__(self, message: str = "", expected: str = "", actual: int = 0) -> None:
        super().__init__(message)
        self.expected = expected
        self.actual = actual

    def is_transient(self) -> bool:
        """Always true: reload and retry."""
        return True


_WORKFLOW_KIND_NAMES = {
    "rejected": "command rejected",
    "invalid_state": "invalid state",
    "validation": "validation failed",
    "not_implemented": "not implemented",
    "other": "workflow error",
}


class WorkflowError(EngineError):
    """The workflow refused the command. Raise a subclass from ``handle``; nothing is appended.

    ``workflow_kind`` is one of ``"rejected"``, ``"invalid_state"``, ``"validation"``,
    ``"not_implemented"``, ``"other"``. The classmethods mirror the C++ factory functions.
    """

    kind = "workflow"
    workflow_kind: str = "other"

    def __str__(self) -> str:
        return f"{_WORKFLOW_KIND_NAMES[self.workflow_kind]}: {self.message}"

    def is_validation(self) -> bool:
        """Whether the command failed validation."""
        return self.workflow_kind == "validation"

    def is_not_implemented(self) -> bool:
        """Whether the workflow does not implement the command."""
        return self.workflow_kind == "not_implemented"

    def is_other(self) -> bool:
        """Whether this is another workflow error."""
        return self.workflow_kind == "other"

    @staticmethod
    def rejected(reason: str) -> CommandRejected:
        """A :class:`CommandRejected`."""
        return CommandRejected(reason)

    @staticmethod
    def invalid_state(expected: str, actual: str) -> InvalidState:
        """An :class:`InvalidState`."""
        return InvalidState(expected, actual)

    @staticmethod
    def validation(message: str) -> ValidationFailed:
        """A :class:`ValidationFailed`."""
        return ValidationFailed(message)

    @staticmethod
    def not_implemented(what: str) -> WorkflowNotImplemented:
        """A :class:`WorkflowNotImplemented`."""
        return WorkflowNotImplemented(what)

    @staticmethod
    def other(message: str) -> OtherWorkflowError:
        """An :class:`OtherWorkflowError`."""
        return OtherWorkflowError(message)


class InvalidState(WorkflowError):
    """The command needs the process in state ``expected`` but it is in state ``actual``."""

    workflow_kind = "invalid_state"

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"expected state {expected}, but the process is in state {actual}")
        self.expected = expected
        self.actual = actual

    def __repr__(self) -> str:
        return f"InvalidState(expected={self.expected!r}, actual={self.actual!r})"


class CommandRejected(WorkflowError):
    """The workflow rejected the command for a business ``reason``."""

    workflow_kind = "rejected"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ValidationFailed(WorkflowError):
    """The command's content is invalid."""

    workflow_kind = "validation"


class WorkflowNotImplemented(WorkflowError):
    """The workflow does not implement this command (or this path of it)."""

    workflow_kind = "not_implemented"


class OtherWorkflowError(WorkflowError):
    """Any other refusal of the workflow."""

    workflow_kind = "other"


class InvalidInput(EngineError, ValueError):
    """A malformed id, stream id, format version, identity, context or argument."""

    kind = "invalid_input"


class SerializationError(EngineError, ValueError):
    """A value could not be converted to or from JSON; the message names the field path."""

    kind = "serialization"


class NotFound(EngineError, LookupError):
    """A named workflow, stream or item does not exist."""

    kind = "not_found"


class StorageError(EngineError):
    """An I/O or database failure."""

    kind = "storage"


class StoreBusy(StorageError):
    """The store stayed locked by another writer past the busy timeout. Transient."""

    kind = "busy"

    def is_transient(self) -> bool:
        """Always true: the store may be free when tried again."""
        return True


class CorruptStore(StorageError):
    """Stored data is unreadable or inconsistent."""

    kind = "corrupt"


class SchemaTooNew(StorageError):
    """The database was written by a newer version of mako-engine."""

    kind = "schema_too_new"


_BY_KIND = {
    "version_conflict": VersionConflict,
    "invalid_input": InvalidInput,
    "serialization": SerializationError,
    "not_found": NotFound,
    "busy": StoreBusy,
    "storage": StorageError,
    "corrupt": CorruptStore,
    "schema_too_new": SchemaTooNew,
}

_WORKFLOW_BY_KIND = {
    "rejected": CommandRejected,
    "validation": ValidationFailed,
    "not_implemented": WorkflowNotImplemented,
    "other": OtherWorkflowError,
}


def _from_core(
    kind: str,
    message: str,
    workflow_kind: Optional[str],
    expected: Optional[str],
    actual: Optional[str],
    expected_version: Optional[str],
    actual_version: Optional[int],
) -> EngineError:
    """Builds the exception for a C++ error (called by ``mako_engine._core``)."""
    if kind == "workflow":
        if workflow_kind == "invalid_state":
            return InvalidState(expected or "", actual or "")
        return _WORKFLOW_BY_KIND.get(workflow_kind or "other", OtherWorkflowError)(message)
    if kind == "version_conflict":
        return VersionConflict(message, expected_version or "", actual_version or 0)
    return _BY_KIND.get(kind, StorageError)(message)
