"""Working days, Berlin time, deadlines and format versions of the market communication.

Dates are :class:`datetime.date`; instants are timezone-aware :class:`datetime.datetime` (results are
in UTC). Naive datetimes are refused with :class:`~mako_engine.InvalidInput` -- except by
:func:`from_berlin_local`, whose input *is* a Berlin wall-clock time. The implementation is C++
(``mako::calendar``)::

    import datetime as dt
    from mako_engine import calendar

    bdew = calendar.Calendar.bdew()                      # a copy: extend it freely
    bdew.is_working_day(dt.date(2025, 6, 6))             # False (LFW24 cut-over day)
    bdew.holiday_name(dt.date(2025, 4, 18))              # 'Karfreitag'
    bdew.add_working_days(dt.date(2025, 4, 17), 1)       # date(2025, 4, 22)

    rule = calendar.DeadlineRule.at_time_on_nth_working_day(1, 7)
    rule.evaluate(dt.datetime(2025, 3, 3, 12, tzinfo=dt.timezone.utc))   # 07:00 Berlin next WT, in UTC

    calendar.gpke_answer_deadlines()                     # the answer-deadline table, DataFrame-ready
    calendar.format_version_for(dt.datetime.now(dt.timezone.utc)).name  # e.g. 'FV2510'
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any, Dict, List, Optional

from . import _core
from ._core import (
    Calendar,
    DeadlineRule,
    berlin_date,
    berlin_start_of_day,
    berlin_time_on,
    berlin_utc_offset,
    from_berlin_local,
    is_berlin_summer_time,
    latest_transfer_day_for_start,
    to_berlin,
)

__all__ = [
    "Calendar",
    "DeadlineRule",
    "FormatVersionInfo",
    "berlin_date",
    "berlin_start_of_day",
    "berlin_time_on",
    "berlin_utc_offset",
    "from_berlin_local",
    "is_berlin_summer_time",
    "latest_transfer_day_for_start",
    "to_berlin",
    "gpke_answer_deadlines",
    "gpke_deadline_for_answer",
    "gpke_allowed_answer_pids",
    "format_versions",
    "format_version_for",
    "format_version_by_name",
]


@dataclasses.dataclass(frozen=True)
class FormatVersionInfo:
    """An EDI@Energy format version: ``name`` ('FV2510'), ``core_name`` ('FV2025-10-01', the
    engine's :class:`~mako_engine.FormatVersion` text), ``valid_from`` (first day, 00:00 Berlin) and
    ``valid_from_instant`` (that instant in UTC)."""

    name: str
    core_name: str
    valid_from: _dt.date
    valid_from_instant: _dt.datetime


def gpke_answer_deadlines() -> List[Dict[str, Any]]:
    """The GPKE answer deadlines after LFW24, one dict per row (``pandas.DataFrame(gpke_answer_deadlines())``
    works): ``request_pid``, ``answer_pids``, ``deadline`` (description), ``rule``
    (plain data; :meth:`DeadlineRule.from_dict` makes it a rule), ``reference_pid`` (whose Übertragungstag the deadline counts from),
    ``answered_by``, ``answered_to``, ``on_silence`` ('none' / 'consent'), ``step``, ``note``."""
    return list(_core.gpke_answer_deadlines())


def gpke_deadline_for_answer(request_pid: str, answer_pid: str) -> Optional[Dict[str, Any]]:
    """The row of :func:`gpke_answer_deadlines` that allows ``answer_pid`` in answer to ``request_pid``."""
    return _core.gpke_deadline_for_answer(request_pid, answer_pid)


def gpke_allowed_answer_pids(request_pid: str) -> List[str]:
    """The PIDs allowed in answer to ``request_pid`` (empty when unknown)."""
    return list(_core.gpke_allowed_answer_pids(request_pid))


def format_versions() -> List[FormatVersionInfo]:
    """The known format versions, oldest first."""
    return [FormatVersionInfo(**d) for d in _core.format_versions()]


def format_version_for(message_date: _dt.datetime) -> FormatVersionInfo:
    """The format version in force at ``message_date`` (aware datetime; compared in Berlin time).
    Raises :class:`~mako_engine.InvalidInput` before the first known version."""
    return FormatVersionInfo(**_core.format_version_for(message_date))


def format_version_by_name(name: str) -> Optional[FormatVersionInfo]:
    """Looks up ``"FV2510"`` or ``"FV2025-10-01"``; None when unknown."""
    d = _core.format_version_by_name(name)
    return FormatVersionInfo(**d) if d is not None else None
