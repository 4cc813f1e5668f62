"""The Python face of a process: :class:`Process`, the C++ ``_core.Process`` with the analyst's methods.

``Engine.spawn``/``Engine.resume`` hand out instances of this subclass. The C++ engine creates its
processes as ``_core.Process``; :func:`adopt` turns one into a :class:`Process` by setting its
``__class__`` (allowed because the subclass adds no fields: the same C++ object, the same memory
layout). So every C++ method works unchanged and at full speed, a process can still be passed
wherever ``_core`` expects one, and ``_core.Process`` itself is never modified.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, cast

from . import _core
from ._source import EngineLike
from .display import process_html
from .history import process_history

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Process", "adopt"]


class Process(_core.Process):
    """One process: a stream of events folded by its workflow (``execute``, ``state``, ``status`` ...,
    see :class:`mako_engine._core.Process`), with its history as a DataFrame and a Jupyter card."""

    __slots__ = ()  # no fields of its own: instances are C++ processes with a new class (see adopt)

    _engine: Optional[EngineLike]  # the engine that spawned or resumed it (kept in the instance dict)

    def history(self, *, payload: bool = True, flatten_payload: bool = False) -> pd.DataFrame:
        """This process's events as a pandas DataFrame, one row per event (see :func:`mako_engine.history.events`)."""
        return process_history(self, payload=payload, flatten_payload=flatten_payload)

    def _repr_html_(self) -> str:
        """The process card in Jupyter: identity, status, last event type, event count, last events."""
        return process_html(self)


def adopt(process: _core.Process, engine: EngineLike) -> Process:
    """``process`` (from ``_core.Engine.spawn``/``resume``) as a :class:`Process` of ``engine``."""
    process.__class__ = Process
    adopted = cast(Process, process)
    adopted._engine = engine
    return adopted
